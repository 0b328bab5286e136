import { expect, test, type Locator, type Page } from "@playwright/test";
import path from "node:path";
import { cabinetPage, DemoAdmin, PROJECT, type Json } from "./support";

// Settings → «Чат на сайте» (PRODUCT.md §8, §9) and operators' schedules (§10) in the cabinet:
// the live preview follows colour and side, one «Сохранить» stores the whole object, a 422
// lands on the field it names; schedules are set for operators in «Команда» and by an
// operator for themself in Dialogs.
//
// SETTINGS: the demo project's widget settings are read before the file and put back after
// it; the administrator gets the operator access on `demo` for the schedule test (undone after).

const demo = new DemoAdmin();

test.describe.configure({ mode: "serial" });

test.beforeAll(() => demo.open());

test.afterAll(() => demo.close(() => demo.api.put(PROJECT + "/operators/schedule", { data: { user_ids: [demo.id], schedule: null } })));

/** The viewport with `at` scrolled into the middle (the save bar and the preview are sticky). */
async function shot(page: Page, name: string, outputDir: string, at?: Locator) {
  await page.mouse.move(0, 0);
  if (at) await at.evaluate((el) => el.scrollIntoView({ block: "center" }));
  else await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(outputDir, name + ".png"), animations: "disabled" });
}

