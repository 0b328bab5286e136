import { expect, request, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import path from "node:path";
import { adminEmail, adminPassword, baseURL } from "./support";

// Follows the manual (chapters «Настройка личного аккаунта», «Настройка проекта», «Доступы к
// проекту», «Настройка уведомлений», «Выбор тарифа») end to end against the real server.

const rnd = () => Math.random().toString(36).slice(2, 10);

type Mail = { to: string[]; subject: string; text: string };

/** Sets a password through the link of the newest welcome mail to `email` (`Логин: <email>` … `/reset?token=…`). */
async function mailedPassword(api: APIRequestContext, email: string): Promise<string> {
  let token = "";
  await expect
    .poll(
      async () => {
        const res = await api.get("/outbox.json");
        if (!res.ok()) return "";
        const mails = (await res.json()) as Mail[];
        for (const m of mails) {
          if (!m.to.some((t) => t.toLowerCase() === email.toLowerCase())) continue;
          if (!m.text.includes("Логин: " + email)) continue;
          const found = /\/reset\?token=([^\s&]+)/.exec(m.text);
          if (found) {
            token = found[1]!;
            return token;
          }
        }
        return "";
      },
      { message: "a mail with the login and a link to set the password for " + email, timeout: 15_000 },
    )
    .not.toBe("");
  const password = "Welcome-" + rnd();
  const set = await api.post("/api/v1/auth/password-reset/confirm", { data: { token, password, password_again: password } });
  expect(set.status(), await set.text()).toBe(204);
  return password;
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    locale: "ru-RU",
    viewport: { width: 1280, height: 800 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
  return context.newPage();
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Пароль", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("banner").getByText(email)).toBeVisible();
}

test("account and project: profile, project, team, refusal, journal, trial", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  expect(adminEmail, "BESEDA_ADMIN_EMAIL must be set").not.toBe("");
  expect(adminPassword, "BESEDA_ADMIN_PASSWORD must be set").not.toBe("");
  const shot = async (page: Page, name: string) => {
    // From the top and with the pointer away, so sticky bars and hover colours do not get in the way.
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(testInfo.project.outputDir, name + ".png"), fullPage: true, animations: "disabled" });
  };

  // --- setup through the API as the first administrator
  const api = await request.newContext({ baseURL });
  const login = await api.post("/api/v1/auth/login", { data: { email: adminEmail, password: adminPassword } });
  expect(login.status(), await login.text()).toBe(200);
  const created = await api.post("/api/v1/projects", { data: { name: "Демо" } });
  expect(created.status(), await created.text()).toBe(201);
  const demo = (await created.json()).project as { id: string };
  const ownerEmail = `owner-${rnd()}@example.com`;
  const added = await api.post(`/api/v1/projects/${demo.id}/members`, {
    data: { email: ownerEmail, first_name: "Ольга", last_name: "Владелец", accesses: ["settings"] },
  });
  expect(added.status(), await added.text()).toBe(201);

  // --- the owner signs in with the mailed password
  const mailed = await mailedPassword(api, ownerEmail);
  const owner = await newPage(browser);
  await signIn(owner, ownerEmail, mailed);

  // --- profile: change the generated password, fill the information
  await owner.getByRole("banner").getByRole("link", { name: new RegExp(ownerEmail.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) }).click();
  await expect(owner).toHaveURL(/\/profile$/);
  await expect(owner.getByRole("heading", { level: 1, name: "Профиль аккаунта" })).toBeVisible();
  const newPassword = "Romashka-" + rnd();
  const pw = owner.getByRole("region", { name: "Изменить пароль" });
  await pw.getByLabel("Старый пароль").fill(mailed);
  await pw.getByLabel("Новый пароль", { exact: true }).fill(newPassword);
  await pw.getByLabel("Ещё раз новый пароль").fill(newPassword);
  await pw.getByRole("button", { name: "Изменить пароль" }).click();
  await expect(pw.getByRole("status").filter({ hasText: "Пароль изменён" })).toBeVisible();

  const info = owner.getByRole("region", { name: "Информация" });
  await expect(info.getByLabel("Эл. почта")).toHaveValue(ownerEmail);
  await expect(info.getByLabel("Эл. почта")).not.toBeEditable();
  await info.getByLabel("Имя", { exact: true }).fill("Ольга");
  await info.getByLabel("Фамилия").fill("Ромашкина");
  await info.getByLabel("Телефон").fill("+7 999 123-45-67");
  const tz = info.getByRole("combobox", { name: "Часовой пояс" });
  await tz.click();
  await tz.fill("Samara");
  await owner.getByRole("option", { name: /Europe\/Samara/ }).click();
  await expect(tz).toHaveValue(/Europe\/Samara/);
  await info.getByRole("button", { name: "Сохранить" }).click();
  await expect(info.getByRole("button", { name: "Сохранено" })).toBeVisible();
  await expect(owner.getByRole("banner").getByText("Ольга Ромашкина")).toBeVisible();
  await expect(owner.getByRole("slider", { name: "Новое сообщение" })).toBeVisible();
  await shot(owner, "profile");

  // The new password works and the profile survived a reload.
  await owner.reload();
  const phone = owner.getByRole("region", { name: "Информация" }).getByLabel("Телефон");
  await expect.poll(async () => (await phone.inputValue()).replace(/\D/g, "")).toBe("79991234567");
  const check = await request.newContext({ baseURL });
  expect((await check.post("/api/v1/auth/login", { data: { email: ownerEmail, password: newPassword } })).status()).toBe(200);
  await check.dispose();

  // --- create the project «Ромашка» from the switcher
  await owner.getByRole("button", { name: /^Проект/ }).click();
  await owner.getByRole("menuitem", { name: "Создать проект" }).click();
  const dialog = owner.getByRole("dialog", { name: "Новый проект" });
  await dialog.getByLabel("Название проекта").fill("Ромашка");
  await dialog.getByRole("button", { name: "Создать" }).click();
  await expect(dialog).toBeHidden();
  await expect(owner).toHaveURL(/\/settings$/);
  await expect(owner.getByRole("heading", { level: 2, name: "Ромашка" })).toBeVisible();
  await expect(owner.getByRole("button", { name: /^Проект/ })).toContainText("Ромашка");
  await expect(owner.getByRole("tab", { name: "Основные" })).toHaveAttribute("aria-selected", "true");

  // --- Основные: a domain (with inline validation first), then copy the snippet
  const domains = owner.getByRole("region", { name: "Домены сайта" });
  await domains.getByLabel("Новый домен").fill("not a domain");
  await domains.getByRole("button", { name: "Добавить" }).click();
  await expect(domains.getByText(/не домен/)).toBeVisible();
  await domains.getByLabel("Новый домен").fill("romashka.example");
  await domains.getByRole("button", { name: "Добавить" }).click();
  await expect(domains.getByRole("list", { name: "Домены проекта" }).getByText("romashka.example")).toBeVisible();
  await expect(domains.getByLabel("Новый домен")).toHaveValue("");

  const snippet = owner.getByRole("region", { name: "Код для сайта" });
  const code = (await snippet.locator("pre").innerText()).trim();
  expect(code.length).toBeGreaterThan(10);
  await snippet.getByRole("button", { name: "Скопировать", exact: true }).click();
  await expect(snippet.getByRole("button", { name: "Скопировано" })).toBeVisible();
  expect((await owner.evaluate(() => navigator.clipboard.readText())).trim()).toBe(code);
  await shot(owner, "settings-main");

  // --- Команда: add an analyst with only «Аналитика»
  await owner.getByRole("tab", { name: "Команда" }).click();
  await expect(owner).toHaveURL(/\/settings\/team$/);
  await owner.getByRole("button", { name: "Добавить сотрудника" }).click();
  const analystEmail = `analyst-${rnd()}@example.com`;
  const add = owner.getByRole("dialog", { name: "Новый сотрудник" });
  await add.getByRole("button", { name: "Добавить" }).click();
  await expect(add.getByText("Введите эл. почту.")).toBeVisible();
  await add.getByLabel("Эл. почта").fill(analystEmail);
  await add.getByLabel("Имя", { exact: true }).fill("Антон");
  await add.getByLabel("Фамилия").fill("Аналитиков");
  await add.getByRole("checkbox", { name: /^Аналитика/ }).check();
  await add.getByRole("button", { name: "Добавить" }).click();
  await expect(add).toBeHidden();
  const row = owner.getByRole("row").filter({ hasText: analystEmail });
  await expect(row).toBeVisible();
  await expect(row.getByText("Аналитика", { exact: true })).toBeVisible();
  await expect(owner.getByRole("row").filter({ hasText: "Ольга Ромашкина" }).getByText("Администратор", { exact: true })).toBeVisible();
  await shot(owner, "settings-team");

  // --- Уведомления, Черный список, Тариф (screens; the blacklist takes a subnet)
  await owner.getByRole("tab", { name: "Уведомления" }).click();
  await expect(owner.getByText("Если ни у кого не включены обращения клиентов, их получает администратор.")).toBeVisible();
  const statsBox = owner.getByRole("checkbox", { name: "Статистика — Антон Аналитиков" });
  await statsBox.check();
  await expect(owner.getByRole("status").filter({ hasText: "Сохранено" })).toBeVisible();
  await shot(owner, "settings-notifications");

  await owner.getByRole("tab", { name: "Черный список" }).click();
  await owner.getByLabel("Что блокируем").selectOption("ip");
  await owner.getByLabel("IP-адрес или подсеть").fill("203.0.113.0/24");
  await owner.getByLabel("Комментарий").fill("спам");
  await owner.getByRole("button", { name: "Заблокировать" }).click();
  await expect(owner.getByRole("row").filter({ hasText: "203.0.113.0/24" })).toBeVisible();
  await shot(owner, "settings-blacklist");

  // --- the analyst signs in elsewhere: no settings, but the journal
  const analystPassword = await mailedPassword(api, analystEmail);
  const analyst = await newPage(browser);
  await signIn(analyst, analystEmail, analystPassword);
  // The menu shows what «Аналитика» opens; a link to the settings leads to what they may see.
  await expect(analyst.getByRole("navigation", { name: "Главное меню" }).getByRole("link")).toHaveText(["Панель", "ЕЖЛ", "Диалоги", "Аналитика", "ОКО"]);
  await analyst.goto("/settings");
  await expect(analyst).toHaveURL(/\/dialogs$/);
  await analyst.getByRole("navigation", { name: "Главное меню" }).getByRole("link", { name: "ЕЖЛ" }).click();
  await expect(analyst.getByRole("heading", { level: 1, name: "Единый журнал лидов" })).toBeVisible();
  for (const col of ["Время", "Канал", "Клиент", "Обращение"]) await expect(analyst.getByRole("columnheader", { name: col })).toBeVisible();
  await shot(analyst, "journal-analyst");

  // --- the analyst's account is invited to «Демо»: the answer tells the inviter nothing, a
  // mail tells the analyst, and the analyst joins only by accepting in the cabinet.
  const invited = await api.post(`/api/v1/projects/${demo.id}/members`, { data: { email: analystEmail, accesses: ["operator"] } });
  expect(invited.status(), await invited.text()).toBe(201);
  expect(await invited.json()).toEqual({ added: { email: analystEmail, accesses: ["operator"] } });
  await expect
    .poll(async () => ((await (await api.get("/outbox.json")).json()) as Mail[]).some((m) => m.to.includes(analystEmail) && m.subject === "Приглашение в проект «Демо» в Беседе"))
    .toBe(true);
  await analyst.reload();
  const invitations = analyst.getByRole("region", { name: "Приглашения в проекты" });
  await expect(invitations.getByText("Вас пригласили в команду проекта «Демо»")).toBeVisible();
  await expect(invitations.getByText(/Доступы: Оператор\./)).toBeVisible();
  await invitations.getByRole("button", { name: "Принять" }).click();
  await expect(invitations.getByRole("status")).toContainText("Вы в команде проекта «Демо».");
  await expect(analyst.getByRole("button", { name: /^Проект/ })).toContainText("Демо");
  expect((await api.get(`/api/v1/projects/${demo.id}/members?q=${encodeURIComponent(analystEmail)}`).then((r) => r.json())).members).toHaveLength(1);
  await analyst.context().close();

  // --- back as the owner: start the 7-day trial
  await owner.getByRole("tab", { name: "Тариф" }).click();
  await expect(owner).toHaveURL(/\/settings\/tariff$/);
  const current = owner.getByRole("status", { name: "Текущий тариф" });
  await expect(current).toContainText("Тариф не подключён");
  await expect(owner.getByRole("heading", { name: "Start" })).toBeVisible();
  await expect(owner.getByRole("heading", { name: "Pro", exact: true })).toBeVisible();
  await owner.getByRole("button", { name: "Попробовать" }).click();
  await expect(current).toContainText("Тестовый период");
  await expect(current).toContainText(/действует до \d{1,2} \S+ \d{4}/);
  await expect(owner.getByRole("button", { name: "Попробовать" })).toBeDisabled();
  await shot(owner, "settings-tariff");

  await owner.context().close();
  await api.dispose();
});

