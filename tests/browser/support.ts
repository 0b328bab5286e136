import { expect, request, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import type * as http from "node:http";

// Shared by the specs (not a spec itself): the server's address, the first administrator's
// credentials (the Makefile sets BESEDA_URL, BESEDA_ADMIN_EMAIL and BESEDA_ADMIN_PASSWORD) and
// the administrator's API session on the demo project, which the specs use to set the scene.

export const baseURL = process.env.BESEDA_URL || "http://127.0.0.1:8080";
export const adminEmail = process.env.BESEDA_ADMIN_EMAIL || "";
export const adminPassword = process.env.BESEDA_ADMIN_PASSWORD || "";
export const PROJECT = "/api/v1/projects/demo";

export type Json = Record<string, any>;

/** A week of hours, every one of them open. */
export const always = () => Array.from({ length: 7 }, () => Array<boolean>(24).fill(true));

/**
 * The first administrator through the API on project `demo`: `open()` signs in and reads the
 * widget settings, the administrator's id and accesses; `close()` puts the settings and the
 * accesses back as they were found.
 */
export class DemoAdmin {
  api!: APIRequestContext;
  original!: Json;
  id = "";
  accesses: string[] = [];
  /** `openChat` put the administrator online. */
  wentOnline = false;

  /** Whether the administrator had the operator access before the file. */
  get wasOperator(): boolean {
    return this.accesses.includes("operator");
  }

  async open() {
    expect(adminEmail, "BESEDA_ADMIN_EMAIL must be set").not.toBe("");
    this.api = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
    const login = await this.api.post("/api/v1/auth/login", { data: { email: adminEmail, password: adminPassword } });
    expect(login.status(), await login.text()).toBe(200);
    const res = await this.api.get(PROJECT + "/widget-settings");
    expect(res.status(), await res.text()).toBe(200);
    this.original = await res.json();
    this.id = (await (await this.api.get("/api/v1/me")).json()).user.id;
    const members = (await (await this.api.get(PROJECT + "/members")).json()).members as Json[];
    this.accesses = members.find((m) => m.user_id === this.id)!.accesses;
  }

  /** Gives the administrator the operator access (kept if they had it); the changed member, or null. */
  async grantOperator(): Promise<Json | null> {
    if (this.wasOperator) return null;
    const res = await this.api.patch(PROJECT + "/members/" + this.id, { data: { accesses: [...this.accesses, "operator"] } });
    expect(res.status(), await res.text()).toBe(200);
    return (await res.json()).member;
  }

  /** The administrator's presence on the project. */
  async setOnline(on: boolean) {
    const res = await this.api.put(PROJECT + "/presence", { data: { online: on } });
    expect(res.status(), await res.text()).toBe(200);
  }

  /** The open dialog whose last words are `text`, in «Мои» or «Общие» (another spec's operator may be online in `demo` and be given it). */
  async openDialogWith(text: string): Promise<Json | undefined> {
    for (const folder of ["mine", "common"]) {
      const list = (await (await this.api.get(PROJECT + "/dialogs?folder=" + folder)).json()).dialogs as Json[];
      const found = list.find((d) => d.last_text === text);
      if (found) return found;
    }
    return undefined;
  }

  /** Waits for the open dialog whose last words are `text`; its id. */
  async dialogIdOf(text: string): Promise<string> {
    let id = "";
    await expect.poll(async () => (id = (await this.openDialogWith(text))?.id || ""), { timeout: 20_000 }).not.toBe("");
    return id;
  }

  /** Stores `s` as the project's widget settings. */
  async saveSettings(s: Json) {
    const res = await this.api.put(PROJECT + "/widget-settings", { data: s });
    expect(res.status(), await res.text()).toBe(200);
  }

  /**
   * Opens the chat for a spec: the administrator answers and is online, the chat is open around
   * the clock with no welcome contact request, auto-messages, auto-open, catchers or hidden IPs;
   * `tweak` changes more. `close()` after it takes the administrator offline again.
   */
  async openChat(tweak?: (s: Json) => void) {
    await this.open();
    await this.grantOperator();
    await this.setOnline(true);
    this.wentOnline = true;
    const s: Json = JSON.parse(JSON.stringify(this.original));
    s.chat.enabled = true;
    s.chat.hours = always();
    s.chat.welcome_contact_request = null;
    s.chat.unread.enabled = false;
    s.chat.unanswered.enabled = false;
    s.appearance.auto_open_secs = null;
    s.appearance.devices = { desktop: true, mobile: true };
    s.other.hidden_for_ips = [];
    s.catchers = [];
    if (tweak) tweak(s);
    await this.saveSettings(s);
  }

  /** Puts the settings back, runs `undo` (the spec's own clean-up), takes back the operator access. */
  async close(undo?: () => Promise<unknown>) {
    if (!this.api) return;
    if (this.original) await this.api.put(PROJECT + "/widget-settings", { data: this.original });
    if (this.wentOnline) await this.api.put(PROJECT + "/presence", { data: { online: false } });
    if (undo) await undo();
    if (this.accesses.length && !this.wasOperator) await this.api.patch(PROJECT + "/members/" + this.id, { data: { accesses: this.accesses } });
    await this.api.dispose();
  }
}

/** The administrator signed in to the cabinet through the form, on project `demo`. */
export async function cabinetPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: "ru-RU", viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => localStorage.setItem("beseda.project", "demo"));
  const page = await context.newPage();
  await page.goto("/");
  await page.getByLabel("E-mail").fill(adminEmail);
  await page.getByLabel("Пароль", { exact: true }).fill(adminPassword);
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("banner").getByText(adminEmail)).toBeVisible();
  return page;
}

/** The cabinet in English on a desktop, in `demo`'s session, opened at `path`. */
export async function englishCabinet(browser: Browser, demo: DemoAdmin, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: "en-GB", viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    localStorage.setItem("beseda.project", "demo");
    localStorage.setItem("beseda.lang", "en");
  });
  await context.addCookies((await demo.api.storageState()).cookies);
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

/** Starts a loopback server standing in for a platform's API at `url` (what the runner was told). */
export function listen(server: http.Server, url: string): Promise<void> {
  const api = new URL(url);
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(api.port), api.hostname, resolve);
  });
}

/** Stops a server from `listen`, dropping its kept-alive connections. */
export function shut(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
