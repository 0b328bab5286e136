import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { screenshot } from "./shots";
import { baseURL, cabinetPage, DemoAdmin, englishCabinet, PROJECT } from "./support";

// ОКО end to end (PRODUCT.md §11): a visitor of the demo site chats, the operator answers and
// closes the dialog, the widget asks for a rating and the visitor gives one with a comment; ОКО
// shows the average, the distribution and the comment with a link that opens the dialog, and
// the Панель shows this week's average. A second visitor, on a phone in English, rates with
// the keyboard only.
//
// SETTINGS: the administrator takes the operator access on `demo` and goes online through the
// API (answering and closing through the API as the operator); the chat is open around the
// clock; everything is put back after the file.

const rnd = () => Math.random().toString(36).slice(2, 8);
const demo = new DemoAdmin();

test.describe.configure({ mode: "serial" });

test.beforeAll(() => demo.openChat());

test.afterAll(() => demo.close());

/** A visitor of the demo site with the chat open, in `lang`, on a desktop or a phone. */
async function visitor(browser: Browser, lang: "ru" | "en", phone: boolean): Promise<{ page: Page; panel: Locator }> {
  const context = await browser.newContext({
    baseURL,
    locale: lang === "en" ? "en-GB" : "ru-RU",
    viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
    isMobile: phone,
    hasTouch: phone,
  });
  await context.addInitScript((l) => localStorage.setItem("beseda:demo:lang", l), lang);
  const page = await context.newPage();
  await page.goto("/demo");
  const widget = page.locator("#beseda-widget");
  // The launcher speaks the project's language; the panel the visitor's choice.
  await widget.getByRole("button", { name: /^Открыть чат/ }).click();
  const panel = widget.getByRole("dialog");
  await expect(panel).toBeVisible();
  return { page, panel };
}

/** The visitor writes `text`; the operator (through the API) answers it and closes the dialog. */
async function chatAnsweredAndClosed(panel: Locator, label: string, text: string): Promise<string> {
  const input = panel.getByRole("textbox", { name: label });
  await input.fill(text);
  await input.press("Enter");
  const id = await demo.dialogIdOf(text);
  const reply = await demo.api.post(PROJECT + `/dialogs/${id}/messages`, { data: { text: "Да, конечно. " + rnd(), client_id: "rate-" + rnd() } });
  expect(reply.status(), await reply.text()).toBe(201);
  const close = await demo.api.post(PROJECT + `/dialogs/${id}/close`, { data: {} });
  expect(close.status(), await close.text()).toBe(200);
  return id;
}

test("the widget asks after the operator closes, the rating and its comment reach ОКО and the Панель", async ({ browser }) => {
  test.setTimeout(120_000);
  const { page: site, panel } = await visitor(browser, "ru", false);
  const question = "Можно вернуть букет? " + rnd();
  const id = await chatAnsweredAndClosed(panel, "Сообщение", question);

  // The closed dialog's frame reaches the widget: five stars, a comment, «Оценить».
  const stars = panel.getByRole("radiogroup", { name: "Оцените, пожалуйста, как мы вам помогли" });
  await expect(stars).toBeVisible({ timeout: 15_000 });
  await panel.getByRole("button", { name: "Оценить" }).click();
  await expect(panel.getByRole("alert")).toHaveText("Выберите от 1 до 5 звёзд");
  await stars.locator('label[title="Хорошо"]').click();
  const comment = "Быстро ответили, спасибо! " + rnd();
  await panel.getByRole("textbox", { name: "Комментарий (необязательно)" }).fill(comment);
  await screenshot(site, "rating-widget-ru-desktop");
  await panel.getByRole("button", { name: "Оценить" }).click();
  await expect(panel.getByText("Спасибо за оценку!")).toBeVisible();
  await expect(stars).toHaveCount(0);
  // A reload knows it was rated: nothing is asked again.
  await site.reload();
  await site.locator("#beseda-widget").getByRole("button", { name: /^Открыть чат/ }).click();
  await expect(site.locator("#beseda-widget").getByRole("dialog").getByText(question)).toBeVisible();
  await expect(site.locator("#beseda-widget").getByRole("radiogroup")).toHaveCount(0);
  await site.context().close();

  // ОКО: the average, the distribution, the comment with the link to its dialog.
  const page = await cabinetPage(browser);
  await page.getByRole("navigation", { name: "Главное меню" }).getByRole("link", { name: "ОКО" }).click();
  await expect(page).toHaveURL(/\/oko$/);
  await expect(page.getByTestId("oko-average").locator(".stat-value")).toHaveText(/\d/);
  await expect(page.getByTestId("oko-distribution").locator('[data-score="4"] b')).not.toHaveText("0");
  await expect(page.getByTestId("oko-channels")).toContainText("Чат на сайте");
  const item = page.getByTestId("oko-comments").getByRole("listitem").filter({ hasText: comment });
  await expect(item.getByRole("img", { name: "Оценка 4 из 5" })).toBeVisible();
  await screenshot(page, "oko-ru-desktop");
  await item.getByRole("link", { name: "Открыть диалог" }).click();
  await expect(page).toHaveURL(new RegExp(`/dialogs/archive/${id}$`));
  await expect(page.getByRole("log", { name: "Сообщения диалога" }).getByText(question)).toBeVisible();

  // The Панель: this week's average and count.
  await page.getByRole("navigation", { name: "Главное меню" }).getByRole("link", { name: "Панель" }).click();
  const tile = page.getByTestId("stat-rating");
  await expect(tile).toContainText("Оценка за неделю");
  await expect(tile.locator(".stat-value")).toHaveText(/\d/);
  await expect(tile).toContainText(/оценок: [1-9]/);
  await screenshot(page, "dashboard-rating-ru-desktop");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/oko");
  await expect(item).toBeVisible();
  await screenshot(page, "oko-ru-phone");
  await page.context().close();
});

test("on a phone in English the visitor rates with the keyboard only, and ОКО reads in English", async ({ browser }) => {
  test.setTimeout(120_000);
  const { page: site, panel } = await visitor(browser, "en", true);
  await chatAnsweredAndClosed(panel, "Message", "Do you deliver on Sunday? " + rnd());
  const stars = panel.getByRole("radiogroup", { name: "Please rate how we helped you" });
  await expect(stars).toBeVisible({ timeout: 15_000 });
  await stars.getByRole("radio", { name: "1 — Bad" }).focus();
  for (let i = 0; i < 4; i++) await site.keyboard.press("ArrowRight");
  await expect(stars.getByRole("radio", { name: "5 — Excellent" })).toBeChecked();
  await site.keyboard.press("Tab");
  const comment = "Great service " + rnd();
  await site.keyboard.type(comment);
  await screenshot(site, "rating-widget-en-phone");
  await site.keyboard.press("Tab");
  await site.keyboard.press("Enter");
  await expect(panel.getByText("Thank you for your rating!")).toBeVisible();
  await site.context().close();

  const page = await englishCabinet(browser, demo, "/oko");
  await expect(page.getByRole("banner").getByRole("heading", { name: "Service quality ratings" })).toBeVisible();
  const item = page.getByTestId("oko-comments").getByRole("listitem").filter({ hasText: comment });
  await expect(item.getByRole("img", { name: "Rated 5 of 5" })).toBeVisible();
  await expect(page.getByTestId("oko-channels")).toContainText("Website chat");
  await screenshot(page, "oko-en-desktop");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "oko-en-phone");
  await page.goto("/");
  await expect(page.getByTestId("stat-rating")).toContainText("Rating this week");
  await screenshot(page, "dashboard-rating-en-phone");
  await page.context().close();
});
