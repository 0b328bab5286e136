import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import path from "node:path";
import { always, baseURL, DemoAdmin, PROJECT, type Json } from "./support";

// The visitor widget on the demo page (`/demo`, project `demo`), driven by the project's widget
// settings (PRODUCT.md §8, §9).
//
// SETTINGS: every test here replaces the demo project's widget settings through the cabinet API
// (`PUT /api/v1/projects/demo/widget-settings` as the first administrator), starting from the
// settings found before the run with every tab open around the clock, no hooks and no
// auto-open; the original settings are put back after the file. Tests that need the chat tab
// also give the administrator the operator access and put them online
// (`PATCH …/members/{id}`, `PUT …/presence`; both undone after the file): the chat is shown
// only while an operator is online.

const rnd = () => Math.random().toString(36).slice(2, 10);
const demo = new DemoAdmin();

test.describe.configure({ mode: "serial" });

test.beforeAll(() => demo.open());

test.afterAll(() =>
  demo.close(async () => {
    if (!demo.wasOperator) await demo.api.put(PROJECT + "/presence", { data: { online: false } });
  }),
);

/** SETTINGS: the demo project's widget settings = the original ones, opened up, then `change`. */
async function configure(change: (s: Json) => void) {
  const s: Json = JSON.parse(JSON.stringify(demo.original));
  for (const tab of ["chat", "form", "callback", "contacts"]) {
    s[tab].enabled = true;
    s[tab].hours = always();
  }
  s.appearance.auto_open_secs = null;
  s.appearance.devices = { desktop: true, mobile: true };
  s.other.initiators = [];
  s.other.hidden_for_ips = [];
  s.catchers = [];
  change(s);
  await demo.saveSettings(s);
}

/**
 * The administrator takes the operator access (administrators answer only with it) and goes
 * online in Dialogs: the chat tab needs someone online.
 */
async function online(on: boolean) {
  await demo.grantOperator();
  await demo.setOnline(on);
}

const widget = (page: Page) => page.locator("#beseda-widget");

async function openWidget(page: Page): Promise<Locator> {
  await page.goto("/demo");
  await widget(page).getByRole("button", { name: "Открыть чат" }).click();
  const panel = widget(page).getByRole("dialog");
  await expect(panel).toBeVisible();
  return panel;
}

async function shot(page: Page, name: string, outputDir: string) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(outputDir, name + ".png"), animations: "disabled" });
}

const posted = (page: Page, what: string) =>
  page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === "/widget/v1/projects/demo/" + what);

