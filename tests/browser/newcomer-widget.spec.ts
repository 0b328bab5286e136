import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { always, baseURL, DemoAdmin, PROJECT, type Json } from "./support";
import { screenshot } from "./shots";

// What a new visitor tripped over in the widget (issue 10, items 1–7), each checked at the size
// where it failed, with screenshots of both sides, phone and desktop, open, closed and off-hours
// (in widget/screenshots/, git-ignored).
//
// SETTINGS: every test replaces the demo project's widget settings through the cabinet API
// (every tab open around the clock, then the test's change); the administrator takes the
// operator access and goes online or offline as the test needs. All of it is put back after
// the file.

const demo = new DemoAdmin();

test.describe.configure({ mode: "serial", timeout: 90_000 });
test.beforeAll(async () => {
  await demo.open();
  await demo.grantOperator();
});
test.afterAll(() => demo.close(() => demo.api.put(PROJECT + "/presence", { data: { online: false } })));

async function configure(change: (s: Json) => void) {
  const s: Json = JSON.parse(JSON.stringify(demo.original));
  for (const tab of ["chat", "form", "callback", "contacts"]) {
    s[tab].enabled = true;
    s[tab].hours = always();
  }
  s.chat.welcome_contact_request = null;
  s.appearance.auto_open_secs = null;
  s.appearance.devices = { desktop: true, mobile: true };
  s.appearance.side = "right";
  s.other.initiators = [];
  s.other.hidden_for_ips = [];
  s.other.language = "ru";
  s.catchers = [];
  change(s);
  await demo.saveSettings(s);
}

const widget = (page: Page) => page.locator("#beseda-widget");

