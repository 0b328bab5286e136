// Pure helpers: domain validation, time zone labels, money and dates. Unit-tested.
import type { Lang } from "./i18n";

/** What a person pasted (maybe a URL) reduced to the domain form we store. */
export function normalizeDomain(input: string): string {
  let s = input.trim().toLowerCase();
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
  s = s.replace(/[/?#].*$/, "");
  s = s.replace(/:\d+$/, "");
  s = s.replace(/\.$/, "");
  return s;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/** `domain.ru` or `*.domain.ru`; Unicode (IDN) labels are allowed. The server decides in the end. */
export function isValidDomain(d: string): boolean {
  if (!d || d.length > 253) return false;
  const wildcard = d.startsWith("*.");
  const host = wildcard ? d.slice(2) : d;
  // Like the server: localhost and an IPv4 address pass too (for a site on a test machine).
  if (host === "localhost" || IPV4.test(host)) return !wildcard;
  const labels = host.split(".");
  if (labels.length < 2) return false;
  if (!labels.every((l) => LABEL.test(l))) return false;
  return !/^\d+$/.test(labels[labels.length - 1]!);
}

/** "GMT+03:00" for a zone (or "" if the runtime does not know it). */
export function gmtOffset(tz: string, at: Date = new Date()): string {
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" }).formatToParts(at);
    const name = parts.find((p) => p.type === "timeZoneName")?.value || "";
    return name === "GMT" ? "GMT+00:00" : name;
  } catch {
    return "";
  }
}

/** "(GMT+03:00) Europe/Moscow" — the form the reference product uses. */
export function tzLabel(tz: string): string {
  const off = gmtOffset(tz);
  return (off ? "(" + off + ") " : "") + tz.replace(/_/g, " ");
}

/**
 * Case-insensitive match on the label (ignoring "_" vs " "), on the Russian city names and on
 * «МСК+2» (also typed «мск +2», «msk+2» or with a hyphen for the minus); `russian` is what
 * tzRussian() gives for the zone.
 */
export function tzMatches(tz: string, query: string, russian = ""): boolean {
  const q = query.trim().toLowerCase().replace(/_/g, " ").replace(/ё/g, "е");
  if (!q) return true;
  if (tzLabel(tz).toLowerCase().includes(q)) return true;
  const ru = russian.toLowerCase().replace(/ё/g, "е");
  const msk = /^(?:мск|msk)\s*([+\-−–])?\s*(\d{1,2}(?::\d\d)?)?$/.exec(q);
  if (msk) {
    const want = "мск" + (msk[2] && msk[2] !== "0" ? (msk[1] && msk[1] !== "+" ? "−" : "+") + msk[2] : "");
    return ru.split(" ").some((w) => w === want || (!msk[2] && w.startsWith("мск")));
  }
  return ru.includes(q);
}

const locale = (lang: Lang) => (lang === "ru" ? "ru-RU" : "en-GB");

/** 2500 → "2 500 ₽" (ru) / "₽2,500" style kept Russian-like in English too: "2,500 ₽". */
export function rub(amount: number, lang: Lang): string {
  const n = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 }).format(amount);
  return n.replace(/\u00a0|\u202f/g, " ") + " ₽";
}

export function formatDateTime(iso: string | null | undefined, lang: Lang, timeZone?: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale(lang), { dateStyle: "medium", timeStyle: "short", timeZone }).format(d);
  } catch {
    return new Intl.DateTimeFormat(locale(lang), { dateStyle: "medium", timeStyle: "short" }).format(d);
  }
}

export function formatDate(iso: string | null | undefined, lang: Lang, timeZone?: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale(lang), { dateStyle: "long", timeZone }).format(d);
  } catch {
    return new Intl.DateTimeFormat(locale(lang), { dateStyle: "long" }).format(d);
  }
}

/** Whole days from now until `iso`, never negative. */
export function daysLeft(iso: string | null | undefined, now: Date = new Date()): number {
  if (!iso) return 0;
  const ms = new Date(iso).getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 86_400_000) : 0;
}

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** "+79991234567" → "+7 999 123-45-67"; anything else as it is. */
export function formatPhone(p: string | null | undefined): string {
  if (!p) return "";
  const d = p.replace(/\D/g, "");
  if (/^7\d{10}$/.test(d) && /^\+?7[\d\s()-]*$/.test(p.trim())) {
    return "+7 " + d.slice(1, 4) + " " + d.slice(4, 7) + "-" + d.slice(7, 9) + "-" + d.slice(9, 11);
  }
  return p;
}

/** Pro+ monthly price for a volume of visitors (§5): 3 500 ₽ + 500 ₽ per started thousand over 5 000. */
export function proPlusPrice(visitors: number): number {
  const v = visitors > 5000 ? visitors : 10000;
  return 3500 + 500 * Math.ceil((v - 5000) / 1000);
}
