import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRoute } from "../src/routes";

test("sections, nested paths, forgot and unknown paths", () => {
  assert.deepEqual(parseRoute("/"), { kind: "section", section: "dashboard" });
  assert.deepEqual(parseRoute(""), { kind: "section", section: "dashboard" });
  assert.deepEqual(parseRoute("/dialogs"), { kind: "section", section: "dialogs" });
  assert.deepEqual(parseRoute("/dialogs/42/"), { kind: "section", section: "dialogs" });
  assert.deepEqual(parseRoute("/journal?from=2026-11-01"), { kind: "section", section: "journal" });
  assert.deepEqual(parseRoute("/settings"), { kind: "section", section: "settings" });
  assert.deepEqual(parseRoute("/forgot"), { kind: "forgot" });
  assert.deepEqual(parseRoute("/dialogsx"), { kind: "notFound" });
  assert.deepEqual(parseRoute("/nope"), { kind: "notFound" });
});
