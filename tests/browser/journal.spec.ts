import { expect, test, type Browser, type Page } from "@playwright/test";
import fs from "node:fs";
import { screenshot } from "./shots";
import { baseURL, cabinetPage, DemoAdmin, englishCabinet, PROJECT, type Json } from "./support";

// ЕЖЛ and the Панель (PRODUCT.md §11): a visitor of the demo site writes in the chat and
// submits the request form; the journal shows both rows with their sources, a filter by
// source narrows it, a chat row opens its dialog, the CSV export downloads and holds the rows,
// and the Панель counts today's requests and the open dialog. Screenshots on a desktop and a
// phone, in Russian and English.
//
// SETTINGS: the administrator takes the operator access on `demo` and goes online through the
// API; the widget settings (chat and form open around the clock) are put back after the file.

const rnd = () => Math.random().toString(36).slice(2, 8);
const demo = new DemoAdmin();

test.describe.configure({ mode: "serial" });

test.beforeAll(() =>
  demo.openChat((x) => {
    x.form.enabled = true;
    x.form.custom_field = null;
    x.form.custom_list = null;
    x.callback.enabled = false;
  }),
);

test.afterAll(() => demo.close());

/** A visitor of the demo site with the widget open. */
async function widget(browser: Browser): Promise<{ page: Page; panel: ReturnType<Page["locator"]> }> {
  const context = await browser.newContext({ baseURL, locale: "ru-RU", viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto("/demo");
  const root = page.locator("#beseda-widget");
  await root.getByRole("button", { name: /^Открыть чат/ }).click();
  const panel = root.getByRole("dialog");
  await expect(panel).toBeVisible();
  return { page, panel };
}

const chatText = "Хочу букет к пятнице " + rnd();
const formName = "Ольга " + rnd();

test("the chat and the form land in the journal, filters narrow it, the CSV holds the rows, the Панель counts", async ({ browser }) => {
  test.setTimeout(150_000);
  const before = await (await demo.api.get(PROJECT + "/dashboard")).json();
  const todayBefore = (before.today as Json[]).reduce((n, x) => n + x.count, 0);

  // The visitor writes in the chat, then sends the request form.
  const { page: site, panel } = await widget(browser);
  await panel.getByRole("tab", { name: "Чат" }).click();
  const input = panel.getByRole("textbox", { name: "Сообщение" });
  await input.fill(chatText);
  await input.press("Enter");
  await expect(panel.getByRole("log").getByText(chatText)).toBeVisible();
  await panel.getByRole("tab", { name: "Заявка" }).click();
  await panel.getByRole("textbox", { name: "Имя" }).fill(formName);
  await panel.getByRole("textbox", { name: "Телефон" }).fill("+7 912 345-67-89");
  await panel.getByRole("button", { name: /Отправить/ }).click();
  await expect(panel.getByText(/Спасибо/)).toBeVisible();
  await site.context().close();

  // The journal shows both, with their sources.
  const page = await cabinetPage(browser);
  await page.getByRole("navigation", { name: "Главное меню" }).getByRole("link", { name: "ЕЖЛ" }).click();
  await expect(page).toHaveURL(/\/journal$/);
  const table = page.locator("table.journal");
  const chatRow = table.locator('tbody tr[data-source="chat"]').filter({ hasText: chatText });
  const formRow = table.locator('tbody tr[data-source="form"]').filter({ hasText: formName });
  await expect(chatRow).toBeVisible();
  await expect(chatRow).toContainText("Чат на сайте");
  await expect(chatRow).toContainText("Новое");
  await expect(formRow).toContainText("Форма");
  await expect(formRow).toContainText("+7 912 345-67-89");
  // The chat client gave a name and a phone later, in the form: the chat's row shows them now.
  await expect(chatRow).toContainText(formName);
  await expect(chatRow).toContainText("+7 912 345-67-89");

  // A filter by source narrows it; the search finds by a phone written another way, and by words.
  await page.getByLabel("Канал").selectOption("form");
  await expect(formRow).toBeVisible();
  await expect(chatRow).toHaveCount(0);
  await page.getByRole("button", { name: "Сбросить" }).click();
  const search = page.getByRole("searchbox", { name: "Поиск" });
  await search.fill("8 912 345 67 89");
  await expect(formRow).toBeVisible();
  await expect(chatRow).toBeVisible();
  await search.fill(chatText);
  await expect(chatRow).toBeVisible();
  await expect(formRow).toHaveCount(0);
  await page.getByRole("button", { name: "Сбросить" }).click();
  await expect(formRow).toBeVisible();

  // The CSV export of what the filter shows downloads and holds the rows.
  await page.getByLabel("Канал").selectOption("chat");
  await expect(formRow).toHaveCount(0);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Скачать CSV" }).click();
  const file = await (await download).path();
  const csv = fs.readFileSync(file, "utf8");
  expect(csv.split("\n")[0]).toContain("Время,Источник,Имя,Телефон");
  expect(csv).toContain(chatText);
  expect(csv).not.toContain("Заявка с сайта");
  await page.getByRole("button", { name: "Сбросить" }).click();
  await expect(formRow).toBeVisible();
  await screenshot(page, "journal-ru-desktop");

  // A chat row opens its dialog in Диалоги.
  await chatRow.getByRole("link", { name: "Открыть диалог" }).click();
  await expect(page).toHaveURL(/\/dialogs\/mine\/[\w-]+$/);
  const log = page.getByRole("log", { name: "Сообщения диалога" });
  await expect(log.getByText(chatText)).toBeVisible();
  // The form is the customer's request in the same dialog, with every field they filled.
  const request = log.locator(".msg-visitor.kind-request").filter({ hasText: formName });
  await expect(request).toContainText("Заявка с сайта");
  await expect(request).toContainText("Телефон");
  await expect(request).toContainText("+7 912 345-67-89");
  await expect(request).not.toContainText("Автосообщение");
  await screenshot(page, "dialog-request-ru-desktop");

  // The Панель counts today's requests, the open and unanswered dialogs, who is online.
  await page.getByRole("navigation", { name: "Главное меню" }).getByRole("link", { name: "Панель" }).click();
  const today = page.getByTestId("stat-today");
  await expect.poll(async () => Number(await today.locator(".stat-value").innerText())).toBeGreaterThanOrEqual(todayBefore + 2);
  await expect(today.locator('[data-source="chat"]')).toBeVisible();
  await expect(today.locator('[data-source="form"]')).toBeVisible();
  await expect(page.getByTestId("stat-open")).toContainText("без ответа:");
  await expect(page.getByTestId("stat-online").locator(".stat-value")).toHaveText(/[1-9]/);
  await expect(page.getByText("нет данных")).toHaveCount(0);
  await screenshot(page, "dashboard-ru-desktop");

  // Phone and English.
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "dashboard-ru-phone");
  await page.goto("/journal");
  await expect(chatRow).toBeVisible();
  await screenshot(page, "journal-ru-phone");
  await page.context().close();

  const enPage = await englishCabinet(browser, demo, "/");
  await expect(enPage.getByTestId("stat-today")).toContainText("Requests today");
  await screenshot(enPage, "dashboard-en-desktop");
  await enPage.goto("/journal");
  await expect(enPage.locator("table.journal tbody tr").filter({ hasText: chatText })).toContainText("Website chat");
  const enForm = enPage.locator('table.journal tbody tr[data-source="form"]').filter({ hasText: formName });
  await expect(enForm).toContainText("Website request");
  await expect(enForm).not.toContainText("Заявка с сайта");
  await screenshot(enPage, "journal-en-desktop");
  await enPage.setViewportSize({ width: 390, height: 844 });
  await screenshot(enPage, "journal-en-phone");
  await enPage.context().close();
});
