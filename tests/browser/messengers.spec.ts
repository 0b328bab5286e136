import { expect, request, test, type Browser, type Page } from "@playwright/test";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { baseURL, DemoAdmin, PROJECT, adminEmail, adminPassword, listen, shut, type Json } from "./support";
import { screenshot, SHOTS } from "./shots";

// A Telegram dialog end to end in the cabinet (PRODUCT.md §6, §10; issue 7): the administrator
// sets the bot in Настройки → Синхронизации, a Telegram user writes to the bot, the dialog
// appears in Диалоги with the Telegram mark and the customer's name, the operator answers and
// sees the reply sent; a reply to a user who blocked the bot fails with the reason and goes
// out with «Отправить ещё раз».
//
// The Bot API is a loopback fake served by this file at BESEDA_TELEGRAM_API (browser-tests.sh
// picks the port and starts the runner with it): getMe, setWebhook, deleteWebhook and
// sendMessage answer as https://core.telegram.org/bots/api documents them, and every call is
// recorded. "The user writes" is a real-shaped Update (events/telegram-webhook/text.json)
// posted to the webhook address the card shows, with the secret the fake got in setWebhook.
//
// VK the same way against a fake VK API at BESEDA_VK_API: the address to paste, the
// confirmation answer, a `message_new` (events/vk-webhook/message-new.json) and `messages.send`.
//
// SETTINGS: the administrator takes the operator access on `demo` and goes online; the Telegram
// and VK integrations are removed and everything put back after the file.

const TOKEN = "123456789:AAE-browser-test-token";
const BOT = "beseda_test_bot";
const rnd = () => Math.random().toString(36).slice(2, 8);
const demo = new DemoAdmin();

/** The fake Bot API: what it was called with, and whether the customer has blocked the bot. */
class FakeBotApi {
  calls: { method: string; body: Json }[] = [];
  /** The messages Telegram accepted (sendMessage answered ok). */
  accepted: Json[] = [];
  webhook: { url: string; secret_token: string } | null = null;
  blocked = false;
  private server = http.createServer((req, res) => this.handle(req, res));
  private nextId = 1000;

  start() {
    return listen(this.server, process.env.BESEDA_TELEGRAM_API || "http://127.0.0.1:18081");
  }

  stop() {
    return shut(this.server);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const answer = (status: number, body: Json) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url || "");
      if (!m) return answer(404, { ok: false, error_code: 404, description: "Not Found" });
      const [, token, method] = m;
      if (token !== TOKEN) return answer(401, { ok: false, error_code: 401, description: "Unauthorized" });
      let body: Json = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return answer(400, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON" });
      }
      this.calls.push({ method: method!, body });
      switch (method) {
        case "getMe":
          return answer(200, { ok: true, result: { id: 7000000001, is_bot: true, first_name: "Beseda Test", username: BOT } });
        case "setWebhook":
          this.webhook = { url: body.url, secret_token: body.secret_token };
          return answer(200, { ok: true, result: true, description: "Webhook was set" });
        case "deleteWebhook":
          this.webhook = null;
          return answer(200, { ok: true, result: true, description: "Webhook was deleted" });
        case "sendMessage":
          if (this.blocked) return answer(403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
          this.accepted.push(body);
          return answer(200, {
            ok: true,
            result: {
              message_id: this.nextId++,
              from: { id: 7000000001, is_bot: true, first_name: "Beseda Test", username: BOT },
              chat: { id: body.chat_id, type: "private" },
              date: Math.floor(Date.now() / 1000),
              text: body.text,
            },
          });
        default:
          return answer(404, { ok: false, error_code: 404, description: "Not Found: method not found" });
      }
    });
  }
}

const bot = new FakeBotApi();

/** The fake VK API (`<base>/<method>`, form-encoded with `access_token` and `v`), as https://dev.vk.com documents it. */
class FakeVkApi {
  calls: { method: string; form: Record<string, string> }[] = [];
  private server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      const method = (req.url || "").replace(/^\//, "");
      this.calls.push({ method, form });
      const answer = (body: Json) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (form.access_token !== VK_KEY) return answer({ error: { error_code: 5, error_msg: "User authorization failed: invalid access_token (4)." } });
      if (method === "groups.getById") return answer({ response: { groups: [{ id: Number(form.group_id), name: "Ромашка", screen_name: "romashka", is_closed: 0, type: "group" }], profiles: [] } });
      if (method === "messages.send") return answer({ response: 4900 + this.calls.length });
      answer({ error: { error_code: 3, error_msg: "Unknown method passed." } });
    });
  });

  start() {
    return listen(this.server, process.env.BESEDA_VK_API || "http://127.0.0.1:18082");
  }

  stop() {
    return shut(this.server);
  }
}

