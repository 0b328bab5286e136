// Weekly working-hours grid (PRODUCT.md §8): 7 rows Mon..Sun × 24 hour cells, evaluated in the
// project's time zone, and the honest "we will answer at 09:00 Monday" text (§12).
import { fill, strings, type Lang } from "./i18n";

/** grid[day][hour], day 0 = Monday; `null` means "always open". */
export type HoursGrid = boolean[][];

export interface ZonedTime {
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
  hour: number;
  minute: number;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const formatters: Record<string, Intl.DateTimeFormat> = {};

function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone || "";
  let f = formatters[key];
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = { weekday: "short", hour: "numeric", minute: "numeric", hourCycle: "h23" };
    try {
      f = new Intl.DateTimeFormat("en-US", { ...opts, timeZone: timeZone || undefined });
    } catch {
      f = new Intl.DateTimeFormat("en-US", opts); // unknown zone: the visitor's own
    }
    formatters[key] = f;
  }
  return f;
}

/** Weekday, hour and minute of `date` on the wall clock of `timeZone` (IANA name). */
export function zonedTime(date: Date, timeZone?: string): ZonedTime {
  const out: ZonedTime = { weekday: 0, hour: 0, minute: 0 };
  for (const p of formatter(timeZone).formatToParts(date)) {
    if (p.type === "weekday") out.weekday = Math.max(0, WEEKDAYS.indexOf(p.value));
    else if (p.type === "hour") out.hour = parseInt(p.value, 10) % 24;
    else if (p.type === "minute") out.minute = parseInt(p.value, 10);
  }
  return out;
}

/** Accepts 7 rows of 24 booleans or 0/1 numbers; anything else is "no schedule" (null). */
export function normalizeGrid(raw: unknown): HoursGrid | null {
  if (!Array.isArray(raw) || raw.length !== 7) return null;
  const grid: HoursGrid = [];
  for (const row of raw) {
    if (!Array.isArray(row) || row.length !== 24) return null;
    grid.push(row.map((c) => c === true || c === 1));
  }
  return grid;
}

export function isOpenAt(grid: HoursGrid | null, date: Date, timeZone?: string): boolean {
  if (!grid) return true;
  const t = zonedTime(date, timeZone);
  return !!grid[t.weekday][t.hour];
}

export interface Opening {
  /** 0 = later today, 1 = tomorrow, … up to 7 */
  days: number;
  weekday: number;
  hour: number;
  minute?: number;
}

/** The start of the next open hour after `date`, or null when the grid has no open hour. */
export function nextOpening(grid: HoursGrid | null, date: Date, timeZone?: string): Opening | null {
  if (!grid) return null;
  const t = zonedTime(date, timeZone);
  for (let k = 1; k <= 7 * 24; k++) {
    const abs = t.hour + k;
    const weekday = (t.weekday + Math.floor(abs / 24)) % 7;
    const hour = abs % 24;
    if (grid[weekday][hour]) return { days: Math.floor(abs / 24), weekday, hour };
  }
  return null;
}

/** "сегодня в 14:00", "завтра в 09:00", "в понедельник в 09:00" (or the English forms). */
export function formatOpening(o: Opening, lang: Lang): string {
  const s = strings[lang];
  const m = o.minute || 0;
  const TIME = (o.hour < 10 ? "0" : "") + o.hour + (m < 10 ? ":0" : ":") + m;
  if (o.days === 0) return fill(s.today, { TIME });
  if (o.days === 1) return fill(s.tomorrow, { TIME });
  return fill(s.weekday, { DAY: s.days[o.weekday], TIME });
}

/** The note shown in the widget outside working hours, or "" while open. */
export function offlineNote(grid: HoursGrid | null, date: Date, timeZone: string | undefined, lang: Lang): string {
  if (isOpenAt(grid, date, timeZone)) return "";
  const o = nextOpening(grid, date, timeZone);
  const s = strings[lang];
  return o ? fill(s.offlineUntil, { WHEN: formatOpening(o, lang) }) : s.offline;
}

/**
 * The note for a closed chat whose server sent `next_open` (an RFC 3339 instant): "Сейчас мы не
 * на связи. Ответим в понедельник в 09:00." on the wall clock of `timeZone` (default: the
 * visitor's own). A missing or unreadable instant gives the plain offline note.
 */
export function nextOpenNote(nextOpen: string | null | undefined, now: Date, lang: Lang, timeZone?: string): string {
  const s = strings[lang];
  const when = nextOpenWhen(nextOpen, now, lang, timeZone);
  return when ? fill(s.offlineUntil, { WHEN: when }) : s.offline;
}

/** "завтра в 09:00" for `next_open`, or "" when it is missing, unreadable or past. */
export function nextOpenWhen(nextOpen: string | null | undefined, now: Date, lang: Lang, timeZone?: string): string {
  const at = nextOpen ? new Date(nextOpen) : null;
  if (!at || isNaN(at.getTime()) || at.getTime() <= now.getTime()) return "";
  const a = zonedTime(now, timeZone);
  const b = zonedTime(at, timeZone);
  let days = (b.weekday - a.weekday + 7) % 7;
  // Same weekday a week later, or a jump over a whole week: name the weekday.
  if (at.getTime() - now.getTime() > 6 * 864e5 || (days === 0 && at.getTime() - now.getTime() > 864e5)) days = 7;
  return formatOpening({ days, weekday: b.weekday, hour: b.hour, minute: b.minute }, lang);
}
