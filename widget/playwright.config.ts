import { defineConfig, devices } from "@playwright/test";

// Browser tests against a running Beseda server (the Makefile starts it and sets BESEDA_URL,
// BESEDA_ADMIN_EMAIL and BESEDA_ADMIN_PASSWORD). Uses the system Chromium.
export default defineConfig({
  testDir: "../tests/browser",
  // The specs live outside widget/; this tsconfig maps "@playwright/test" to widget/node_modules.
  tsconfig: "./tsconfig.tests.json",
  outputDir: "test-results",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: "list",
  use: {
    baseURL: process.env.BESEDA_URL || "http://127.0.0.1:8080",
    screenshot: "only-on-failure",
    trace: "off",
    locale: "ru-RU",
    viewport: { width: 1280, height: 800 },
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
});