const VK_KEY = "vk1.a.browser-test-key";
const VK_COMMUNITY = "229876543";
const vkApi = new FakeVkApi();

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  await bot.start();
  await vkApi.start();
  await demo.open();
  await demo.grantOperator();
  await demo.setOnline(true);
});

test.afterAll(async () => {
  await demo.close(async () => {
    await demo.api.delete(PROJECT + "/integrations/telegram");
    await demo.api.delete(PROJECT + "/integrations/vk");
    await demo.api.put(PROJECT + "/presence", { data: { online: false } });
  });
  await bot.stop();
  await vkApi.stop();
});

/** The administrator signed in on project `demo`, in `lang`, on a desktop or a phone screen. */
async function cabinet(browser: Browser, lang: "ru" | "en" = "ru", phone = false): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    locale: "ru-RU",
    viewport: phone ? { width: 390, height: 844 } : { width: 1366, height: 860 },
    ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  await context.addInitScript(
    ([l]) => {
      localStorage.setItem("beseda.project", "demo");
      localStorage.setItem("beseda.lang", l!);
    },
    [lang],
  );
  const page = await context.newPage();
  await page.goto("/");
  await page.locator('input[type="email"]').fill(adminEmail);
  await page.locator('input[type="password"]').fill(adminPassword);
  await page.locator('form button[type="submit"]').click();
  await expect(page.getByRole("banner").locator(".user-link")).toBeVisible();
  return page;
}

/** A Telegram user's text message as the Bot API posts it, from events/telegram-webhook/text.json. */
function update(text: string, userId: number, firstName: string): string {
  const sample = JSON.parse(fs.readFileSync(path.resolve("../events/telegram-webhook/text.json"), "utf8"));
  const u = JSON.parse(sample.body);
  u.update_id = 700000000 + Math.floor(Math.random() * 1e8);
  u.message.message_id = Math.floor(Math.random() * 1e6);
  u.message.date = Math.floor(Date.now() / 1000);
  u.message.text = text;
  u.message.from = { id: userId, is_bot: false, first_name: firstName, language_code: "ru" };
  u.message.chat = { id: userId, first_name: firstName, type: "private" };
  return JSON.stringify(u);
}