test("widget settings: live preview, one save for everything, 422 at its field", async ({ browser }, testInfo) => {
  test.setTimeout(90_000);
  const page = await cabinetPage(browser);
  await page.getByRole("navigation", { name: "Главное меню" }).getByRole("link", { name: "Настройки" }).click();
  await page.getByRole("tab", { name: "Чат на сайте" }).click();
  await expect(page).toHaveURL(/\/settings\/widget$/);
  const sections = page.getByRole("tablist", { name: "Разделы настроек чата на сайте" });
  await expect(sections.getByRole("tab", { name: "Внешний вид" })).toHaveAttribute("aria-selected", "true");

  // The preview is the real widget (in an iframe, fed the unsaved settings): it follows the
  // colour and the side as they change, before anything is saved.
  const preview = page.getByRole("figure", { name: "Предпросмотр" });
  const site = preview.frameLocator("iframe").locator("#beseda-widget");
  const launcher = site.locator("#beseda-launcher");
  const panel = site.getByRole("dialog");
  await expect(panel).toBeVisible();
  await page.getByRole("radio", { name: "#dc2626" }).click();
  await expect(launcher).toHaveCSS("background-color", "rgb(220, 38, 38)");
  await expect(panel.locator(".bsd-head")).toHaveCSS("background-color", "rgb(220, 38, 38)");
  await page.getByLabel("Свой цвет").fill("#0f766e");
  await expect(launcher).toHaveCSS("background-color", "rgb(15, 118, 110)");
  await page.locator("label").filter({ hasText: /^Слева$/ }).click();
  await expect(preview).toHaveAttribute("data-side", "left");
  const box = (await preview.locator(".pv-site").boundingBox())!;
  await expect(site).toHaveAttribute("data-side", "left");
  const lb = (await launcher.boundingBox())!;
  expect(lb.x - box.x).toBeLessThan(box.width / 2);
  // Typing in the settings keeps the focus there while the preview redraws.
  await page.getByLabel("Свой цвет").fill("#0f766f");
  await expect(page.getByLabel("Свой цвет")).toBeFocused();
  await page.getByLabel("Свой цвет").fill("#0f766e");
  await expect(page.getByText("Есть несохранённые изменения.")).toBeVisible();

  // Auto-open under 30 s is allowed but warned against.
  await page.getByLabel("Открывать чат автоматически").check();
  await page.locator('[name="appearance.auto_open_secs"]').fill("10");
  await expect(page.getByText(/Не советуем открывать чат раньше чем через 30 секунд/)).toBeVisible();
  await page.getByLabel("Открывать чат автоматически").uncheck();

  // Tab order: «Заявка» up; the preview's tabs follow.
  await page.getByRole("button", { name: "Выше: Заявка" }).click();
  await expect(panel.getByRole("tab")).toHaveText(["Заявка", "Чат", "Звонки"]);
  await shot(page, "widget-settings-appearance", testInfo.project.outputDir, page.getByRole("region", { name: "Порядок табов" }));

  // Unsaved edits survive a look at another settings tab.
  await page.getByRole("tab", { name: "Команда" }).click();
  await expect(page.getByRole("region", { name: "Время работы операторов" })).toBeVisible();
  await page.getByRole("tab", { name: "Чат на сайте" }).click();
  await expect(page.getByText("Есть несохранённые изменения.")).toBeVisible();
  await expect(page.getByLabel("Свой цвет")).toHaveValue("#0f766e");
  await expect(preview).toHaveAttribute("data-side", "left");

  // Чат: a 9-character tab name goes to the server, whose 422 lands on the field.
  await sections.getByRole("tab", { name: "Чат", exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/widget\/chat$/);
  const name = page.getByRole("textbox", { name: "Название таба" });
  await name.fill("Поговорим");
  await expect(page.getByText("9/8")).toBeVisible();
  await expect(panel.getByRole("tab", { name: /^Поговори/ })).toBeVisible(); // the widget shows 8 characters
  const welcome = page.getByRole("textbox", { name: "Текст приветствия" });
  await welcome.fill("Добрый день! Я {NAME}, флорист. Подскажу с букетом.");
  await expect(panel.getByText("Добрый день! Я Анна, флорист. Подскажу с букетом.")).toBeVisible();
  // Visit another section first: the 422 must bring the page back to the chat section.
  await sections.getByRole("tab", { name: "Прочее" }).click();
  const put = page.waitForResponse((r) => r.url().endsWith("/widget-settings") && r.request().method() === "PUT");
  await page.getByRole("button", { name: "Сохранить" }).click();
  const refused = await put;
  expect(refused.status()).toBe(422);
  expect((await refused.json()).error.field).toBe("chat.name");
  await expect(page).toHaveURL(/\/settings\/widget\/chat$/);
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toBeFocused();
  const message = (await refused.json()).error.message as string;
  await expect(page.locator(".field").filter({ has: name }).getByText(message)).toBeVisible();
  await shot(page, "widget-settings-422", testInfo.project.outputDir, name);

  // Fixed: saved, and the whole object is the server's now.
  await name.fill("Вопрос");
  await expect(name).not.toHaveAttribute("aria-invalid", "true");
  await page.locator('[name="chat.unread.after_secs"]').fill("7");
  // The no-reply chain (§12): off by default; pass the dialog on after 90 s, alert after 5 min.
  await expect(page.locator('[name="chat.reassign_after_secs"]')).toHaveCount(0);
  await page.getByLabel("Передавать диалог следующему оператору онлайн").check();
  await page.locator('[name="chat.reassign_after_secs"]').fill("90");
  await page.getByLabel("Оповещать администратора в Telegram (бот команды)").check();
  await expect(page.locator('[name="chat.alert_after_secs"]')).toHaveValue("300");
  await shot(page, "widget-settings-no-reply", testInfo.project.outputDir, page.locator('[name="chat.alert_after_secs"]'));
  await sections.getByRole("tab", { name: "Обратный звонок" }).click();
  await page.getByRole("textbox", { name: "Заголовок", exact: true }).fill("Перезвоним за минуту");
  await sections.getByRole("tab", { name: "Ловцы лидов" }).click();
  await page.getByRole("button", { name: "Добавить группу" }).click();
  await page.getByRole("textbox", { name: "Текст крючка" }).fill("Подобрать букет к празднику?");
  await expect(panel.getByRole("log")).toContainText("Подобрать букет к празднику?");
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(page.getByRole("button", { name: "Сохранено" })).toBeVisible();
  await expect(page.getByText("Все изменения сохранены.").or(page.getByText(/Настройки сохранены/))).toBeVisible();
  await shot(page, "widget-settings-catchers", testInfo.project.outputDir, page.getByRole("textbox", { name: "Текст крючка" }));

  const saved = (await (await demo.api.get(PROJECT + "/widget-settings")).json()) as Json;
  expect(saved.appearance.color).toBe("#0f766e");
  expect(saved.appearance.side).toBe("left");
  expect(saved.appearance.tab_order.slice(0, 2)).toEqual(["form", "chat"]);
  expect(saved.chat.name).toBe("Вопрос");
  expect(saved.chat.welcome).toBe("Добрый день! Я {NAME}, флорист. Подскажу с букетом.");
  expect(saved.chat.unread.after_secs).toBe(7);
  expect([saved.chat.reassign_after_secs, saved.chat.alert_after_secs]).toEqual([90, 300]);
  expect(saved.callback.title).toBe("Перезвоним за минуту");
  expect(saved.catchers).toHaveLength(1);
  expect(saved.catchers[0].hooks[0]).toMatchObject({ trigger: "time_on_page", value: "30", text: "Подобрать букет к празднику?", enabled: true });

  // A reload shows what was saved.
  await page.goto("/settings/widget");
  await expect(page.getByLabel("Свой цвет")).toHaveValue("#0f766e");
  await expect(preview).toHaveAttribute("data-side", "left");
  await expect(launcher).toHaveCSS("background-color", "rgb(15, 118, 110)");

  // The callback title's limit: 31 characters are refused at callback.title.
  await sections.getByRole("tab", { name: "Обратный звонок" }).click();
  const title = page.getByRole("textbox", { name: "Заголовок", exact: true });
  await title.fill("Перезвоним за минуту, честное слово");
  await expect(page.getByText(/^3\d\/30$/)).toBeVisible();
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(title).toHaveAttribute("aria-invalid", "true");
  await expect(title).toBeFocused();
  await page.getByRole("button", { name: "Отменить изменения" }).click();
  await expect(title).toHaveValue("Перезвоним за минуту");
  await shot(page, "widget-settings-callback", testInfo.project.outputDir, title);

  // The alert must come after the dialog is passed on: refused at its field.
  await sections.getByRole("tab", { name: "Чат", exact: true }).click();
  const alert = page.locator('[name="chat.alert_after_secs"]');
  await alert.fill("60");
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(alert).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".field").filter({ has: alert }).getByText("Оповещение — позже передачи диалога")).toBeVisible();
  await page.getByRole("button", { name: "Отменить изменения" }).click();
  await expect(alert).toHaveValue("300");
  await page.context().close();
});

