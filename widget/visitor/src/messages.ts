// The visitor's message list: parsing server messages, merging WebSocket, polling and POST
// answers without duplicates, local pending messages, read marks and the unread count.
import { normalizeRequest, type ContactRequest, type FieldDef } from "./config";

export type From = "visitor" | "operator" | "system";

export interface Message {
  /** Server id; local messages not yet accepted have "local:" + clientId. */
  id: string;
  from: From;
  author: string | null;
  text: string;
  at: string;
  read: boolean;
  contactRequest: ContactRequest | null;
  /** The client_id the visitor's message was sent with (echoed by the server, or local). */
  clientId?: string;
  /** The visitor's own request form or callback request, shown from its fields. */
  request?: Record<string, unknown>;
  /** Only on local messages. */
  state?: "sending" | "failed";
  error?: string;
}

export interface Dialog {
  id: string;
  status: "open" | "closed";
  pendingRequest: ContactRequest | null;
  contact: Record<string, string>;
  /** The operator who took the dialog (their photo is shown), or null. */
  assignee: string | null;
  /** An operator answered: the visitor may rate the dialog. */
  answered: boolean;
  /** The visitor's rating (1–5), once given. */
  rating: number | null;
}

/** Whether to ask the visitor for a rating: the operator closed an answered dialog not rated yet. */
export const awaitsRating = (d: Dialog | null) => !!d && d.status === "closed" && d.answered && d.rating == null;

const LOCAL = "local:";
export const isLocal = (m: Message) => m.id.indexOf(LOCAL) === 0;

export function parseMessage(raw: unknown, fields: FieldDef[]): Message | null {
  const r = (raw && typeof raw === "object" ? raw : {}) as Record<string, any>;
  if (typeof r.id !== "string" && typeof r.id !== "number") return null;
  if (typeof r.text !== "string") return null;
  const from: From = r.from === "visitor" || r.from === "system" ? r.from : "operator";
  const m: Message = {
    id: String(r.id),
    from,
    author: typeof r.author === "string" && r.author.trim() ? r.author.trim() : null,
    text: r.text,
    at: typeof r.at === "string" && !isNaN(Date.parse(r.at)) ? r.at : new Date().toISOString(),
    read: r.read === true,
    contactRequest: normalizeRequest(r.contact_request, fields),
  };
  if (typeof r.client_id === "string") m.clientId = r.client_id;
  if (r.request && typeof r.request === "object") m.request = r.request;
  return m;
}

/** A request of the visitor in their language: the title and the fields they filled. */
export function requestText(card: Record<string, unknown>, s: Record<string, any>): string {
  const lines = [card.kind === "callback" ? s.callRequest : s.formRequest];
  const add = (label: string, v: unknown) => typeof v === "string" && v && lines.push(label + ": " + v);
  add(s.name, card.name);
  add(s.phone, card.phone);
  add(s.email, card.email);
  add(s.company, card.company);
  for (const l of [card.custom, card.list] as any[]) if (l && typeof l === "object") add(String(l.label), l.value);
  add(s.group, card.group);
  return lines.join("\n");
}

export function parseDialog(raw: unknown, fields: FieldDef[]): Dialog | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, any>;
  if (typeof r.id !== "string" && typeof r.id !== "number") return null;
  const contact: Record<string, string> = {};
  const c = r.contact && typeof r.contact === "object" ? r.contact : {};
  for (const k in c) if (typeof c[k] === "string") contact[k] = c[k];
  return {
    id: String(r.id),
    status: r.status === "closed" ? "closed" : "open",
    pendingRequest: normalizeRequest(r.pending_contact_request, fields),
    contact,
    assignee: typeof r.assignee === "string" && /^[\w-]{1,64}$/.test(r.assignee) ? r.assignee : null,
    answered: r.operator_replied === true,
    rating: typeof r.rating === "number" && r.rating >= 1 && r.rating <= 5 ? r.rating : null,
  };
}

export function parseMessages(raw: unknown, fields: FieldDef[]): Message[] {
  const out: Message[] = [];
  for (const m of Array.isArray(raw) ? raw : []) {
    const p = parseMessage(m, fields);
    if (p) out.push(p);
  }
  return out;
}

export function localMessage(clientId: string, text: string, now = new Date()): Message {
  return { id: LOCAL + clientId, from: "visitor", author: null, text, at: now.toISOString(), read: false, contactRequest: null, clientId, state: "sending" };
}

/**
 * Merges `incoming` server messages into `list`: a message with a known id replaces the old copy,
 * a message echoing a local message's client_id replaces that local message (or pass `clientId`
 * for the answer of the POST that sent it). Server messages are ordered by time (stable for equal
 * times); local ones stay at the end, in the order they were typed.
 */
export function mergeMessages(list: Message[], incoming: Message[], clientId?: string): Message[] {
  const byId: Record<string, Message> = {};
  const server: Message[] = [];
  const local: Message[] = [];
  for (const m of list) (isLocal(m) ? local : server).push(m);
  for (const m of server) byId[m.id] = m;
  const drop: Record<string, 1> = {};
  for (const m of incoming) {
    if (isLocal(m)) continue;
    const old = byId[m.id];
    // A read mark never goes back (a late poll answer must not undo a WebSocket "read").
    byId[m.id] = old ? { ...m, read: m.read || old.read } : m;
    if (!old) server.push(m);
    if (m.clientId) drop[m.clientId] = 1;
  }
  if (clientId) drop[clientId] = 1;
  const merged = server.map((m, i) => ({ m: byId[m.id], i }));
  merged.sort((a, b) => Date.parse(a.m.at) - Date.parse(b.m.at) || a.i - b.i);
  return merged.map((x) => x.m).concat(local.filter((m) => !(m.clientId && drop[m.clientId])));
}

/** Replaces one local message (sending → failed and back). */
export function updateLocal(list: Message[], clientId: string, patch: Partial<Message>): Message[] {
  return list.map((m) => (isLocal(m) && m.clientId === clientId ? { ...m, ...patch } : m));
}

/** The `read` frame: the visitor's own messages up to and including `upTo` were read. */
export function markOwnRead(list: Message[], upTo: string): Message[] {
  const idx = list.findIndex((m) => m.id === upTo);
  if (idx < 0) return list;
  return list.map((m, i) => (i <= idx && m.from === "visitor" && !isLocal(m) && !m.read ? { ...m, read: true } : m));
}

/** The visitor has seen every operator and system message. */
export function markTheirsRead(list: Message[]): Message[] {
  return list.map((m) => (m.from !== "visitor" && !m.read ? { ...m, read: true } : m));
}

export function unreadCount(list: Message[]): number {
  return list.filter((m) => m.from !== "visitor" && !m.read).length;
}

/** The id for `messages?after=`: the newest server message. */
export function lastServerId(list: Message[]): string | null {
  for (let i = list.length - 1; i >= 0; i--) if (!isLocal(list[i])) return list[i].id;
  return null;
}

/** The newest operator/system message that asks for contacts. */
export function lastRequest(list: Message[]): Message | null {
  for (let i = list.length - 1; i >= 0; i--) if (list[i].from !== "visitor" && list[i].contactRequest) return list[i];
  return null;
}

/** A random id for client_id: a retry of the same message reuses it, so it is never duplicated. */
export function clientId(): string {
  const c = (globalThis as any).crypto;
  if (c && c.randomUUID) return c.randomUUID();
  return Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
}
