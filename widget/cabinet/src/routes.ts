// Cabinet routes (plain paths; the server answers index.html for any of them).

export type Section = "dashboard" | "journal" | "dialogs" | "settings";

export const SECTIONS: { id: Section; path: string }[] = [
  { id: "dashboard", path: "/" },
  { id: "journal", path: "/journal" },
  { id: "dialogs", path: "/dialogs" },
  { id: "settings", path: "/settings" },
];

export type Route = { kind: "section"; section: Section } | { kind: "forgot" } | { kind: "notFound" };

export function parseRoute(pathname: string): Route {
  const p = "/" + pathname.split(/[?#]/)[0].replace(/^\/+|\/+$/g, "");
  if (p === "/forgot") return { kind: "forgot" };
  for (const s of SECTIONS) {
    if (s.path === "/" ? p === "/" : p === s.path || p.startsWith(s.path + "/")) return { kind: "section", section: s.id };
  }
  return { kind: "notFound" };
}
