import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_COLOR, launchConfig, normalizeConfig, shouldRender, useIcons, visibleTabs } from "../src/config";

/** The example config of the widget API. */
const demo = () => ({
  project_id: "demo",
  language: "ru",
  color: "#2563eb",
  side: "right",
  devices: { desktop: true, mobile: true },
  auto_open_secs: null,
  tab_order: ["chat", "form", "callback", "contacts"],
  hooks_on_mobile: true,
  icon_mode: false,
  initiators: ["order-call"],
  hidden: false,
  operators_online: true,
  fields: [
    { id: "name", label: "Имя", kind: "text" },
    { id: "phone", label: "Телефон", kind: "phone" },
    { id: "email", label: "E-mail", kind: "email" },
    { id: "inn", label: "ИНН", kind: "text" },
  ],
  chat: { enabled: true, name: "Чат", open_now: true, next_open: null, welcome: "Здравствуйте! Меня зовут Анна.", welcome_contact_request: null },
  form: {
    enabled: true,
    name: "Заявка",
    open_now: true,
    title: "Оставьте заявку",
    fields: {
      name: { visible: true, required: true },
      phone: { visible: true, required: true },
      email: { visible: true, required: false },
      company: { visible: false, required: false },
    },
    custom_field: null,
    custom_list: null,
    thanks_text: "Спасибо!",
    button_text: "Отправить",
  } as Record<string, unknown>,
  callback: { enabled: true, name: "Звонки", open_now: true, next_open: null, title: "Перезвоним за 30 секунд", text: "…", groups: [{ name: "Продажи" }] },
  contacts: {
    enabled: false,
    name: "Контакты",
    addresses: [{ address: "Ленина, 1", info: "с 9 до 18" }],
    socials: [{ network: "vk", url: "https://vk.com/x" }] as Record<string, unknown>[],
  },
  hooks: [{ id: "h1", trigger: "time_on_page", value: "20", text: "Подсказать с выбором?", contact_request: null, show_on_mobile: true }] as Record<string, unknown>[],
});

test("no config gives Russian defaults and nothing to show", () => {
  const c = normalizeConfig(null);
  assert.equal(c.lang, "ru");
  assert.equal(c.color, DEFAULT_COLOR);
  assert.equal(c.side, "right");
  assert.deepEqual(c.tabOrder, ["chat", "form", "callback", "contacts"]);
  assert.equal(c.fields.length, 3);
  assert.deepEqual(visibleTabs(c), []);
  assert.equal(shouldRender(c, false), false);
});

test("the API example is taken over", () => {
  const c = normalizeConfig(demo());
  assert.equal(c.chat.enabled, true);
  assert.equal(c.chat.welcome, "Здравствуйте! Меня зовут Анна.");
  assert.deepEqual(c.initiators, ["order-call"]);
  assert.deepEqual(c.callback.groups, ["Продажи"]);
  assert.equal(c.form.fields.company.visible, false);
  assert.equal(c.form.fields.name.required, true);
  assert.equal(c.hooks[0].text, "Подсказать с выбором?");
  assert.equal(c.hooks[0].trigger, "time_on_page");
  assert.deepEqual(visibleTabs(c), ["chat", "form", "callback"]); // contacts switched off
  assert.equal(shouldRender(c, false), true);
});

test("tab order is kept, unknown and repeated tabs dropped, missing ones appended", () => {
  const raw = demo();
  raw.tab_order = ["contacts", "callback", "bogus", "callback"];
  raw.contacts.enabled = true;
  const c = normalizeConfig(raw);
  assert.deepEqual(c.tabOrder, ["contacts", "callback", "chat", "form"]);
  assert.deepEqual(visibleTabs(c), ["contacts", "callback", "chat", "form"]);
});

test("a tab is hidden when switched off or out of hours; contacts need an address", () => {
  const raw = demo();
  raw.chat.enabled = false;
  raw.form.open_now = false;
  raw.contacts.enabled = true;
  raw.contacts.addresses = [];
  const c = normalizeConfig(raw);
  assert.deepEqual(visibleTabs(c), ["callback"]);
  // the chat stays while the visitor has a conversation to read
  assert.deepEqual(visibleTabs(c, true), ["chat", "callback"]);
});

