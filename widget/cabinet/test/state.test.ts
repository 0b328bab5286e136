import assert from "node:assert/strict";
import { test } from "node:test";
import { canManage, type ProjectSummary } from "../src/api";
import { isInactive, pickCurrent } from "../src/state";

const p = (id: string, tariff_status: ProjectSummary["tariff_status"] = "none"): ProjectSummary => ({ id, name: id, accesses: ["admin"], tariff_status });

test("the remembered project is picked if the user still belongs to it, else the first", () => {
  assert.equal(pickCurrent([p("a"), p("b")], "b")?.id, "b");
  assert.equal(pickCurrent([p("a"), p("b")], "gone")?.id, "a");
  assert.equal(pickCurrent([p("a")], null)?.id, "a");
  assert.equal(pickCurrent([], "a"), null);
});

test("inactive projects and who may manage settings", () => {
  assert.ok(isInactive(p("a", "expired")));
  assert.ok(!isInactive(p("a", "none")));
  assert.ok(!isInactive(p("a", "trial")));
  assert.ok(canManage(["admin"]));
  assert.ok(canManage(["settings", "operator"]));
  assert.ok(!canManage(["analytics", "operator"]));
  assert.ok(!canManage([]));
});
