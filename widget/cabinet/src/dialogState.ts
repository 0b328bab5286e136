// Pure helpers of the Dialogs page (§10): which folder a dialog is in, keeping the three lists
// in step with what arrives over the WebSocket, messages without duplicates, read marks,
// list times in the user's time zone, the typing throttle. Unit-tested.
import type { Dialog, Folder, Message } from "./api";
import { formatPhone } from "./format";
import type { Lang } from "./i18n";

export type Lists = Record<Folder, Dialog[]>;
export const emptyLists = (): Lists => ({ mine: [], common: [], archive: [] });

/** «Мои» = open and mine or nobody's; «Общие» = open and a colleague's; «Архив» = closed. */
export function folderOf(d: Dialog, me: string): Folder {
  if (d.status === "closed") return "archive";
  return d.assignee && d.assignee !== me ? "common" : "mine";
}

const newestFirst = (a: Dialog, b: Dialog) => (a.last_at < b.last_at ? 1 : a.last_at > b.last_at ? -1 : a.id < b.id ? 1 : -1);

const maxId = (a: string | null, b: string | null) => (a && b ? (a > b ? a : b) : a || b);

/**
 * A dialog snapshot merged with the copy we hold: snapshots race (a reply's response may come
 * after the visitor already read it, or after their next message), so read marks only move
 * forward and an older snapshot never takes back the last message.
 */
export function freshest(old: Dialog | null | undefined, d: Dialog): Dialog {
  if (!old || old.id !== d.id) return d;
  const out = { ...d, visitor_read_up_to: maxId(old.visitor_read_up_to, d.visitor_read_up_to), operator_read_up_to: maxId(old.operator_read_up_to, d.operator_read_up_to) };
  if (old.last_at > d.last_at) {
    out.last_at = old.last_at;
    out.last_text = old.last_text;
    out.unread = old.unread;
  }
  return out;
}

/** The lists with `d` moved into its folder (replacing the old copy wherever it was), newest first. */
export function applyDialog(lists: Lists, snapshot: Dialog, me: string): Lists {
  const d = freshest(findDialog(lists, snapshot.id), snapshot);
  const target = folderOf(d, me);
  const out = {} as Lists;
  for (const f of Object.keys(lists) as Folder[]) {
    const rest = lists[f].filter((x) => x.id !== d.id);
    out[f] = f === target ? [...rest, d].sort(newestFirst) : rest;
  }
  return out;
}

export function findDialog(lists: Lists, id: string): Dialog | undefined {
  for (const f of Object.keys(lists) as Folder[]) {
    const d = lists[f].find((x) => x.id === id);
    if (d) return d;
  }
  return undefined;
}

/** How many dialogs of a folder have unread visitor messages. */
export const unreadDialogs = (list: Dialog[]) => list.filter((d) => d.unread > 0).length;

/**
 * Messages with `m` added or replaced (same id), oldest first. Frames arrive in the server's
 * order and replace; an HTTP answer (a reply's, «Отправить ещё раз»'s) races them, so with
 * `keepDelivery` — a frame about the message came after the request was made — the copy held
 * keeps its delivery state (the answer's «queued» never takes back a «sent» or a failure).
 */
export function mergeMessage(list: Message[], m: Message, keepDelivery = false): Message[] {
  const i = list.findIndex((x) => x.id === m.id);
  const out = i >= 0 ? list.map((x, j) => (j === i ? (keepDelivery ? { ...m, delivery: x.delivery } : m) : x)) : [...list, m];
  return i >= 0 ? out : out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * ✓✓ when the visitor has read an operator's (or system) message: its own flag, or the
 * dialog's `visitor_read_up_to` at or after it (message ids grow with time).
 */
export function readByVisitor(m: Message, d: Pick<Dialog, "visitor_read_up_to">): boolean {
  if (m.from === "visitor") return false;
  return m.read || (!!d.visitor_read_up_to && m.id <= d.visitor_read_up_to);
}

/** The contact's name, phone or e-mail; null for an anonymous visitor. */
export function contactName(d: Pick<Dialog, "contact" | "chat">): string | null {
  const c = d.contact || {};
  for (const k of ["name", "phone", "email"]) {
    const v = c[k];
    if (typeof v === "string" && v.trim()) return k === "phone" ? formatPhone(v.trim()) : v.trim();
  }
  // A messenger customer without a card yet: the name or @username the platform shows.
  const name = d.chat?.name?.trim();
  if (name) return name;
  const username = d.chat?.username?.trim();
  return username ? "@" + username.replace(/^@/, "") : null;
}

/** A short stable number for an anonymous visitor: «Посетитель 4F2A». */
export const visitorTag = (visitorId: string) => (visitorId || "").replace(/[^0-9a-zA-Z]/g, "").slice(-4).toUpperCase() || "—";

const locale = (lang: Lang) => (lang === "ru" ? "ru-RU" : "en-GB");

function dayKey(d: Date, timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
  } catch {
    return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
  }
}