test("tabs follow the settings: order, names, switches; contacts with addresses and social links", async ({ page }, testInfo) => {
  await configure((s) => {
    s.appearance.tab_order = ["contacts", "callback", "form", "chat"];
    s.chat.enabled = false;
    s.contacts.name = "Офисы";
    s.contacts.addresses = [
      { address: "56.839920, 60.599666", info: "Вход со двора, звонок справа" },
      { address: "Екатеринбург, ул. Ленина, 1", info: "Пн–Пт с 9 до 18" },
    ];
    s.contacts.socials = s.contacts.socials.map((x: Json) =>
      x.network === "vk"
        ? { ...x, show: true, url: "https://vk.com/beseda_demo" }
        : x.network === "telegram"
          ? { ...x, show: true, url: "https://t.me/beseda_demo" }
          : { ...x, show: false },
    );
  });
  const panel = await openWidget(page);
  const tabs = panel.getByRole("tab");
  await expect(tabs).toHaveText(["Офисы", "Звонки", "Заявка"]); // the chat is switched off
  await expect(tabs.first()).toHaveAttribute("aria-selected", "true");
  const contacts = panel.getByRole("tabpanel");
  await expect(contacts.getByText("Вход со двора, звонок справа")).toBeVisible();
  await expect(contacts.getByText("Екатеринбург, ул. Ленина, 1")).toBeVisible();
  await expect(contacts.getByRole("link", { name: "Показать на карте" }).first()).toHaveAttribute("href", /pt=60\.599666,56\.83992/);
  await expect(contacts.getByRole("link", { name: "ВКонтакте" })).toHaveAttribute("href", "https://vk.com/beseda_demo");
  await expect(contacts.getByRole("link", { name: "Telegram" })).toHaveAttribute("href", "https://t.me/beseda_demo");
  await expect(contacts.getByRole("link", { name: "WhatsApp" })).toHaveCount(0);
  await shot(page, "widget-contacts", testInfo.project.outputDir);

  // Arrow keys move between tabs; Esc closes and gives the focus back to the launcher.
  await tabs.first().focus();
  await page.keyboard.press("ArrowRight");
  await expect(panel.getByRole("tab", { name: "Звонки" })).toHaveAttribute("aria-selected", "true");
  await expect(panel.getByRole("tab", { name: "Звонки" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(widget(page).locator("#beseda-launcher")).toBeFocused();
});

test("request form: required fields, phone and e-mail shape, submit, thanks text", async ({ page }, testInfo) => {
  await configure((s) => {
    s.chat.enabled = false;
    s.callback.enabled = false;
    s.contacts.enabled = false;
    s.form.title = "Оставьте заявку на букет";
    s.form.fields.company = { visible: true, required: false };
    s.form.custom_field = { label: "Адрес доставки", rule: { visible: true, required: true } };
    s.form.custom_list = { label: "Повод", options: ["День рождения", "Свадьба", "Просто так"], rule: { visible: true, required: false } };
    s.form.thanks_text = "Спасибо! Флорист перезвонит в течение 15 минут.";
    s.form.button_text = "Отправить заявку";
  });
  const panel = await openWidget(page);
  await expect(panel.getByRole("tab")).toHaveCount(0); // one tab: no tab bar
  await expect(panel.getByRole("heading", { name: "Оставьте заявку на букет" })).toBeVisible();
  const name = panel.getByRole("textbox", { name: "Имя" });
  const phone = panel.getByRole("textbox", { name: "Телефон" });
  const email = panel.getByRole("textbox", { name: "E-mail" });
  const submit = panel.getByRole("button", { name: "Отправить заявку" });

  await submit.click();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toBeFocused();
  await expect(panel.getByText("Заполните это поле")).toHaveCount(3); // name, phone, delivery address
  await name.fill("Ольга");
  await phone.fill("12-34");
  await email.fill("olga@");
  await submit.click();
  await expect(panel.getByText(/^Номер телефона, например/)).toBeVisible();
  await expect(panel.getByText(/^Адрес e-mail, например/)).toBeVisible();
  await phone.fill("+7 912 345-67-89");
  await email.fill("olga@example.com");
  await panel.getByRole("textbox", { name: "Компания" }).fill("Ромашка");
  await panel.getByRole("textbox", { name: "Адрес доставки" }).fill("ул. Ленина, 1, кв. 5");
  await panel.getByRole("combobox", { name: "Повод" }).selectOption("День рождения");
  await expect(panel.getByText("Заполните это поле")).toHaveCount(0);
  await shot(page, "widget-form", testInfo.project.outputDir);

  const sent = posted(page, "requests");
  await submit.click();
  const body = (await sent).postDataJSON();
  expect(body.values).toEqual({
    name: "Ольга",
    phone: "+7 912 345-67-89",
    email: "olga@example.com",
    company: "Ромашка",
    custom: "ул. Ленина, 1, кв. 5",
    list: "День рождения",
  });
  expect(body.request_id).toMatch(/^[\w-]{8,64}$/);
  await expect(panel.getByText("Спасибо! Флорист перезвонит в течение 15 минут.")).toBeVisible({ timeout: 15_000 }); // after the server answered
  await expect(submit).toBeHidden();
  // The visitor got a token on the way (lazily: the first call that needed one).
  expect(await page.evaluate(() => localStorage.getItem("beseda:demo"))).toBeTruthy();
});

test("callback tab: phone, name and department go to the server, thanks with the number", async ({ page }, testInfo) => {
  await configure((s) => {
    s.chat.enabled = false;
    s.form.enabled = false;
    s.contacts.enabled = false;
    s.callback.title = "Перезвоним за 30 секунд";
    s.callback.text = "Оставьте номер — менеджер позвонит вам.";
    s.callback.groups = [
      { name: "Продажи", number: "+7 343 000-00-01" },
      { name: "Сервис", number: "+7 343 000-00-02" },
    ];
  });
  const panel = await openWidget(page);
  await expect(panel.getByRole("heading", { name: "Перезвоним за 30 секунд" })).toBeVisible();
  await expect(panel.getByText("Оставьте номер — менеджер позвонит вам.")).toBeVisible();
  const call = panel.getByRole("button", { name: "Перезвоните мне" });
  await call.click();
  await expect(panel.getByText("Заполните это поле")).toBeVisible();
  await panel.getByRole("textbox", { name: "Телефон" }).fill("8 912 345 67 89");
  await panel.getByRole("textbox", { name: "Имя" }).fill("Пётр");
  await panel.getByRole("combobox", { name: "Отдел" }).selectOption("Сервис");
  await shot(page, "widget-callback", testInfo.project.outputDir);

  const sent = posted(page, "callbacks");
  await call.click();
  const body = (await sent).postDataJSON();
  expect(body).toMatchObject({ phone: "8 912 345 67 89", name: "Пётр", group: "Сервис" });
  expect(body.request_id).toMatch(/^[\w-]{8,64}$/);
  await expect(panel.getByText("Спасибо, Пётр! Перезвоним на 8 912 345 67 89 в ближайшее время.")).toBeVisible();
});

test("a time_on_page hook opens the chat by itself; the first message carries its id (operator online)", async ({ page }) => {
  await configure((s) => {
    s.catchers = [
      {
        name: "Проверка",
        enabled: true,
        hooks: [{ id: "pw-time", enabled: true, trigger: "time_on_page", value: "2", text: "Подсказать с выбором букета?", contact_request: null, show_on_mobile: true }],
      },
    ];
  });
  await online(true);
  const widgetJs: string[] = [];
  page.on("request", (r) => r.url().includes("/widget/widget.js") && widgetJs.push(r.url()));

  await page.goto("/demo");
  const panel = widget(page).getByRole("dialog");
  await expect(widget(page).locator("#beseda-launcher")).toBeVisible();
  await page.waitForTimeout(1000);
  expect(widgetJs, "widget.js waits for the hook").toEqual([]);
  await expect(panel).toBeVisible({ timeout: 10_000 });
  expect(widgetJs.length).toBe(1);
  const log = panel.getByRole("log");
  await expect(log.getByText("Подсказать с выбором букета?")).toBeVisible();
  await expect(panel.getByRole("tab", { name: "Чат" })).toHaveAttribute("aria-selected", "true");

  const sent = posted(page, "messages");
  const input = panel.getByRole("textbox", { name: "Сообщение" });
  await input.fill("Да, нужен букет на юбилей");
  await input.press("Enter");
  const body = (await sent).postDataJSON();
  expect(body).toMatchObject({ text: "Да, нужен букет на юбилей", hook_id: "pw-time" });
  expect(body.client_id).toMatch(/^[\w-]{8,64}$/);
  expect(body.page_url).toContain("/demo");
  await expect(log.getByText("Да, нужен букет на юбилей")).toBeVisible();
  await expect(log.getByLabel("Доставлено")).toBeVisible();
  await expect(input).toHaveValue("");

  // The hook fires once per visit: a reload does not open the panel again.
  await page.reload();
  await expect(widget(page).locator("#beseda-launcher")).toBeVisible();
  await page.waitForTimeout(3000);
  await expect(widget(page).getByRole("dialog")).toBeHidden();
});

test("chat: the operator's reply arrives live and the visitor's message is marked read (operator API)", async ({ page }, testInfo) => {
  await configure((s) => {
    s.chat.welcome = "Здравствуйте! Меня зовут {NAME}. Чем могу помочь?";
  });
  await online(true);
  const panel = await openWidget(page);
  const log = panel.getByRole("log");
  await expect(log.locator(".bsd-msg").first()).toContainText("Здравствуйте! Меня зовут");
  const text = "Сколько стоит доставка? " + rnd();
  const input = panel.getByRole("textbox", { name: "Сообщение" });
  await input.fill(text);
  await input.press("Enter");
  await expect(log.getByLabel("Доставлено")).toBeVisible();

  // The operator side, through the cabinet API: find the dialog, open it (reads it), answer.
  const dialogId = await demo.dialogIdOf(text);
  expect((await demo.api.get(PROJECT + "/dialogs/" + dialogId)).status()).toBe(200);
  await expect(log.getByLabel("Прочитано")).toBeVisible();
  const reply = await demo.api.post(PROJECT + "/dialogs/" + dialogId + "/messages", { data: { text: "Доставка по городу — 300 ₽, от 5000 ₽ бесплатно.", client_id: "pw-" + rnd() } });
  expect(reply.status(), await reply.text()).toBe(201);
  await expect(log.getByText("Доставка по городу — 300 ₽, от 5000 ₽ бесплатно.")).toBeVisible();
  await shot(page, "widget-chat", testInfo.project.outputDir);

  // Text from anyone is text, never HTML.
  const evil = '<img src=x onerror="window.__pwned=1">Здравствуйте';
  await input.fill(evil);
  await input.press("Enter");
  await demo.api.post(PROJECT + "/dialogs/" + dialogId + "/messages", { data: { text: "<b onmouseover=alert(1)>Жирно?</b>", client_id: "pw-" + rnd() } });
  await expect(log.getByText(evil)).toBeVisible();
  await expect(log.getByText("<b onmouseover=alert(1)>Жирно?</b>")).toBeVisible();
  await expect(log.locator(".bsd-msg > div:not(.bsd-who) img, b")).toHaveCount(0); // the operator's photo aside
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();

  // Leaving after an answer, the visitor is asked once for a rating (ОКО); closing again closes.
  await panel.getByRole("button", { name: "Закрыть чат" }).click();
  await expect(panel.getByText("Оцените, пожалуйста, как мы вам помогли")).toBeVisible();
  await expect(panel.getByRole("button", { name: "Не сейчас" })).toBeVisible();
  await panel.getByRole("button", { name: "Закрыть чат" }).click();
  await expect(panel).toBeHidden();
  // Closed panel: a new reply shows as a badge on the launcher.
  await demo.api.post(PROJECT + "/dialogs/" + dialogId + "/messages", { data: { text: "Оформить заказ?", client_id: "pw-" + rnd() } });
  await expect(widget(page).getByRole("button", { name: "Открыть чат, новых сообщений: 1" })).toBeVisible();
  await widget(page).locator("#beseda-launcher").click();
  await expect(log.getByText("Оформить заказ?")).toBeVisible();

  // The conversation survives a reload (the visitor's token is kept in localStorage).
  await page.reload();
  await widget(page).getByRole("button", { name: /^Открыть чат/ }).click();
  await expect(widget(page).getByRole("log").getByText(text)).toBeVisible();
  await expect(widget(page).getByRole("log").getByText("Оформить заказ?")).toBeVisible();
});

test("contact request with the welcome message: the input waits for the required phone, which reaches the dialog", async ({ page }) => {
  await configure((s) => {
    s.chat.welcome = "Здравствуйте! Оставьте телефон — и спрашивайте.";
    s.chat.welcome_contact_request = { fields: [{ field: "phone", required: true }, { field: "name", required: false }] };
  });
  await online(true);
  const panel = await openWidget(page);
  const log = panel.getByRole("log");
  const card = log.locator("form");
  const input = panel.getByRole("textbox", { name: "Сообщение" });
  await expect(card.getByRole("textbox", { name: "Телефон" })).toBeVisible();
  await expect(card.getByText("Телефон *")).toBeVisible(); // required fields are marked
  await expect(input).toBeDisabled();
  await expect(input).toHaveAttribute("placeholder", "Сначала оставьте контакты");

  await card.getByRole("textbox", { name: "Телефон" }).fill("12");
  await card.getByRole("button", { name: "Отправить" }).click();
  await expect(card.getByText(/^Номер телефона, например/)).toBeVisible();
  await card.getByRole("textbox", { name: "Телефон" }).fill("+7 912 555-44-33");
  await card.getByRole("textbox", { name: "Имя" }).fill("Анна");
  await card.getByRole("button", { name: "Отправить" }).click();
  await expect(card).toHaveCount(0);
  await expect(input).toBeEnabled();

  // The server takes contacts for a dialog: they follow the first message.
  const text = "Есть ли белые розы? " + rnd();
  const contactSent = posted(page, "contact");
  await input.fill(text);
  await input.press("Enter");
  expect((await contactSent).postDataJSON()).toEqual({ values: { phone: "+7 912 555-44-33", name: "Анна" } });
  await expect(log.getByLabel("Доставлено")).toBeVisible();
  await expect
    .poll(async () => {
      const d = await demo.openDialogWith(text);
      return d ? { phone: String(d.contact.phone || "").replace(/\D/g, ""), pending: d.pending_contact_request } : null;
    })
    .toEqual({ phone: "79125554433", pending: null });
  const second = posted(page, "messages");
  await input.fill("И сколько стоят?");
  await input.press("Enter");
  expect((await (await second).response())!.status()).toBe(201);
});

async function mobilePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: "ru-RU", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  return context.newPage();
}

test("mobile: full-screen panel, launcher hidden while open; hooks off on mobile", async ({ browser }, testInfo) => {
  await configure((s) => {
    s.appearance.hooks_on_mobile = false;
    s.catchers = [
      { name: "Проверка", enabled: true, hooks: [{ id: "pw-mobile", enabled: true, trigger: "time_on_page", value: "1", text: "Крючок на телефоне", contact_request: null, show_on_mobile: true }] },
    ];
  });
  await online(true);
  const page = await mobilePage(browser);
  await page.goto("/demo");
  const launcher = widget(page).locator("#beseda-launcher");
  await expect(launcher).toBeVisible();
  await page.waitForTimeout(2500);
  await expect(widget(page).getByRole("dialog")).toBeHidden(); // hooks_on_mobile is off

  await launcher.tap();
  const panel = widget(page).getByRole("dialog");
  await expect(panel).toBeVisible();
  const box = (await panel.boundingBox())!;
  expect(box).toEqual({ x: 0, y: 0, width: 390, height: 844 });
  await expect(launcher).toBeHidden();
  await expect(panel.getByRole("tab")).toHaveText(["Чат", "Заявка", "Звонки"]);
  await expect(panel.getByRole("textbox", { name: "Сообщение" })).toBeVisible();
  await shot(page, "widget-mobile", testInfo.project.outputDir);
  await panel.getByRole("tab", { name: "Заявка" }).tap();
  await expect(panel.getByRole("textbox", { name: "Телефон" })).toBeVisible();
  await panel.getByRole("button", { name: "Закрыть чат" }).tap();
  await expect(panel).toBeHidden();
  await expect(launcher).toBeVisible();
  await page.context().close();
});

test("auto-open after N seconds, once per visit; the panel follows colour and side", async ({ page }) => {
  await configure((s) => {
    s.chat.enabled = false;
    s.appearance.auto_open_secs = 1;
    s.appearance.color = "#0f766e";
    s.appearance.side = "left";
  });
  await page.goto("/demo");
  const panel = widget(page).getByRole("dialog");
  await expect(panel).toBeVisible({ timeout: 5000 });
  const box = (await panel.boundingBox())!;
  expect(box.x).toBeLessThan(100); // left side
  await expect(panel.locator(".bsd-head")).toHaveCSS("background-color", "rgb(15, 118, 110)");
  await panel.getByRole("button", { name: "Закрыть чат" }).click();
  await page.reload();
  await expect(widget(page).locator("#beseda-launcher")).toBeVisible();
  await page.waitForTimeout(2000);
  await expect(widget(page).getByRole("dialog")).toBeHidden();
});

test("initiators open the widget; switched-off devices and hidden IPs render nothing; icon mode", async ({ page }) => {
  await configure((s) => {
    s.chat.enabled = false;
    s.other.initiators = ["order-call"];
  });
  await page.goto("/demo");
  await expect(widget(page).locator("#beseda-launcher")).toBeVisible();
  await page.evaluate(() => {
    if (document.getElementById("order-call")) return;
    const b = document.createElement("button");
    b.id = "order-call";
    b.textContent = "Заказать звонок";
    document.body.prepend(b);
  });
  await page.locator("#order-call").click();
  await expect(widget(page).getByRole("dialog")).toBeVisible();

  const config = (p: Page) => p.waitForResponse((r) => new URL(r.url()).pathname === "/widget/v1/projects/demo/config");
  await configure((s) => (s.appearance.devices = { desktop: false, mobile: true }));
  let answered = config(page);
  await page.reload();
  await answered;
  await page.waitForTimeout(300);
  await expect(widget(page)).toHaveCount(0);

  await configure((s) => (s.other.hidden_for_ips = ["127.0.0.1", "::1"]));
  answered = config(page);
  await page.reload();
  expect((await (await answered).json()).hidden).toBe(true);
  await page.waitForTimeout(300);
  await expect(widget(page)).toHaveCount(0);

  // Icon mode: chat, form and callback off — the social links as icons.
  await configure((s) => {
    s.chat.enabled = s.form.enabled = s.callback.enabled = false;
    s.contacts.addresses = [];
    s.appearance.icon_mode = true;
    s.contacts.socials = s.contacts.socials.map((x: Json) => ({ ...x, show: x.network === "whatsapp", url: x.network === "whatsapp" ? "https://wa.me/79120000000" : x.url }));
  });
  await page.reload();
  await widget(page).locator("#beseda-launcher").click();
  await expect(widget(page).getByRole("link", { name: "WhatsApp" })).toHaveAttribute("href", "https://wa.me/79120000000");
  await expect(widget(page).getByRole("dialog")).toHaveCount(0);
});
