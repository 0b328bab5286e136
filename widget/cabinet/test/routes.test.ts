import assert from "node:assert/strict";
import { test } from "node:test";
import { allowedSections, dialogsPath, dialogsRoute, fallbackSection, parseRoute, settingsPath, settingsTab, widgetPath, widgetSection } from "../src/routes";

test("sections, nested paths, forgot and unknown paths", () => {
  assert.deepEqual(parseRoute("/"), { kind: "section", section: "dashboard" });
  assert.deepEqual(parseRoute(""), { kind: "section", section: "dashboard" });
  assert.deepEqual(parseRoute("/dialogs"), { kind: "section", section: "dialogs" });
  assert.deepEqual(parseRoute("/dialogs/42/"), { kind: "section", section: "dialogs" });
  assert.deepEqual(parseRoute("/journal?from=2026-11-01"), { kind: "section", section: "journal" });
  assert.deepEqual(parseRoute("/analytics"), { kind: "section", section: "analytics" });
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
  assert.equal(settingsTab("/settings/integrations"), "integrations");
  assert.equal(settingsPath("integrations"), "/settings/integrations");
  assert.equal(settingsTab("/settings/blacklist?x=1"), "blacklist");
  assert.equal(settingsTab("/settings/nope"), null);
  assert.equal(settingsPath("main"), "/settings");
  assert.equal(settingsPath("notifications"), "/settings/notifications");
});

test("the widget settings and its sections", () => {
  assert.equal(settingsTab("/settings/widget"), "widget");
  assert.equal(settingsTab("/settings/widget/catchers"), "widget");
  assert.equal(settingsTab("/settings/widget/nope"), null);
  assert.equal(settingsTab("/settings/team/chat"), null);
  assert.equal(widgetSection("/settings/widget"), "appearance");
  assert.equal(widgetSection("/settings/widget/callback"), "callback");
  assert.equal(widgetSection("/settings/widget/zzz"), "appearance");
  assert.equal(widgetPath("appearance"), "/settings/widget");
  assert.equal(widgetPath("catchers"), "/settings/widget/catchers");
});

test("dialog folders and the open dialog in the path", () => {
  assert.deepEqual(dialogsRoute("/dialogs"), { folder: "mine", id: null });
  assert.deepEqual(dialogsRoute("/dialogs/archive"), { folder: "archive", id: null });
  assert.deepEqual(dialogsRoute("/dialogs/common/0190f3a2-7c1d"), { folder: "common", id: "0190f3a2-7c1d" });
  assert.deepEqual(dialogsRoute("/dialogs/mine/<script>"), { folder: "mine", id: null });
  assert.equal(dialogsPath("mine"), "/dialogs");
  assert.equal(dialogsPath("common"), "/dialogs/common");
  assert.equal(dialogsPath("mine", "d1"), "/dialogs/mine/d1");
  assert.deepEqual(dialogsRoute(dialogsPath("archive", "d 2")), { folder: "archive", id: null }, "ids are plain");
});

test("the menu shows what the member's accesses open; a closed section falls back", () => {
  assert.deepEqual(allowedSections(["operator"]), ["dashboard", "dialogs"]);
  assert.deepEqual(allowedSections(["analytics"]), ["dashboard", "journal", "dialogs", "analytics", "oko"]);
  assert.deepEqual(allowedSections(["settings"]), ["dashboard", "settings"]);
  assert.deepEqual(allowedSections(["admin"]), ["dashboard", "journal", "dialogs", "analytics", "oko", "settings"]);
  assert.deepEqual(allowedSections(null), ["dashboard", "journal", "dialogs", "analytics", "oko", "settings"]);
  assert.equal(fallbackSection(allowedSections(["operator"])), "dialogs");
  assert.equal(fallbackSection(allowedSections(["settings"])), "dashboard");
});
