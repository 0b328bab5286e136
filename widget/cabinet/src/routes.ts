// Cabinet routes (plain paths; the server answers index.html for any of them).

export type Section = "dashboard" | "journal" | "dialogs" | "settings";

export const SECTIONS: { id: Section; path: string }[] = [
  { id: "dashboard", path: "/" },
  { id: "journal", path: "/journal" },
  { id: "dialogs", path: "/dialogs" },
  { id: "settings", path: "/settings" },
];

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
export type SettingsTab = "main" | "team" | "notifications" | "blacklist" | "tariff";
export const SETTINGS_TABS: SettingsTab[] = ["main", "team", "notifications", "blacklist", "tariff"];

export function settingsTab(pathname: string): SettingsTab | null {
  const p = clean(pathname);
  if (p === "/settings") return "main";
  const m = /^\/settings\/([a-z]+)$/.exec(p);
  return m && (SETTINGS_TABS as string[]).includes(m[1]!) ? (m[1] as SettingsTab) : null;
}

export const settingsPath = (tab: SettingsTab) => (tab === "main" ? "/settings" : "/settings/" + tab);
