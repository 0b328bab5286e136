import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import path from "node:path";
import { always, baseURL, cabinetPage, DemoAdmin, PROJECT, type Json } from "./support";

// The website chat end to end (PRODUCT.md §8, §10): a visitor of the demo site (`/demo`,
// project `demo`) writes in the widget, the operator sees the dialog appear in the cabinet's
// Dialogs without a reload, answers, and the visitor reads the answer; the «not read in N s»
// auto-message reaches both sides.
//
// SETTINGS: the administrator takes the operator access on `demo` (the administrator keeps
// theirs) and goes online through the API; the demo project's widget settings are replaced
// for each test (chat open around the clock) and everything is put back after the file.

const rnd = () => Math.random().toString(36).slice(2, 8);
const demo = new DemoAdmin();

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  await demo.open();
  const member = await demo.grantOperator();
  if (member) expect(member.accesses).toEqual(expect.arrayContaining(["admin", "operator"]));
  await demo.setOnline(true);
});

test.afterAll(() => demo.close(() => demo.api.put(PROJECT + "/presence", { data: { online: false } })));

/** SETTINGS: the original settings with the chat open around the clock, then `change`. */
async function configure(change: (s: Json) => void) {
  const s: Json = JSON.parse(JSON.stringify(demo.original));
  s.chat.enabled = true;
  s.chat.hours = always();
  s.chat.welcome_contact_request = null;
  s.appearance.auto_open_secs = null;
  s.appearance.devices = { desktop: true, mobile: true };
  s.other.hidden_for_ips = [];
  s.catchers = [];
  change(s);
  await demo.saveSettings(s);
}

/** The operator: signed in through the form, on project `demo`, in Dialogs. */
async function operatorPage(browser: Browser): Promise<Page> {
  const page = await cabinetPage(browser);
  await page.getByRole("navigation", { name: "Главное меню" }).getByRole("link", { name: "Диалоги" }).click();
  await expect(page).toHaveURL(/\/dialogs$/);
  await expect(page.getByRole("tab", { name: /^Мои/ })).toHaveAttribute("aria-selected", "true");
  return page;
}

/** A visitor of the demo site with the chat open. */
async function visitorChat(browser: Browser): Promise<{ page: Page; panel: Locator }> {
  const context = await browser.newContext({ baseURL, locale: "ru-RU", viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto("/demo");
  const widget = page.locator("#beseda-widget");
  await widget.getByRole("button", { name: /^Открыть чат/ }).click();
  const panel = widget.getByRole("dialog");
  await expect(panel).toBeVisible();
  return { page, panel };
}

async function shot(page: Page, name: string, outputDir: string) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(outputDir, name + ".png"), animations: "disabled" });
}

const sounds = (page: Page) => page.evaluate(() => ((window as any).__besedaSounds || []).map((s: { sound: string }) => s.sound) as string[]);