test("hidden (blocked IP) and switched-off devices render nothing", () => {
  const raw = demo() as Record<string, unknown>;
  assert.equal(shouldRender(launchConfig({ ...raw, hidden: true }), false), false);
  const noMobile = launchConfig({ ...raw, devices: { desktop: true, mobile: false } });
  assert.equal(shouldRender(noMobile, true), false);
  assert.equal(shouldRender(noMobile, false), true);
});

test("icon mode: only when chat, form and callback are all off and there are social links", () => {
  const raw = demo();
  (raw as any).icon_mode = true;
  assert.equal(useIcons(normalizeConfig(raw)), false);
  raw.chat.enabled = false;
  raw.form.enabled = false;
  raw.callback.enabled = false;
  const c = normalizeConfig(raw);
  assert.equal(useIcons(c), true);
  assert.equal(shouldRender(c, false), true);
  assert.equal(useIcons(c, true), false); // an old conversation brings the chat tab back
  raw.contacts.socials = [{ network: "vk", url: "javascript:alert(1)" }, { network: "ok", url: "https://ok.ru/x", show: false }];
  const bad = normalizeConfig(raw);
  assert.equal(bad.contacts.socials.length, 0);
  assert.equal(useIcons(bad), false);
  assert.equal(shouldRender(bad, false), false);
});

test("contact requests keep only known fields; hooks need an id, a text and a known trigger", () => {
  const raw = demo();
  (raw.chat as any).welcome_contact_request = {
    fields: [
      { field: "phone", required: true },
      { field: "nope", required: true },
      { field: "inn", required: false },
      { field: "phone", required: false },
    ],
  };
  raw.hooks.push({ id: "h2", trigger: "mind_reading", value: "1", text: "?" }, { id: "", trigger: "exit_intent", text: "x" }, { id: "h3", trigger: "exit_intent", text: " " });
  const c = normalizeConfig(raw);
  assert.deepEqual(c.chat.welcomeRequest, { fields: [{ field: "phone", required: true }, { field: "inn", required: false }] });
  assert.deepEqual(c.hooks.map((h) => h.id), ["h1"]);
  assert.equal(launchConfig(raw).hooks.length, 1);
});

test("form: custom field and list, invisible fields are never required", () => {
  const raw = demo();
  raw.form.custom_field = { label: "Город", rule: { visible: true, required: true } };
  raw.form.custom_list = { label: "Услуга", options: ["Доставка", " ", 5, "Самовывоз"], rule: { visible: true, required: false } };
  raw.form.fields = { company: { visible: false, required: true } };
  const c = normalizeConfig(raw);
  assert.deepEqual(c.form.custom, { label: "Город", rule: { visible: true, required: true } });
  assert.deepEqual(c.form.list!.options, ["Доставка", "Самовывоз"]);
  assert.deepEqual(c.form.fields.company, { visible: false, required: false });
  assert.deepEqual(c.form.fields.name, { visible: true, required: true });
});

test("malformed fields fall back one by one", () => {
  const c = normalizeConfig({ language: "de", color: "javascript:1", side: "top", chat: "yes", auto_open_secs: -5, initiators: ["ok", 5, "has space"], devices: 1 });
  assert.equal(c.lang, "ru");
  assert.equal(c.color, DEFAULT_COLOR);
  assert.equal(c.side, "right");
  assert.equal(c.autoOpenSecs, null);
  assert.deepEqual(c.initiators, ["ok"]);
  assert.deepEqual(c.devices, { desktop: true, mobile: true });
  assert.equal(c.chat.enabled, false);
  assert.equal(c.chat.name, "Чат");
  assert.equal(normalizeConfig({ language: "en" }).form.name, "Request");
});

test("in English the project's default Russian tab and field names read in English; its own names stay", () => {
  const raw: any = demo();
  raw.language = "en";
  raw.contacts.name = "Офисы";
  const c = normalizeConfig(raw);
  assert.deepEqual([c.chat.name, c.form.name, c.contacts.name], ["Chat", "Request", "Офисы"]);
  assert.deepEqual(c.fields.map((f) => f.label), ["Name", "Phone", "E-mail", "ИНН"]);
  assert.equal(normalizeConfig(demo()).chat.name, "Чат");
});