test("account: «Забыл пароль» mails a link that sets a new password", async ({ browser }) => {
  test.setTimeout(60_000);
  const api = await request.newContext({ baseURL });
  expect((await api.post("/api/v1/auth/login", { data: { email: adminEmail, password: adminPassword } })).status()).toBe(200);
  const created = await api.post("/api/v1/projects", { data: { name: "Сброс пароля" } });
  expect(created.status(), await created.text()).toBe(201);
  const pid = (await created.json()).project.id as string;
  const email = `reset-${rnd()}@example.com`;
  const added = await api.post(`/api/v1/projects/${pid}/members`, { data: { email, first_name: "Роза", last_name: "Сбросова", accesses: ["operator"] } });
  expect(added.status(), await added.text()).toBe(201);

  const page = await newPage(browser);
  await page.goto("/");
  await page.getByRole("link", { name: "Забыл пароль" }).click();
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("button", { name: "Отправить ссылку" }).click();
  await expect(page.getByRole("status")).toContainText("письмо со ссылкой");

  let link = "";
  await expect
    .poll(async () => {
      const mails = (await (await api.get("/outbox.json")).json()) as Mail[];
      const m = mails.find((x) => x.to.includes(email) && /\/reset\?token=/.test(x.text) && !x.text.includes("welcome=1"));
      link = m ? /(\/reset\?token=[^\s]+)/.exec(m.text)![1]! : "";
      return link;
    }, { timeout: 15_000 })
    .not.toBe("");

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Новый пароль" })).toBeVisible();
  const password = "Roza-" + rnd();
  await page.getByLabel("Новый пароль", { exact: true }).fill(password);
  await page.getByLabel("Ещё раз новый пароль").fill(password + "x");
  await page.getByRole("button", { name: "Сменить пароль" }).click();
  await expect(page.getByText("Пароли не совпадают.")).toBeVisible();
  await page.getByLabel("Ещё раз новый пароль").fill(password);
  await page.getByRole("button", { name: "Сменить пароль" }).click();
  await expect(page.getByRole("status")).toContainText("Пароль изменён");
  await page.getByRole("link", { name: "Войти" }).click();
  await signIn(page, email, password);
  await page.context().close();
  await api.dispose();
});
