import { expect, test } from "@playwright/test";
import path from "node:path";

// The demo site embeds <script src="/widget/loader.js" data-project="…" async>.
test("demo page: launcher opens the chat panel", async ({ page }, testInfo) => {
  const widgetRequests: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/widget/widget.js")) widgetRequests.push(r.url());
  });

  await page.goto("/demo");
  const host = page.locator("#beseda-widget");
  const launcher = host.getByRole("button", { name: "Открыть чат" });
  await expect(launcher).toBeVisible();
  await expect(launcher).toHaveAttribute("id", "beseda-launcher");
  // The loader is the only thing a page pays for until the visitor interacts.
  expect(widgetRequests).toEqual([]);

  await launcher.click();
  const panel = host.getByRole("dialog");
  await expect(panel).toBeVisible();
  expect(widgetRequests.length).toBe(1);
  await expect(panel.getByRole("heading")).toBeVisible();
  const input = panel.getByRole("textbox");
  await expect(input).toBeVisible();

  // Visitor text is shown as text, never as HTML.
  const evil = '<img src=x onerror="window.__pwned=1">Здравствуйте';
  await input.fill(evil);
  await input.press("Enter");
  await expect(panel.getByRole("log").getByText(evil)).toBeVisible();
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  await expect(host.locator(".bsd-log img")).toHaveCount(0);

  await page.screenshot({ path: path.join(testInfo.project.outputDir, "demo-widget.png"), animations: "disabled" });

  // The launcher now closes the panel.
  await host.locator("#beseda-launcher").click();
  await expect(panel).toBeHidden();
});