test("a visitor writes, the dialog appears live, the operator answers, the visitor reads it", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  await configure((s) => {
    s.chat.welcome = "Здравствуйте! Меня зовут {NAME}. Чем помочь?";
    s.chat.unread.enabled = false;
    s.chat.unanswered.enabled = false;
  });
  const op = await operatorPage(browser);
  const presence = op.getByRole("switch", { name: /Онлайн|Офлайн/ });
  await expect(presence).toHaveAttribute("aria-checked", "true");
  const list = op.getByRole("navigation", { name: "Диалоги" });

  // The visitor writes; the operator's list gets the dialog without a reload, with a new-request tone.
  const { page: site, panel } = await visitorChat(browser);
  const question = "Есть ли розы «Эквадор» к пятнице? " + rnd();
  const input = panel.getByRole("textbox", { name: "Сообщение" });
  await input.fill(question);
  await input.press("Enter");
  const row = list.getByRole("link").filter({ hasText: question });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByLabel("непрочитанных сообщений: 1")).toBeVisible();
  await expect(op.getByRole("tab", { name: /^Мои/ }).getByLabel(/непрочитанных диалогов: \d+/)).toBeVisible();
  await expect.poll(() => sounds(op)).toContain("new_request");

  // Opened: the messages, the contact card; the unread badge is gone and the visitor sees ✓✓.
  await row.click();
  const log = op.getByRole("log", { name: "Сообщения диалога" });
  await expect(log.getByText(question)).toBeVisible();
  // The welcome the visitor saw comes first, as the dialog's greeting.
  await expect(log.locator(".msg-system").first()).toContainText("Приветствие");
  await expect(log.locator(".msg-system").first()).toContainText("Здравствуйте! Меня зовут");
  // From here on the row is found by the visitor's name (its last text changes).
  const who = (await op.getByRole("heading", { level: 2, name: /^Посетитель / }).first().innerText()).trim();
  const dialogRow = list.getByRole("link").filter({ has: op.getByText(who, { exact: true }) });
  await expect(dialogRow).toHaveAttribute("aria-current", "true");
  await expect(dialogRow.getByLabel(/непрочитанных сообщений/)).toHaveCount(0);
  const card = op.getByRole("complementary", { name: "Контакт и операторы" });
  await expect(card.getByText("IP-адрес")).toBeVisible();
  await expect(card.getByText("Страница")).toBeVisible();
  await expect(card.getByRole("heading", { name: "Операторы" })).toBeVisible();
  await expect(panel.getByRole("log").getByLabel("Прочитано")).toBeVisible();

  // The visitor types: «Посетитель печатает…» on the operator's side.
  await input.pressSequentially("А доставка", { delay: 60 });
  await expect(op.getByText("Посетитель печатает…")).toBeVisible();
  await input.fill("");

  // The operator answers with Enter (Shift+Enter is a new line); the visitor gets it live.
  const reply = op.getByRole("textbox", { name: "Ответ посетителю" });
  await reply.fill("Да, есть! Доставим сегодня.");
  await reply.press("Shift+Enter");
  await reply.pressSequentially("Оформить заказ?");
  await expect(reply).toHaveValue("Да, есть! Доставим сегодня.\nОформить заказ?");
  await expect(op.getByText(`${Array.from("Да, есть! Доставим сегодня.\nОформить заказ?").length} / 4000`)).toBeVisible();
  await reply.press("Enter");
  await expect(reply).toHaveValue("");
  await expect(log.getByText(/Да, есть! Доставим сегодня.\s+Оформить заказ\?/)).toBeVisible();
  await expect(panel.getByRole("log").getByText(/Да, есть! Доставим сегодня./)).toBeVisible();
  // The visitor's widget reads the answer: ✓✓ on the operator's side.
  await expect(log.getByRole("img", { name: "Прочитано" }).last()).toBeVisible();

  // Visitor text is text, never HTML.
  const evil = '<img src=x onerror="window.__pwned=1">Спасибо!';
  await input.fill(evil);
  await input.press("Enter");
  await expect(log.getByText(evil)).toBeVisible();
  await expect(log.locator("img")).toHaveCount(0);
  expect(await op.evaluate(() => (window as any).__pwned)).toBeUndefined();
  await expect(dialogRow).toContainText(evil);
  await shot(op, "dialogs-live", testInfo.project.outputDir);
  await shot(site, "dialogs-visitor", testInfo.project.outputDir);

  // Closed: into the archive; reopened: back into «Мои».
  await op.getByRole("button", { name: "Закрыть", exact: true }).click();
  await expect(op.getByText("Диалог закрыт и лежит в архиве.")).toBeVisible();
  await expect(dialogRow).toHaveCount(0);
  await op.getByRole("tab", { name: /^Архив/ }).click();
  await dialogRow.click();
  await expect(op.getByRole("log", { name: "Сообщения диалога" }).getByText(evil)).toBeVisible();
  await op.getByRole("button", { name: "Открыть снова" }).first().click();
  await expect(op.getByRole("textbox", { name: "Ответ посетителю" })).toBeVisible();
  await op.getByRole("tab", { name: /^Мои/ }).click();
  await expect(dialogRow).toBeVisible();

  // The online switch is the server's: off and on again, it survives a reload.
  await presence.click();
  await expect(presence).toHaveAttribute("aria-checked", "false");
  await expect.poll(async () => (await (await demo.api.get(PROJECT + "/presence")).json()).online).toBe(false);
  await expect.poll(() => sounds(op)).toContain("presence_off");
  await presence.click();
  await expect(presence).toHaveAttribute("aria-checked", "true");
  await op.reload();
  await expect(op.getByRole("switch", { name: /Онлайн|Офлайн/ })).toHaveAttribute("aria-checked", "true");
  expect((await (await demo.api.get(PROJECT + "/presence")).json()).online).toBe(true);
  await op.context().close();
  await site.context().close();
});

test("the «not read in N s» auto-message reaches the widget and the cabinet", async ({ browser }, testInfo) => {
  test.setTimeout(90_000);
  const auto = "Все операторы заняты — оставьте телефон, перезвоним. " + rnd();
  await configure((s) => {
    s.chat.unread = { enabled: true, after_secs: 1, text: auto, contact_request: null };
    s.chat.unanswered.enabled = false;
  });
  const op = await operatorPage(browser);
  const list = op.getByRole("navigation", { name: "Диалоги" });
  const { page: site, panel } = await visitorChat(browser);
  const question = "Сколько стоит букет из 25 роз? " + rnd();
  const input = panel.getByRole("textbox", { name: "Сообщение" });
  await input.fill(question);
  await input.press("Enter");

  // Nobody reads it within a second: the auto-message comes to the visitor…
  await expect(panel.getByRole("log").getByText(auto)).toBeVisible({ timeout: 20_000 });
  // …and to the cabinet, where the dialog appeared live and still waits to be read.
  const row = list.getByRole("link").filter({ hasText: question });
  await expect(row).toBeVisible();
  await row.click();
  const log = op.getByRole("log", { name: "Сообщения диалога" });
  await expect(log.getByText(question)).toBeVisible();
  const bubble = log.locator(".msg-system").filter({ hasText: auto });
  await expect(bubble).toBeVisible();
  await expect(bubble.getByText("Автосообщение")).toBeVisible();
  await shot(op, "dialogs-auto-message", testInfo.project.outputDir);
  await op.context().close();
  await site.context().close();
});