function fmt(d: Date, lang: Lang, opts: Intl.DateTimeFormatOptions, timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat(locale(lang), { ...opts, timeZone }).format(d);
  } catch {
    return new Intl.DateTimeFormat(locale(lang), opts).format(d);
  }
}

/** The time of a list row in the user's zone: «14:05» today, «вчера» / «yesterday», else «12 мар.». */
export function listTime(iso: string, lang: Lang, timeZone: string | undefined, now: Date = new Date()): string {
  const d = new Date(iso);
  if (isNaN(d.getTime())) return "";
  const today = dayKey(now, timeZone);
  const key = dayKey(d, timeZone);
  if (key === today) return fmt(d, lang, { hour: "2-digit", minute: "2-digit" }, timeZone);
  if (key === dayKey(new Date(now.getTime() - 86_400_000), timeZone)) return lang === "ru" ? "вчера" : "yesterday";
  const sameYear = key.slice(0, 4) === today.slice(0, 4);
  return fmt(d, lang, sameYear ? { day: "numeric", month: "short" } : { day: "numeric", month: "short", year: "numeric" }, timeZone);
}

/** The time of a message bubble: «14:05», with the date when it is not today. */
export function bubbleTime(iso: string, lang: Lang, timeZone: string | undefined, now: Date = new Date()): string {
  const d = new Date(iso);
  if (isNaN(d.getTime())) return "";
  const time = fmt(d, lang, { hour: "2-digit", minute: "2-digit" }, timeZone);
  if (dayKey(d, timeZone) === dayKey(now, timeZone)) return time;
  return fmt(d, lang, { day: "numeric", month: "short" }, timeZone) + ", " + time;
}

/** The day a group of messages belongs to (for the separators in the conversation). */
export const messageDay = (iso: string, timeZone?: string) => dayKey(new Date(iso), timeZone);

/** Typing pings at most every `every` ms. */
export class Throttle {
  private last = -Infinity;
  constructor(private readonly every = 3000) {}
  /** True when a ping may go now (and remembers that it went). */
  take(now: number): boolean {
    if (now - this.last < this.every) return false;
    this.last = now;
    return true;
  }
  reset() {
    this.last = -Infinity;
  }
}

/** A random id for one outgoing message (the server makes retries with it idempotent). */
export function newClientId(): string {
  const bytes = new Uint8Array(12);
  try {
    crypto.getRandomValues(bytes);
  } catch {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  return "c" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Characters as the server counts them (code points, not UTF-16 units). */
export const charCount = (s: string) => Array.from(s).length;

/** Which sound a live frame deserves for this operator: a new request, a new message, or none. */
export function soundFor(
  frame: { type: string; dialog?: Dialog; message?: Message },
  me: string,
  seen: Set<string>,
  now: number = Date.now(),
): "new_request" | "new_message" | null {
  if (frame.type === "lead") return "new_request";
  if (frame.type !== "message" || !frame.dialog || !frame.message) return null;
  const d = frame.dialog;
  if (frame.message.from !== "visitor") return null;
  const first = !seen.has(d.id);
  seen.add(d.id);
  if (d.assignee && d.assignee !== me) return null;
  const fresh = now - new Date(d.created_at).getTime() < 5 * 60_000;
  return first && fresh ? "new_request" : "new_message";
}
