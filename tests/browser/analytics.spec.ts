import { expect, test, type Browser } from "@playwright/test";
import { screenshot } from "./shots";
import { baseURL, cabinetPage, DemoAdmin, englishCabinet, PROJECT } from "./support";

// Аналитика (PRODUCT.md §11): two visitors of the demo site write in the chat and the
// administrator, as an operator, answers both; the page then shows the period's requests, its
// four charts (canvases drawn by the lazily loaded charts bundle) and the administrator's row
// in the operators' table with their dialogs and messages. A shorter period redraws it.
// Screenshots on a desktop and a phone, in Russian and English.
//
// SETTINGS: the administrator takes the operator access on `demo` and goes online through the
// API; the widget settings (the chat open around the clock) are put back after the file.

const rnd = () => Math.random().toString(36).slice(2, 8);
const demo = new DemoAdmin();

test.describe.configure({ mode: "serial" });

test.beforeAll(() => demo.openChat());

test.afterAll(() => demo.close());

/** A new visitor of the demo site writes `text` in the chat. */
async function visitorWrites(browser: Browser, text: string) {
  const context = await browser.newContext({ baseURL, locale: "ru-RU", viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto("/demo");
  const root = page.locator("#beseda-widget");
  await root.getByRole("button", { name: /^Открыть чат/ }).click();
  const panel = root.getByRole("dialog");
  await panel.getByRole("tab", { name: "Чат" }).click();
  const input = panel.getByRole("textbox", { name: "Сообщение" });
  await input.fill(text);
  await input.press("Enter");
  await expect(panel.getByRole("log").getByText(text)).toBeVisible();
  await context.close();
}

/** The administrator answers the open dialog whose last words are `text`. */
async function answer(text: string) {
  const id = await demo.dialogIdOf(text);
  const res = await demo.api.post(PROJECT + "/dialogs/" + id + "/messages", { data: { text: "Здравствуйте! Чем помочь?", client_id: "a-" + rnd() } });
  expect(res.status(), await res.text()).toBe(201);
}

test("after a few chats Аналитика draws its charts and counts the operator", async ({ browser }) => {
  test.setTimeout(150_000);
  for (const text of ["Сколько стоит доставка? " + rnd(), "Есть ли розы? " + rnd()]) {
    await visitorWrites(browser, text);
    await answer(text);
  }

  const page = await cabinetPage(browser);
  await page.getByRole("navigation", { name: "Главное меню" }).getByRole("link", { name: "Аналитика" }).click();
  await expect(page).toHaveURL(/\/analytics$/);
  await expect(page.getByRole("button", { name: "30 дней" })).toHaveAttribute("aria-pressed", "true");
  const total = page.getByTestId("analytics-total");
  await expect.poll(async () => Number(await total.locator(".stat-value").innerText())).toBeGreaterThanOrEqual(2);
  await expect(total.locator('[data-source="chat"]')).toContainText("Чат на сайте");
  for (const chart of ["chart-days", "chart-response", "chart-hours", "chart-weekdays"]) {
    await expect(page.getByTestId(chart).locator("canvas")).toBeVisible();
  }
  await expect(page.getByTestId("chart-days")).toContainText("Пропущено");
  const row = page.getByTestId("analytics-operators").locator(`tr[data-operator="${demo.id}"]`);
  await expect(row).toBeVisible();
  const cells = row.locator("td");
  await expect.poll(async () => Number(await cells.nth(1).innerText())).toBeGreaterThanOrEqual(2);
  await expect.poll(async () => Number(await cells.nth(2).innerText())).toBeGreaterThanOrEqual(2);
  await expect(cells.nth(3)).toContainText("≤");
  await expect(page.getByTestId("analytics-response").locator(".stat-value")).toContainText("≤");
  await screenshot(page, "analytics-ru-desktop");

  // A shorter period is read and drawn again.
  await page.getByRole("button", { name: "7 дней" }).click();
  await expect(page.getByRole("button", { name: "7 дней" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("chart-days").locator("canvas")).toBeVisible();
  await expect.poll(async () => Number(await total.locator(".stat-value").innerText())).toBeGreaterThanOrEqual(2);

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId("chart-hours").locator("canvas")).toBeVisible();
  await screenshot(page, "analytics-ru-phone");
  await page.getByTestId("chart-days").scrollIntoViewIfNeeded();
  await screenshot(page, "analytics-ru-phone-charts");
  await page.getByTestId("analytics-operators").scrollIntoViewIfNeeded();
  await screenshot(page, "analytics-ru-phone-operators");
  const box = await page.getByTestId("chart-days").boundingBox();
  expect(box!.width, "the chart follows the phone's width").toBeLessThanOrEqual(390);
  await page.context().close();

  const enPage = await englishCabinet(browser, demo, "/analytics");
  await expect(enPage.getByTestId("analytics-total")).toContainText("Requests");
  await expect(enPage.getByTestId("chart-weekdays").locator("canvas")).toBeVisible();
  await expect(enPage.getByTestId("analytics-operators")).toContainText("First response");
  await screenshot(enPage, "analytics-en-desktop");
  await enPage.getByTestId("analytics-operators").scrollIntoViewIfNeeded();
  await screenshot(enPage, "analytics-en-desktop-operators");
  await enPage.setViewportSize({ width: 390, height: 844 });
  await screenshot(enPage, "analytics-en-phone");
  await enPage.context().close();
});
