import assert from "node:assert/strict";
import { test } from "node:test";
import {
  contrastText,
  dayRanges,
  defaultSettings,
  dropField,
  fieldId,
  fillHours,
  formatRanges,
  getIn,
  move,
  normalizeHours,
  normalizeSettings,
  officeHours,
  paintHours,
  previewConfig,
  sectionOf,
  setIn,
  summarizeHours,
  visibleTabs,
  type Settings,
} from "../src/widgetSettings";

test("defaults follow the manual and the server's Settings::default()", () => {
  const s = defaultSettings();
  assert.equal(s.chat.name, "Чат");
  assert.equal(s.callback.name, "Звонки");
  assert.deepEqual([s.chat.unread.after_secs, s.chat.unanswered.after_secs], [15, 20]);
  assert.deepEqual(s.appearance.tab_order, ["chat", "form", "callback", "contacts"]);
  assert.equal(s.contacts.socials.length, 6);
  assert.equal(s.contacts.socials.find((x) => x.network === "telegram")?.url, "https://t.me/joinchat/");
  assert.equal(s.chat.hours.length, 7);
  assert.ok(s.chat.hours.every((d) => d.length === 24 && d.every(Boolean)));
});

test("hour grids: normalize, paint a dragged rectangle, ranges and a week in words", () => {
  const h = normalizeHours([[true, 1, "x"], null]);
  assert.equal(h.length, 7);
  assert.ok(h.every((d) => d.length === 24));
  assert.equal(h[0]![0], true);
  assert.equal(h[0]![1], false, "only true counts");
  const painted = paintHours(fillHours(false), [2, 10], [0, 8], true);
  assert.deepEqual(dayRanges(painted[0]!), [[8, 11]]);
  assert.deepEqual(dayRanges(painted[2]!), [[8, 11]]);
  assert.deepEqual(dayRanges(painted[3]!), []);
  assert.equal(formatRanges(officeHours()[0]!), "9:00–18:00");
  const week = officeHours();
  week[5]![10] = true;
  const days = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"];
  assert.deepEqual(summarizeHours(week, days), ["Пн–Пт 9:00–18:00", "Сб 10:00–11:00"]);
  assert.deepEqual(summarizeHours(fillHours(false), days), []);
  assert.deepEqual(summarizeHours(fillHours(true), days), ["Пн–Вс 0:00–24:00"]);
});

test("setIn / getIn work on dotted paths through objects and arrays without mutating", () => {
  const s = defaultSettings();
  const t = setIn(s, "chat.unread.after_secs", 2);
  assert.equal(t.chat.unread.after_secs, 2);
  assert.equal(s.chat.unread.after_secs, 15);
  assert.notEqual(t.chat, s.chat);
  assert.equal(t.form, s.form, "untouched branches are shared");
  const u = setIn(t, "contacts.socials.1.show", true);
  assert.ok(Array.isArray(u.contacts.socials));
  assert.equal(getIn(u, "contacts.socials.1.show"), true);
  assert.equal(getIn(u, "nope.deeper"), undefined);
});

test("normalizeSettings repairs grids, tab order and the social networks", () => {
  const raw = defaultSettings() as Settings;
  raw.form.hours = [[true]];
  raw.appearance.tab_order = ["form", "form", "chat"];
  raw.contacts.socials = [{ network: "vk", url: "https://vk.com/romashka", show: true }];
  const s = normalizeSettings(raw);
  assert.equal(s.form.hours.length, 7);
  assert.deepEqual(s.appearance.tab_order, ["form", "chat", "callback", "contacts"]);
  assert.equal(s.contacts.socials.length, 6);
  assert.equal(s.contacts.socials[0]!.url, "https://vk.com/romashka");
});

test("moves, field ids, sections of errors, visible tabs, contrast", () => {
  assert.deepEqual(move(["a", "b", "c"], 1, -1), ["b", "a", "c"]);
  assert.deepEqual(move(["a", "b"], 0, -1), ["a", "b"]);
  assert.equal(fieldId("ИНН", []), "inn");
  assert.equal(fieldId("ИНН", ["inn"]), "inn_2");
  assert.equal(fieldId("  ", []), "field");
  assert.equal(sectionOf("chat.name"), "chat");
  assert.equal(sectionOf("callback.title"), "callback");
  assert.equal(sectionOf("appearance.color"), "appearance");
  assert.equal(sectionOf("catchers"), "catchers");
  assert.equal(sectionOf("weird"), "appearance");
  const s = defaultSettings();
  assert.deepEqual(visibleTabs(s), ["chat", "form", "callback"], "contacts hide without an address");
  s.contacts.addresses.push({ address: "56.839920, 60.599666", info: "" });
  s.form.enabled = false;
  assert.deepEqual(visibleTabs(s), ["chat", "callback", "contacts"]);
  assert.equal(contrastText("#2563eb"), "#ffffff");
  assert.equal(contrastText("#fde047"), "#0f172a");
});

test("removing a field also drops it from every contact request", () => {
  const s = defaultSettings();
  s.fields.push({ id: "inn", label: "ИНН", kind: "text" });
  s.chat.unread.contact_request = { fields: [{ field: "inn", required: true }, { field: "phone", required: false }] };
  s.catchers.push({ name: "g", enabled: true, hooks: [{ id: "h", enabled: true, trigger: "exit_intent", value: "", text: "x", contact_request: { fields: [{ field: "inn", required: false }] }, show_on_mobile: true }] });
  const t = dropField(s, "inn");
  assert.ok(!t.fields.some((f) => f.id === "inn"));
  assert.deepEqual(t.chat.unread.contact_request, { fields: [{ field: "phone", required: false }] });
  assert.deepEqual(t.catchers[0]!.hooks[0]!.contact_request, { fields: [] });
});

test("the preview's config is the public config of the edited settings, as if open and online", () => {
  const s = defaultSettings();
  s.chat.welcome = "Я {NAME}, {NAME} поможет";
  s.contacts.enabled = true;
  s.contacts.socials[0]!.show = true;
  s.catchers = [{ name: "g", enabled: true, hooks: [{ ...s.catchers[0]?.hooks[0]!, id: "h1", enabled: true, trigger: "time_on_page", value: "5", text: "Помочь?", contact_request: null, show_on_mobile: true }] }];
  const c = previewConfig(s, "Анна") as any;
  assert.equal(c.chat.welcome, "Я Анна, Анна поможет");
  assert.equal(c.chat.enabled, true);
  assert.equal(c.contacts.enabled, false); // no address yet
  assert.deepEqual(c.contacts.socials, [{ network: "vk", url: "https://vk.com/" }]);
  assert.deepEqual(c.hooks.map((h: any) => h.id), ["h1"]);
  assert.deepEqual(c.initiators, []);
  s.catchers[0]!.enabled = false;
  assert.deepEqual((previewConfig(s, "Анна") as any).hooks, []);
});
