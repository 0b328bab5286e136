import { expect, test } from "@playwright/test";
import http from "node:http";
import { cabinetPage, DemoAdmin, englishCabinet, listen, PROJECT, shut, type Json } from "./support";
import { screenshot } from "./shots";

// The team's Telegram bot in the cabinet (PRODUCT.md §4; issue 12): the administrator pastes
// the bot's token in Настройки → Уведомления, and in Профиль → Telegram gets a one-time
// t.me link; once the bot has seen `/start <code>` the Profile shows the linked Telegram with
// the groups to choose and «Отвязать». Screenshots in Russian and English, desktop and phone.
//
// The Bot API is a loopback fake served by this file at BESEDA_TELEGRAM_API (getMe, setWebhook,
// deleteWebhook, sendMessage); "the member presses Start" is the Update Telegram would post to
// the webhook the fake was given, with its secret.
//
// SETTINGS: the team bot of `demo` is connected for the file and removed after it.

const TOKEN = "123456789:AAE-team-bot-browser-token";
const BOT = "romashka_team_bot";
const demo = new DemoAdmin();

class FakeBotApi {
  webhook: { url: string; secret_token: string } | null = null;
  private server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const answer = (body: Json) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url || "");
      if (!m || m[1] !== TOKEN) return answer({ ok: false, error_code: 401, description: "Unauthorized" });
      const body: Json = raw ? JSON.parse(raw) : {};
      switch (m[2]) {
        case "getMe":
          return answer({ ok: true, result: { id: 123456789, is_bot: true, first_name: "Ромашка: команда", username: BOT } });
        case "setWebhook":
          this.webhook = { url: body.url, secret_token: body.secret_token };
          return answer({ ok: true, result: true });
        case "deleteWebhook":
          this.webhook = null;
          return answer({ ok: true, result: true });
        case "sendMessage":
          return answer({ ok: true, result: { message_id: 1, chat: { id: body.chat_id, type: "private" }, date: 0, text: body.text } });
        default:
          return answer({ ok: false, error_code: 404, description: "Not Found: method not found" });
      }
    });
  });

  start() {
    return listen(this.server, process.env.BESEDA_TELEGRAM_API || "http://127.0.0.1:18081");
  }

  stop() {
    return shut(this.server);
  }
}

const bot = new FakeBotApi();

test.beforeAll(async () => {
  await bot.start();
  await demo.open();
});

test.afterAll(async () => {
  await demo.close(async () => {
    await demo.api.delete(PROJECT + "/me/telegram");
    await demo.api.delete(PROJECT + "/teambot");
  });
  await bot.stop();
});

test("the team bot's token in Уведомления and the member's Telegram in the Profile", async ({ browser }) => {
  const page = await cabinetPage(browser);
  await page.goto("/settings/notifications");
  const card = page.locator("section", { has: page.getByRole("heading", { name: "Бот команды в Telegram" }) });
  await card.getByLabel("Токен бота").fill("not a token");
  await card.getByRole("button", { name: "Подключить" }).click();
  await expect(card.getByText(/Токен бота выглядит как/).first()).toBeVisible();
  await card.getByLabel("Токен бота").fill(TOKEN);
  await card.getByRole("button", { name: "Подключить" }).click();
  await expect(card.getByText("@" + BOT)).toBeVisible();
  await expect(card).not.toContainText(TOKEN);
  expect(bot.webhook?.url).toMatch(/\/webhooks\/teambot\//);
  await screenshot(page, "teambot-settings-ru-desktop");

  // Профиль → Telegram: a one-time link to the bot.
  await page.goto("/profile");
  const tg = page.locator("section", { has: page.getByRole("heading", { name: "Telegram", exact: true }) });
  await expect(tg).toContainText("@" + BOT);
  await screenshot(page, "teambot-profile-ru-desktop");
  await tg.getByRole("button", { name: "Получить ссылку" }).click();
  const open = tg.getByRole("link", { name: "Открыть Telegram" });
  await expect(open).toHaveAttribute("href", new RegExp(`^https://t\\.me/${BOT}\\?start=[A-Za-z0-9_-]{20,64}$`));
  const code = new URL((await open.getAttribute("href"))!).searchParams.get("start")!;
  await page.setViewportSize({ width: 390, height: 844 });
  await tg.scrollIntoViewIfNeeded();
  await screenshot(page, "teambot-profile-link-ru-phone");
  await page.setViewportSize({ width: 1280, height: 800 });

  // The member presses Start in Telegram: the bot's webhook links the chat.
  const update = {
    update_id: 990001,
    message: { message_id: 1, date: 0, chat: { id: 5550001, type: "private" }, from: { id: 5550001, first_name: "Анна", last_name: "Смирнова" }, text: "/start " + code },
  };
  const hook = await demo.api.post(bot.webhook!.url, { data: update, headers: { "X-Telegram-Bot-Api-Secret-Token": bot.webhook!.secret_token } });
  expect(hook.status(), await hook.text()).toBe(200);
  await tg.getByRole("button", { name: "Я нажал «Старт»" }).click();
  await expect(tg).toContainText("Привязан Telegram «Анна Смирнова»");
  const requests = tg.getByLabel("Обращения клиентов");
  await expect(requests).toBeChecked();
  await tg.getByLabel("Статистика").check();
  await expect(tg.getByLabel("Статистика")).toBeChecked();
  const mine = await (await demo.api.get(PROJECT + "/me/telegram")).json();
  expect(mine.groups).toMatchObject({ requests: true, statistics: true });
  await screenshot(page, "teambot-profile-linked-ru-desktop");
  await page.setViewportSize({ width: 390, height: 844 });
  await tg.scrollIntoViewIfNeeded();
  await screenshot(page, "teambot-profile-linked-ru-phone");
  await page.context().close();

  const enPage = await englishCabinet(browser, demo, "/profile");
  const enCard = enPage.locator("section", { has: enPage.getByRole("heading", { name: "Telegram", exact: true }) });
  await expect(enCard).toContainText("Telegram “Анна Смирнова” is linked");
  await screenshot(enPage, "teambot-profile-linked-en-desktop");
  await enPage.setViewportSize({ width: 390, height: 844 });
  await enCard.scrollIntoViewIfNeeded();
  await screenshot(enPage, "teambot-profile-linked-en-phone");
  await enCard.getByRole("button", { name: "Unlink Telegram" }).click();
  await expect(enCard.getByRole("button", { name: "Get the link" })).toBeVisible();
  await screenshot(enPage, "teambot-profile-en-phone");
  await enPage.setViewportSize({ width: 1280, height: 800 });
  await enPage.goto("/settings/notifications");
  await expect(enPage.getByRole("heading", { name: "The team's Telegram bot" })).toBeVisible();
  await screenshot(enPage, "teambot-settings-en-desktop");
  await enPage.context().close();
});
