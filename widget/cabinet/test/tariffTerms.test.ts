import assert from "node:assert/strict";
import { test } from "node:test";
import type { Billing } from "../src/api";
import { connectTerms } from "../src/tariffTerms";

const now = new Date("2026-11-29T12:00:00Z");
const bill = (status: Billing["tariff"]["status"], expires: string | null, balance: number): Billing => ({
  balance_rub: balance,
  tariff: { plan: status === "none" ? null : "pro", status, started_at: null, expires_at: expires },
  trial: { available: false, blockers: [] },
  ledger: [],
});

test("during a trial the paid period follows it; the shortage is what the balance lacks", () => {
  const t = connectTerms(bill("trial", "2026-12-03T12:00:00Z", 2300), 3500, now);
  assert.equal(t.start, "after_trial");
  assert.equal(t.from.toISOString(), "2026-12-03T12:00:00.000Z");
  assert.equal(t.until.toISOString(), "2027-01-02T12:00:00.000Z");
  assert.equal(t.short, 1200);
});

test("without a trial it starts now; a running tariff is replaced; an expired one is not", () => {
  assert.equal(connectTerms(bill("none", null, 5000), 3500, now).start, "now");
  assert.equal(connectTerms(bill("none", null, 5000), 3500, now).short, 0);
  assert.equal(connectTerms(bill("active", "2026-12-20T00:00:00Z", 5000), 2500, now).start, "replaces");
  assert.equal(connectTerms(bill("trial", "2026-11-01T00:00:00Z", 0), 2500, now).start, "now");
  assert.equal(connectTerms(bill("trial", "2026-11-01T00:00:00Z", 0), 2500, now).from.getTime(), now.getTime());
});