test("schedules: several operators at once in «Команда», and an operator's own from Dialogs", async ({ browser }, testInfo) => {
  test.setTimeout(90_000);
  await demo.grantOperator();
  const page = await cabinetPage(browser);
  await page.goto("/settings/team");
  const card = page.getByRole("region", { name: "Время работы операторов" });
  await expect(card).toBeVisible();
  const grid = card.getByRole("grid", { name: "Рабочие часы" });
  // Locked until an operator is picked.
  await expect(grid).toHaveAttribute("aria-disabled", "true");
  await card.getByRole("checkbox").first().check();
  await expect(grid).not.toHaveAttribute("aria-disabled", "true");
  await card.getByRole("button", { name: "Будни 9–18" }).click();
  // Drag over Saturday 10:00–13:00.
  const from = (await grid.getByRole("gridcell", { name: "суббота, 10:00–11:00" }).boundingBox())!;
  const to = (await grid.getByRole("gridcell", { name: "суббота, 13:00–14:00" }).boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 6 });
  await page.mouse.up();
  await expect(grid.getByRole("gridcell", { name: "суббота, 12:00–13:00" })).toHaveAttribute("aria-selected", "true");
  await expect(grid.getByRole("gridcell", { name: "воскресенье, 12:00–13:00" })).toHaveAttribute("aria-selected", "false");
  await expect(card.getByText(/Действует со следующего дня/)).toBeVisible();
  await card.getByRole("button", { name: "Сохранить график" }).click();
  await expect(card.getByText(/График сохранён и начнёт действовать с \d+ \S+ \d{4}/)).toBeVisible();
  await expect(card.getByRole("img", { name: /Работает по графику/ })).toBeVisible();
  await shot(page, "dialogs-schedules-team", testInfo.project.outputDir, grid);

  const ops = (await (await demo.api.get(PROJECT + "/operators")).json()).operators as Json[];
  const me = ops.find((o) => o.user_id === demo.id)!;
  expect(me.schedule[0].slice(8, 19)).toEqual([false, true, true, true, true, true, true, true, true, true, false]);
  expect(me.schedule[5].slice(9, 15)).toEqual([false, true, true, true, true, false]);
  expect(me.schedule_from).toMatch(/^\d{4}-\d{2}-\d{2}$/);

  // Dialogs: the clock mark in the operators panel, and «Мой график» for the operator's own week.
  await page.goto("/dialogs");
  await expect(page.getByRole("complementary", { name: "Контакт и операторы" }).getByRole("img", { name: /Работает по графику: Пн–Пт 9:00–18:00/ })).toBeVisible();
  await page.getByRole("button", { name: "Мой график" }).click();
  const dialog = page.getByRole("dialog", { name: "Мой график работы" });
  await expect(dialog.getByText(/Действует со следующего дня/)).toBeVisible();
  await expect(dialog.getByRole("gridcell", { name: "понедельник, 9:00–10:00" })).toHaveAttribute("aria-selected", "true");
  await dialog.getByRole("button", { name: "Весь день: воскресенье" }).click();
  await shot(page, "dialogs-my-schedule", testInfo.project.outputDir);
  await dialog.getByRole("button", { name: "Сохранить график" }).click();
  await expect(dialog).toBeHidden();
  const after = ((await (await demo.api.get(PROJECT + "/operators")).json()).operators as Json[]).find((o) => o.user_id === demo.id)!;
  expect(after.schedule[6].every(Boolean)).toBe(true);
  await page.context().close();
});
