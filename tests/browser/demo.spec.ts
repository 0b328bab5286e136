import { expect, test } from "@playwright/test";
import path from "node:path";

// The demo site embeds <script src="/widget/loader.js" data-project="demo" async>: the visitor
// sees the launcher, pays only for the loader until they interact, and a click opens the panel.
// (The chat itself is covered by widget-visitor.spec.ts and chat-live.spec.ts.)
test("demo page: the widget's button is there and opens the panel", async ({ page }, testInfo) => {
  const widgetRequests: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/widget/widget.js")) widgetRequests.push(r.url());
  });

  await page.goto("/demo");
  const host = page.locator("#beseda-widget");
  const launcher = host.locator("#beseda-launcher");
  await expect(launcher).toBeVisible();
  await expect(launcher).toHaveAttribute("aria-label", /Открыть/);
  expect(widgetRequests).toEqual([]);

  await launcher.click();
  const panel = host.getByRole("dialog");
  await expect(panel).toBeVisible();
  expect(widgetRequests.length).toBe(1);
  await expect(panel.getByRole("heading").first()).toBeVisible();

  await page.screenshot({ path: path.join(testInfo.project.outputDir, "demo-widget.png"), animations: "disabled" });

  await launcher.click();
  await expect(panel).toBeHidden();
});
