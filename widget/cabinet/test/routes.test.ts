import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRoute, settingsPath, settingsTab } from "../src/routes";

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

test("profile, reset and the settings tabs", () => {
  assert.deepEqual(parseRoute("/profile"), { kind: "profile" });
  assert.deepEqual(parseRoute("/reset?token=abc"), { kind: "reset" });
  assert.deepEqual(parseRoute("/settings/team"), { kind: "section", section: "settings" });
  assert.equal(settingsTab("/settings"), "main");
  assert.equal(settingsTab("/settings/"), "main");
  assert.equal(settingsTab("/settings/tariff"), "tariff");
  assert.equal(settingsTab("/settings/blacklist?x=1"), "blacklist");
  assert.equal(settingsTab("/settings/nope"), null);
  assert.equal(settingsPath("main"), "/settings");
  assert.equal(settingsPath("notifications"), "/settings/notifications");
});
