import { expect, test } from "@playwright/test";
import path from "node:path";

test("cabinet: wrong credentials show the server's error", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Вход в Беседу" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Забыл пароль" })).toBeVisible();

  await page.getByLabel("E-mail").fill("nobody@example.com");
  await page.getByLabel("Пароль", { exact: true }).fill("wrong-password");
  await page.getByRole("button", { name: "Войти" }).click();

  const alert = page.getByRole("alert");
  await expect(alert).toBeVisible();
  await expect(alert).not.toBeEmpty();
  await expect(page.getByRole("heading", { name: "Вход в Беседу" })).toBeVisible();
});

test("cabinet: English switch", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "EN" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Beseda" })).toBeVisible();
  await page.getByRole("button", { name: "RU" }).click();
  await expect(page.getByRole("heading", { name: "Вход в Беседу" })).toBeVisible();
});

test("cabinet: the administrator signs in and sees the shell", async ({ page }, testInfo) => {
  const email = process.env.BESEDA_ADMIN_EMAIL || "";
  const password = process.env.BESEDA_ADMIN_PASSWORD || "";
  expect(email, "BESEDA_ADMIN_EMAIL must be set").not.toBe("");
  expect(password, "BESEDA_ADMIN_PASSWORD must be set").not.toBe("");

  await page.goto("/");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Пароль", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Войти" }).click();

  const menu = page.getByRole("navigation");
  await expect(menu.getByRole("link", { name: "Диалоги" })).toBeVisible();
  for (const item of ["Панель", "ЕЖЛ", "Настройки"]) await expect(menu.getByRole("link", { name: item })).toBeVisible();
  await expect(page.getByRole("banner").getByText(email)).toBeVisible();
  await page.screenshot({ path: path.join(testInfo.project.outputDir, "cabinet-shell.png"), animations: "disabled" });

  await menu.getByRole("link", { name: "Диалоги" }).click();
  await expect(page).toHaveURL(/\/dialogs$/);
  await expect(page.getByRole("heading", { level: 1, name: "Диалоги" })).toBeVisible();

  // The session cookie survives a reload.
  await page.reload();
  await expect(page.getByRole("banner").getByText(email)).toBeVisible();
});