test("the administrator connects a Telegram bot; a customer writes; the operator answers and sees it sent", async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await cabinet(browser);
  await page.getByRole("navigation", { name: "Главное меню" }).getByRole("link", { name: "Настройки" }).click();
  await page.getByRole("tab", { name: "Синхронизации" }).click();
  await expect(page).toHaveURL(/\/settings\/integrations$/);
  const card = page.getByRole("region", { name: "Telegram" });
  await expect(page.getByRole("region", { name: "ВКонтакте" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Viber" })).toBeVisible();
  await expect(card.getByRole("status")).toContainText("Синхронизация выключена.");
  const sw = card.getByRole("switch", { name: /Синхронизация/ });
  await expect(sw).toHaveAttribute("aria-checked", "false");

  // Checked before asking the server: the username must end in bot.
  await card.getByLabel("Токен бота").fill("1:wrong-token");
  await card.getByLabel("Имя бота").fill("beseda_test");
  await sw.click();
  await expect(sw).toHaveAttribute("aria-checked", "true");
  await expect(sw).toHaveText("Синхронизация: Включено");
  await card.getByRole("button", { name: "Сохранить" }).click();
  await expect(card.getByText("Имя бота — 5–32 латинских букв, цифр и _, оканчивается на bot (как shop_bot или ShopBot)")).toBeVisible();
  await expect(card.getByLabel("Имя бота")).toBeFocused();

  // A token Telegram refuses: the card says so, nothing is registered.
  await card.getByLabel("Имя бота").fill("@" + BOT);
  await card.getByRole("button", { name: "Сохранить" }).click();
  await expect(card.getByRole("alert")).toHaveText("Мессенджер не принял настройки: токен недействителен или отозван");
  await expect(card.getByRole("status")).toContainText("Ошибка: токен недействителен или отозван");
  expect(bot.webhook).toBeNull();

  // The right token: getMe and setWebhook; the token comes back masked, the date and the address show.
  await card.getByLabel("Токен бота").fill(TOKEN);
  await card.getByRole("button", { name: "Сохранить" }).click();
  await expect(card.getByRole("status")).toContainText("Подключено: адрес уведомлений зарегистрирован.");
  await expect(card.getByText(/^Включена \d/)).toBeVisible();
  await expect(card.getByLabel("Токен бота")).toHaveValue("");
  await expect(card.getByText("Сохранён: 12…en. Оставьте поле пустым, чтобы не менять.")).toBeVisible();
  await expect(card.getByLabel("Имя бота")).toHaveValue(BOT);
  const url = (await card.locator(".id-box code").innerText()).trim();
  expect(url).toMatch(new RegExp("^" + baseURL + "/webhooks/telegram/[\\w-]+$"));
  expect(bot.webhook?.url).toBe(url);
  expect(bot.calls.map((c) => c.method)).toEqual(expect.arrayContaining(["getMe", "setWebhook"]));
  expect(JSON.stringify(await (await demo.api.get(PROJECT + "/integrations")).json())).not.toContain("browser-test-token");

  // «Проверить подключение» registers the webhook again.
  const before = bot.calls.filter((c) => c.method === "setWebhook").length;
  await card.getByRole("button", { name: "Проверить подключение" }).click();
  await expect(card.getByText("Подключение работает.")).toBeVisible();
  expect(bot.calls.filter((c) => c.method === "setWebhook").length).toBe(before + 1);
  await screenshot(page, "messengers-settings-ru");

  // The customer writes: Telegram posts the update with the secret from setWebhook.
  const api = await request.newContext();
  const userId = 500000000 + Math.floor(Math.random() * 1e6);
  const name = "Анна " + rnd();
  const question = "Здравствуйте! Сколько стоит доставка? " + rnd();
  const body = update(question, userId, name);
  const wrong = await api.post(url, { data: body, headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "nope" } });
  expect(wrong.status()).toBe(401);
  const posted = await api.post(url, { data: body, headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": bot.webhook!.secret_token } });
  expect(posted.status(), await posted.text()).toBe(200);

  // The dialog is in Диалоги with the Telegram mark and the customer's name.
  await page.getByRole("navigation", { name: "Главное меню" }).getByRole("link", { name: "Диалоги" }).click();
  const list = page.getByRole("navigation", { name: "Диалоги" });
  const row = list.getByRole("link").filter({ hasText: name });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row.getByRole("img", { name: "Telegram" })).toBeVisible();
  await expect(row).toContainText(question);
  await row.click();
  const log = page.getByRole("log", { name: "Сообщения диалога" });
  await expect(log.getByText(question)).toBeVisible();
  const side = page.getByRole("complementary", { name: "Контакт и операторы" });
  await expect(side.getByRole("heading", { level: 2, name })).toBeVisible();
  await expect(side.getByRole("img", { name: "Telegram" })).toBeVisible();

  // The operator answers: sendMessage to the customer's chat, the reply shows «Отправлено».
  const answer = "Доставка бесплатная от 3000 ₽ " + rnd();
  const reply = page.getByRole("textbox", { name: "Ответ посетителю" });
  await reply.fill(answer);
  await reply.press("Enter");
  const mine = log.locator(".msg-operator").filter({ hasText: answer });
  await expect(mine.getByRole("img", { name: "Отправлено" })).toBeVisible({ timeout: 30_000 });
  expect(bot.accepted).toContainEqual(expect.objectContaining({ chat_id: userId, text: answer }));
  await screenshot(page, "messengers-dialog-ru");

  // The customer blocks the bot: the reply fails with the reason; after unblocking, «Отправить ещё раз».
  bot.blocked = true;
  const second = "Оформить заказ? " + rnd();
  await reply.fill(second);
  await reply.press("Enter");
  const failed = log.locator(".msg-operator").filter({ hasText: second });
  await expect(failed).toContainText("Не доставлено: клиент заблокировал бота", { timeout: 30_000 });
  await screenshot(page, "messengers-failed-ru");
  bot.blocked = false;
  await failed.getByRole("button", { name: "Отправить ещё раз" }).click();
  await expect(failed.getByRole("img", { name: "Отправлено" })).toBeVisible({ timeout: 30_000 });
  await expect(failed).not.toContainText("Не доставлено");
  expect(bot.accepted.filter((m) => m.text === second)).toHaveLength(1);
  expect(bot.calls.filter((c) => c.method === "sendMessage" && c.body.text === second)).toHaveLength(2);
  await api.dispose();
  await page.context().close();
});

test("a VK community: the address to paste, the confirmation, a customer's message and the reply", async ({ browser }) => {
  test.setTimeout(150_000);
  const page = await cabinet(browser);
  await page.goto("/settings/integrations");
  const card = page.getByRole("region", { name: "ВКонтакте" });
  await card.getByLabel("ID сообщества").fill(VK_COMMUNITY);
  await card.getByLabel("Строка подтверждения").fill("a1b2c3d4");
  await card.getByLabel("Ключ доступа").fill(VK_KEY);
  await card.getByLabel("Секретный ключ (необязательно)").fill("mYs3cr3tK3y");
  await card.getByRole("switch", { name: /Синхронизация/ }).click();
  await card.getByRole("button", { name: "Сохранить" }).click();
  await expect(card.getByRole("status")).toContainText("Подключено. Вставьте адрес в настройки Callback API сообщества.");
  await expect(card.getByText(/Вставьте этот адрес в настройках сообщества/)).toBeVisible();
  const url = (await card.locator(".id-box code").innerText()).trim();
  expect(url).toBe(baseURL + "/mp/webhooks/vk/" + VK_COMMUNITY);
  expect(vkApi.calls[0]).toMatchObject({ method: "groups.getById", form: { group_id: VK_COMMUNITY, access_token: VK_KEY, v: "5.199" } });
  await expect(card.getByText("Сохранён: " + VK_KEY.slice(0, 2) + "…" + VK_KEY.slice(-2) + ". Оставьте поле пустым, чтобы не менять.")).toHaveCount(1);

  // VK confirms the address: the answer is the confirmation string; then a customer writes.
  const api = await request.newContext();
  const confirmation = await api.post(url, { data: { type: "confirmation", group_id: Number(VK_COMMUNITY), event_id: "c" + rnd(), v: "5.199", secret: "mYs3cr3tK3y" } });
  expect(await confirmation.text()).toBe("a1b2c3d4");
  const sample = JSON.parse(JSON.parse(fs.readFileSync(path.resolve("../events/vk-webhook/message-new.json"), "utf8")).body);
  const peer = 100000000 + Math.floor(Math.random() * 1e6);
  const question = "Здравствуйте! Есть в наличии? " + rnd();
  sample.event_id = "e" + rnd() + rnd();
  sample.secret = "mYs3cr3tK3y";
  sample.object.message = { ...sample.object.message, from_id: peer, peer_id: peer, text: question, date: Math.floor(Date.now() / 1000) };
  const posted = await api.post(url, { data: JSON.stringify(sample), headers: { "Content-Type": "application/json" } });
  expect(await posted.text()).toBe("ok");

  await page.goto("/dialogs");
  const row = page.getByRole("navigation", { name: "Диалоги" }).getByRole("link").filter({ hasText: question });
  await expect(row.getByRole("img", { name: "ВКонтакте" })).toBeVisible({ timeout: 30_000 });
  await row.click();
  const answer = "Да, есть " + rnd();
  const reply = page.getByRole("textbox", { name: "Ответ посетителю" });
  await reply.fill(answer);
  await reply.press("Enter");
  const mine = page.getByRole("log", { name: "Сообщения диалога" }).locator(".msg-operator").filter({ hasText: answer });
  await expect(mine.getByRole("img", { name: "Отправлено" })).toBeVisible({ timeout: 30_000 });
  const sent = vkApi.calls.find((c) => c.method === "messages.send" && c.form.message === answer);
  expect(sent?.form).toMatchObject({ peer_id: String(peer), access_token: VK_KEY });
  expect(sent?.form.random_id).toMatch(/^-?\d+$/);
  await screenshot(page, "messengers-vk-dialog-ru");
  await api.dispose();
  await page.context().close();
});

test("«Синхронизации» and the Telegram dialog in English and on a phone (screenshots)", async ({ browser }) => {
  test.setTimeout(180_000);
  for (const [lang, phone] of [
    ["en", false],
    ["ru", true],
    ["en", true],
  ] as const) {
    const page = await cabinet(browser, lang, phone);
    const suffix = lang + (phone ? "-phone" : "");
    await page.goto("/settings/integrations");
    const card = page.getByRole("region", { name: "Telegram" });
    await expect(card.getByRole("switch")).toHaveAttribute("aria-checked", "true");
    await expect(card.getByRole("status")).toContainText(lang === "en" ? "Connected" : "Подключено");
    if (lang === "en") await expect(card.getByRole("switch")).toHaveText("Sync: On");
    await expect(page.getByRole("tab", { name: lang === "en" ? "Integrations" : "Синхронизации" })).toBeInViewport();
    await page.screenshot({ path: path.join(SHOTS, "messengers-settings-" + suffix + ".png"), fullPage: true, animations: "disabled" });
    await page.goto("/dialogs");
    const list = page.getByRole("navigation", { name: lang === "en" ? "Dialogs" : "Диалоги" });
    const row = list.getByRole("link").filter({ has: page.getByRole("img", { name: "Telegram" }) }).first();
    await row.click();
    const log = page.getByRole("log");
    await expect(log.getByRole("img", { name: lang === "en" ? "Sent" : "Отправлено" }).first()).toBeVisible();
    await screenshot(page, "messengers-dialog-" + suffix);
    await page.context().close();
  }
});
