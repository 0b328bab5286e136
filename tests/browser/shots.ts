import type { Page } from "@playwright/test";
import path from "node:path";

// Screenshots to look at (not compared): widget/screenshots/<name>.png, git-ignored, kept
// between runs. Playwright runs from widget/.

export const SHOTS = path.resolve("screenshots");

export async function screenshot(page: Page, name: string) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(SHOTS, name + ".png"), animations: "disabled" });
}