async function visitor(browser: Browser, phone: boolean): Promise<Page> {
  const context = await browser.newContext(
    phone
      ? { baseURL, locale: "ru-RU", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
      : { baseURL, locale: "ru-RU", viewport: { width: 1366, height: 800 } },
  );
  const page = await context.newPage();
  await page.goto("/demo");
  await expect(widget(page).locator("#beseda-launcher")).toBeVisible();
  return page;
}

async function openPanel(page: Page): Promise<Locator> {
  await widget(page).locator("#beseda-launcher").click();
  const panel = widget(page).getByRole("dialog");
  await expect(panel).toBeVisible();
  return panel;
}

/** The element lies wholly inside the viewport. */
async function inView(page: Page, l: Locator) {
  const b = (await l.boundingBox())!;
  const v = page.viewportSize()!;
  expect(b.x).toBeGreaterThanOrEqual(0);
  expect(b.y).toBeGreaterThanOrEqual(0);
  expect(b.x + b.width).toBeLessThanOrEqual(v.width + 0.5);
  expect(b.y + b.height).toBeLessThanOrEqual(v.height + 0.5);
}

test("1: on a phone the panel is full-screen on either side, its buttons on screen", async ({ browser }) => {
  await demo.setOnline(true);
  for (const side of ["left", "right"]) {
    await configure((s) => (s.appearance.side = side));
    const page = await visitor(browser, true);
    await screenshot(page, `widget-phone-${side}-closed`);
    const panel = await openPanel(page);
    expect(await panel.boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    await inView(page, panel.getByRole("button", { name: "Закрыть чат" }));
    await inView(page, panel.getByRole("button", { name: "Отправить" }));
    await screenshot(page, `widget-phone-${side}-open`);
    await page.context().close();
  }
});

test("3, 2: the header tells the truth offline, and the chat comes when an operator does", async ({ browser }) => {
  await demo.setOnline(false);
  await configure(() => {});
  const page = await visitor(browser, false);
  const panel = await openPanel(page);
  const head = panel.locator(".bsd-head");
  await expect(head.getByRole("heading")).toHaveText("Сейчас нас нет в сети");
  await expect(head).not.toContainText("Мы на связи");
  await expect(panel.getByRole("tab", { name: "Чат" })).toBeHidden();
  await screenshot(page, "widget-desktop-right-offline");

  // The operator comes online while the panel is open: the chat follows without a reload.
  await demo.setOnline(true);
  await expect(panel.getByRole("tab", { name: "Чат" })).toBeVisible({ timeout: 15_000 });
  await expect(head.getByRole("heading")).toHaveText("Мы на связи");
  await expect(head).toContainText("Онлайн");
  await page.context().close();

  // Outside working hours (one hour a day, twelve hours from now in the project's Moscow time):
  // the header says when we answer.
  const moscowHour = (new Date().getUTCHours() + 3) % 24;
  const open = (moscowHour + 12) % 24;
  await configure((s) => (s.chat.hours = Array.from({ length: 7 }, () => Array<boolean>(24).fill(false).map((_, h) => h === open))));
  const late = await visitor(browser, false);
  const p2 = await openPanel(late);
  await expect(p2.locator(".bsd-head").getByRole("heading")).toHaveText("Сейчас нас нет в сети");
  await expect(p2.locator(".bsd-head")).toContainText(/Ответим (сегодня|завтра) в \d\d:00\./);
  await screenshot(late, "widget-desktop-off-hours");
  await late.context().close();
});

test("4, 5: the form's button is in view at 1366×800 and the visitor gets a confirmation by name", async ({ browser }) => {
  await demo.setOnline(false);
  await configure((s) => {
    s.chat.enabled = false;
    s.form.thanks_text = "";
    s.form.fields.company = { visible: true, required: false };
    s.form.custom_field = { label: "Адрес доставки", rule: { visible: true, required: false } };
    s.form.custom_list = { label: "Повод", options: ["День рождения", "Свадьба"], rule: { visible: true, required: false } };
  });
  const page = await visitor(browser, false);
  const panel = await openPanel(page);
  const submit = panel.locator(".bsd-actions").getByRole("button");
  await expect(submit).toBeVisible();
  await inView(page, submit);
  const pb = (await panel.boundingBox())!;
  const sb = (await submit.boundingBox())!;
  expect(sb.y + sb.height).toBeLessThanOrEqual(pb.y + pb.height);
  await screenshot(page, "widget-desktop-form");
  await panel.getByRole("textbox", { name: "Имя" }).fill("Мария");
  await panel.getByRole("textbox", { name: "Телефон" }).fill("+7 912 345-67-89");
  await submit.click();
  await expect(panel.getByRole("status").filter({ hasText: "Спасибо, Мария, мы свяжемся с вами по +7 912 345-67-89." })).toBeVisible({ timeout: 15_000 });
  await screenshot(page, "widget-desktop-form-sent");
  await page.context().close();
});

test("5: a contact request answered in the chat is confirmed there", async ({ browser }) => {
  await demo.setOnline(true);
  await configure((s) => {
    s.chat.welcome = "Здравствуйте! Оставьте телефон, перезвоним.";
    s.chat.welcome_contact_request = { fields: [{ field: "name", required: false }, { field: "phone", required: true }] };
  });
  const page = await visitor(browser, false);
  const panel = await openPanel(page);
  const card = panel.locator("form.bsd-card");
  await card.getByRole("textbox", { name: "Имя" }).fill("Мария");
  await card.getByRole("textbox", { name: "Телефон" }).fill("+7 912 345-67-89");
  await card.getByRole("button", { name: "Отправить" }).click();
  await expect(card).toBeHidden();
  await expect(panel.getByRole("log").getByText("Спасибо, Мария, мы свяжемся с вами по +7 912 345-67-89.")).toBeVisible();
  await page.context().close();
});

test("7: the visitor's own ru/en switch, kept for the next visit", async ({ browser }) => {
  await demo.setOnline(true);
  await configure(() => {});
  const page = await visitor(browser, false);
  let panel = await openPanel(page);
  await panel.getByRole("button", { name: "English" }).click();
  panel = widget(page).getByRole("dialog");
  await expect(panel.getByRole("tab")).toHaveText(["Chat", "Request", "Calls"]);
  await expect(panel.getByRole("textbox", { name: "Message" })).toBeVisible();
  await expect(panel.locator(".bsd-head").getByRole("heading")).toHaveText("We're here to help");
  await screenshot(page, "widget-desktop-english");
  await page.reload();
  panel = await openPanel(page);
  await expect(panel.getByRole("button", { name: "Close chat" })).toBeVisible();
  await panel.getByRole("button", { name: "Русский" }).click();
  await expect(widget(page).getByRole("dialog").getByRole("textbox", { name: "Сообщение" })).toBeVisible();
  await page.context().close();
});

test("6: once an operator answers, the visitor sees their name and photo", async ({ browser }) => {
  await demo.setOnline(true);
  await configure(() => {});
  // A 1×1 PNG as the administrator's photo (removed after the test).
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
  const put = await demo.api.put("/api/v1/me/avatar", { headers: { "Content-Type": "image/png" }, data: png });
  expect(put.status(), await put.text()).toBe(200);
  const page = await visitor(browser, false);
  const panel = await openPanel(page);
  const text = "Есть розы? " + Math.random().toString(36).slice(2, 8);
  await panel.getByRole("textbox", { name: "Сообщение" }).fill(text);
  await panel.getByRole("textbox", { name: "Сообщение" }).press("Enter");
  const id = await demo.dialogIdOf(text);
  const reply = await demo.api.post(PROJECT + "/dialogs/" + id + "/messages", { data: { text: "Есть, красные и белые.", client_id: "pw-" + Date.now() } });
  expect(reply.status(), await reply.text()).toBe(201);
  const author = (await reply.json()).message.author as string;
  const log = panel.getByRole("log");
  await expect(log.getByText("Есть, красные и белые.")).toBeVisible();
  await expect(log.locator(".bsd-who").last()).toContainText(author);
  const head = panel.locator(".bsd-head");
  await expect(head.getByRole("heading")).toHaveText(author);
  await expect(head.locator(".bsd-face img")).toHaveJSProperty("naturalWidth", 1);
  await screenshot(page, "widget-desktop-operator");
  await page.context().close();
  await demo.api.delete("/api/v1/me/avatar");
});

test("screenshots: the left side on a desktop, open and closed", async ({ browser }) => {
  await demo.setOnline(true);
  await configure((s) => (s.appearance.side = "left"));
  const page = await visitor(browser, false);
  await screenshot(page, "widget-desktop-left-closed");
  const panel = await openPanel(page);
  expect((await panel.boundingBox())!.x).toBeLessThan(100);
  await screenshot(page, "widget-desktop-left-open");
  await page.context().close();
});
