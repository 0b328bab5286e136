// Cabinet routes (plain paths; the server answers index.html for any of them).

export type Section = "dashboard" | "journal" | "dialogs" | "analytics" | "oko" | "settings";

export const SECTIONS: { id: Section; path: string }[] = [
  { id: "dashboard", path: "/" },
  { id: "journal", path: "/journal" },
  { id: "dialogs", path: "/dialogs" },
  { id: "analytics", path: "/analytics" },
  { id: "oko", path: "/oko" },
  { id: "settings", path: "/settings" },
];

/**
 * The sections a member's accesses in the project open (access.rs: ЕЖЛ, Аналитика and ОКО for the
 * administrator and «Аналитика», Диалоги also for «Оператор», Настройки for the administrator and
 * «Настройки»); without a project every section is shown (each says what to do first).
 */
export function allowedSections(accesses: string[] | null): Section[] {
  if (!accesses) return SECTIONS.map((s) => s.id);
  const has = (...a: string[]) => a.some((x) => accesses.includes(x));
  return SECTIONS.map((s) => s.id).filter(
    (s) =>
      s === "dashboard" ||
      (s === "journal" || s === "analytics" || s === "oko" ? has("admin", "analytics") : s === "dialogs" ? has("admin", "analytics", "operator") : has("admin", "settings")),
  );
}

/** Where a link to a section the member may not open leads instead: Диалоги if open to them, else Панель. */
export function fallbackSection(allowed: Section[]): Section {
  return allowed.includes("dialogs") ? "dialogs" : "dashboard";
}

export const sectionPath = (s: Section) => SECTIONS.find((x) => x.id === s)!.path;

export type Route =
  | { kind: "section"; section: Section }
  | { kind: "profile" }
  | { kind: "forgot" }
  | { kind: "reset" }
  | { kind: "notFound" };

const clean = (pathname: string) => "/" + pathname.split(/[?#]/)[0]!.replace(/^\/+|\/+$/g, "");

export function parseRoute(pathname: string): Route {
  const p = clean(pathname);
  if (p === "/forgot") return { kind: "forgot" };
  if (p === "/reset") return { kind: "reset" };
  if (p === "/profile") return { kind: "profile" };
  for (const s of SECTIONS) {
    if (s.path === "/" ? p === "/" : p === s.path || p.startsWith(s.path + "/")) return { kind: "section", section: s.id };
  }
  return { kind: "notFound" };
}

/** Tabs of the project settings, each at /settings/<tab> (the first one at /settings). */
export type SettingsTab = "main" | "team" | "notifications" | "blacklist" | "advanced" | "tariff" | "widget" | "integrations";
export const SETTINGS_TABS: SettingsTab[] = ["main", "team", "notifications", "blacklist", "advanced", "tariff", "widget", "integrations"];

export function settingsTab(pathname: string): SettingsTab | null {
  const p = clean(pathname);
  if (p === "/settings") return "main";
  const m = /^\/settings\/([a-z]+)(?:\/([a-z]+))?$/.exec(p);
  if (!m || !(SETTINGS_TABS as string[]).includes(m[1]!)) return null;
  if (m[2] && !(m[1] === "widget" && (WIDGET_SECTIONS as string[]).includes(m[2]))) return null;
  return m[1] as SettingsTab;
}

export const settingsPath = (tab: SettingsTab) => (tab === "main" ? "/settings" : "/settings/" + tab);

/** Sections of «Чат на сайте» (§8, §9), each at /settings/widget/<section> (the first at /settings/widget). */
export type WidgetSection = "appearance" | "chat" | "form" | "callback" | "contacts" | "fields" | "other" | "catchers";
export const WIDGET_SECTIONS: WidgetSection[] = ["appearance", "chat", "form", "callback", "contacts", "fields", "other", "catchers"];

export function widgetSection(pathname: string): WidgetSection {
  const m = /^\/settings\/widget\/([a-z]+)$/.exec(clean(pathname));
  return m && (WIDGET_SECTIONS as string[]).includes(m[1]!) ? (m[1] as WidgetSection) : "appearance";
}

export const widgetPath = (s: WidgetSection) => (s === "appearance" ? "/settings/widget" : "/settings/widget/" + s);

/** Dialogs (§10): /dialogs is «Мои», /dialogs/common and /dialogs/archive the others; an open dialog adds its id. */
export type DialogFolder = "mine" | "common" | "archive";
const FOLDER_NAMES: DialogFolder[] = ["mine", "common", "archive"];

export function dialogsRoute(pathname: string): { folder: DialogFolder; id: string | null } {
  const parts = clean(pathname).split("/").filter(Boolean).slice(1);
  const folder = (FOLDER_NAMES as string[]).includes(parts[0] || "") ? (parts[0] as DialogFolder) : "mine";
  const id = parts[1] ? decodeURIComponent(parts[1]) : null;
  return { folder, id: id && /^[\w.-]{1,100}$/.test(id) ? id : null };
}

export function dialogsPath(folder: DialogFolder, id?: string | null): string {
  if (id) return "/dialogs/" + folder + "/" + encodeURIComponent(id);
  return folder === "mine" ? "/dialogs" : "/dialogs/" + folder;
}
