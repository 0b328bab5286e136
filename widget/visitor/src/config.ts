// The project's widget settings from `GET /widget/v1/projects/{project}/config`, read
// defensively: every field is optional, a missing or malformed one falls back to a default.
import { normalizeGrid, type HoursGrid } from "./hours";
import { pickLang, strings, type Lang } from "./i18n";
import { safeColor } from "./text";

export interface WidgetConfig {
  title: string;
  subtitle: string;
  lang: Lang;
  color: string;
  side: "left" | "right";
  welcome: string;
  timeZone: string;
  chatHours: HoursGrid | null;
}

export const DEFAULT_COLOR = "#2563eb";

function str(v: unknown, max: number): string | null {
  return typeof v === "string" && v.trim() ? v.trim().slice(0, max) : null;
}

export function normalizeConfig(raw: unknown, fallbackLang: Lang = "ru"): WidgetConfig {
  const r = (raw && typeof raw === "object" ? raw : {}) as Record<string, any>;
  const chat = (r.chat && typeof r.chat === "object" ? r.chat : {}) as Record<string, unknown>;
  const lang = pickLang(r.language, fallbackLang);
  const s = strings[lang];
  return {
    title: str(r.title, 60) || s.title,
    subtitle: str(r.subtitle, 120) || s.subtitle,
    lang,
    color: safeColor(r.color) || DEFAULT_COLOR,
    side: r.side === "left" ? "left" : "right",
    welcome: str(chat.welcome_message ?? r.welcome_message, 1000) || s.welcome,
    timeZone: str(r.time_zone, 64) || "Europe/Moscow",
    chatHours: normalizeGrid(chat.hours),
  };
}
