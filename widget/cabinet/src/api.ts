// JSON over HTTP to the Beseda API with the session cookie. Errors arrive as
// `{"error": {"code": "snake_case_code", "message": "...", "field"?: "input_name"}}`
// (ARCHITECTURE.md, Interfaces); `message` is Russian and is shown as is, `field` names the
// input to highlight.

import type { Settings as WidgetSettings } from "./widgetSettings";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Builds the error of a failed response from its parsed body (null if it was not JSON). */
export function toApiError(status: number, body: unknown): ApiError {
  const e = body && typeof body === "object" ? (body as { error?: unknown }).error : undefined;
  if (e && typeof e === "object") {
    const { code, message, field } = e as { code?: unknown; message?: unknown; field?: unknown };
    return new ApiError(
      status,
      typeof code === "string" && code ? code : "http_" + status,
      typeof message === "string" ? message : "",
      typeof field === "string" && field ? field : undefined,
    );
  }
  return new ApiError(status, "http_" + status, "");
}

export const isForbidden = (e: unknown) => e instanceof ApiError && (e.status === 403 || e.code === "forbidden");

export type Access = "admin" | "settings" | "analytics" | "operator";
export const ACCESSES: Access[] = ["admin", "settings", "analytics", "operator"];
/** May change the project's settings (§3: the administrator and «Настройка проекта»). */
export const canManage = (a: Access[]) => a.includes("admin") || a.includes("settings");
/** May read the dialogs (§3: the administrator, «Аналитика», «Оператор»). */
export const canViewDialogs = (a: Access[]) => a.includes("admin") || a.includes("analytics") || a.includes("operator");
/** May answer dialogs and go online (only «Оператор», which an administrator can add to itself). */
export const canAnswer = (a: Access[]) => a.includes("operator");

export type Volumes = Record<"login" | "presence" | "new_request" | "new_message" | "settings_saved" | "locked_click", number>;
export const VOLUME_KEYS: (keyof Volumes)[] = ["login", "presence", "new_request", "new_message", "settings_saved", "locked_click"];
/** The server's defaults, for a user object that has no volumes yet. */
export const DEFAULT_VOLUMES: Volumes = { login: 50, presence: 50, new_request: 80, new_message: 80, settings_saved: 30, locked_click: 30 };

export interface User {
  id?: string;
  email: string;
  first_name?: string;
  last_name?: string;
  phone?: string | null;
  timezone?: string;
  hide_inactive_projects?: boolean;
  volumes?: Volumes;
  has_avatar?: boolean;
  /** The cabinet language, which service mails follow. */
  language?: "ru" | "en";
  created_at?: string;
}

export type TariffStatus = "none" | "trial" | "active" | "expired";

export interface ProjectSummary {
  id: string;
  name: string;
  accesses: Access[];
  tariff_status: TariffStatus;
}

export interface Project {
  id: string;
  name: string;
  sphere: string | null;
  timezone: string;
  domains: string[];
  embed_snippet: string;
  created_at: string;
}

export interface Sphere {
  id: string;
  name: string;
}

export type NotificationGroup = "services" | "requests" | "statistics" | "news";
export const GROUPS: NotificationGroup[] = ["services", "requests", "statistics", "news"];
export type Groups = Record<NotificationGroup, boolean>;

export interface Member {
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  accesses: Access[];
  notifications: Groups;
}

export interface NotificationEmail {
  email: string;
  groups: Groups;
}

export type BlacklistKind = "visitor" | "phone" | "email" | "ip";
export const BLACKLIST_KINDS: BlacklistKind[] = ["visitor", "phone", "email", "ip"];

export interface BlacklistEntry {
  id: string;
  kind: BlacklistKind;
  value: string;
  note: string;
  created_at: string;
}

export type Plan = "start" | "pro" | "pro_plus";

export interface Tariff {
  id: Plan;
  name: string;
  price_rub: number | null;
  visitors_limit: number | null;
  site_chat: boolean;
  description: string;
}

export type TrialBlocker = "no_domain" | "trial_used" | "tariff_active";

export interface Billing {
  balance_rub: number;
  /** `visitors`: the monthly volume Pro+ is priced for. */
  tariff: { plan: Plan | null; status: TariffStatus; started_at: string | null; expires_at: string | null; visitors?: number | null };
  trial: { available: boolean; blockers: TrialBlocker[] };
  ledger: { at: string; kind: "top_up" | "charge" | "refund"; amount_rub: number; note: string }[];
}

export type Channel = "chat" | "form" | "callback" | "whatsapp" | "telegram" | "viber" | "vk" | "ok" | "avito";
export const CHANNELS: Channel[] = ["chat", "form", "callback", "whatsapp", "telegram", "viber", "vk", "ok", "avito"];

/** One lead of the journal (ЕЖЛ). `local_time` is `at` in the project's time zone. */
export interface Lead {
  id: string;
  at: string;
  local_time?: string;
  channel: Channel | string;
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  text?: string;
  status?: LeadStatus;
  dialog_id?: string | null;
  page_url?: string | null;
  operator_id?: string | null;
  operator?: string | null;
  first_response_secs?: number | null;
  /** A widget request's fields; `text` is them in Russian. */
  request?: RequestCard;
}

/** What a visitor's request form or callback request said, field by field. */
export type RequestCard =
  | {
      kind: "form";
      name: string | null;
      phone: string | null;
      email: string | null;
      company: string | null;
      custom: { label: string; value: string } | null;
      list: { label: string; value: string } | null;
    }
  | { kind: "callback"; phone: string; name: string | null; call_first: "manager" | "visitor"; forward: string | null; group: string | null };

export type LeadStatus = "new" | "in_progress" | "done";
export const LEAD_STATUSES: LeadStatus[] = ["new", "in_progress", "done"];
/** The sources the journal records today (the filter offers these). */
export const LEAD_SOURCES: Channel[] = ["chat", "form", "callback", "telegram", "vk", "viber"];

/** What the journal shows: local dates `YYYY-MM-DD` of the project's zone, and the rest. */
export interface LeadFilter {
  from?: string;
  to?: string;
  source?: string;
  status?: string;
  operator?: string;
  q?: string;
}

export interface Dashboard {
  today: { source: Channel | string; count: number }[];
  week: { source: Channel | string; count: number }[];
  open: number;
  unanswered: number;
  online: { user_id: string; name: string }[];
  /** This week's ratings (ОКО). */
  rating: RatingFigures;
  timezone: string;
}

// ---- ОКО (§11)

/** How many ratings, their average (two decimals, null without any) and how many of 1…5. */
export interface RatingFigures {
  count: number;
  average: number | null;
  distribution: number[];
}

export interface RatingSummary {
  from: string;
  to: string;
  timezone: string;
  total: RatingFigures;
  operators: { operator_id: string | null; name: string | null; figures: RatingFigures }[];
  channels: { channel: Channel | string; figures: RatingFigures }[];
}

export interface Rating {
  dialog_id: string;
  score: number;
  comment: string | null;
  operator_id: string | null;
  channel: Channel | string;
  first_at: string;
  at: string;
}

// ---- dialogs (§10)

export type Folder = "mine" | "common" | "archive";
export const FOLDERS: Folder[] = ["mine", "common", "archive"];
export type DialogStatus = "open" | "closed";
export type Author = "visitor" | "operator" | "system";

export interface ContactRequest {
  fields: { field: string; required: boolean }[];
}

export interface Dialog {
  id: string;
  project_id: string;
  visitor_id: string;
  channel: Channel | string;
  status: DialogStatus;
  /** The operator's user id; null while nobody has answered. */
  assignee: string | null;
  created_at: string;
  last_at: string;
  last_text: string;
  /** Visitor messages no operator has read yet. */
  unread: number;
  operator_read_up_to: string | null;
  visitor_read_up_to: string | null;
  operator_replied: boolean;
  pending_contact_request: ContactRequest | null;
  /** Field id → value (name, phone, email, custom fields such as ИНН). */
  contact: Record<string, string>;
  /** Values the customer replaced with newer ones, oldest first. */
  contact_history?: { field: string; value: string; replaced_at: string }[];
  page_url: string | null;
  ip: string | null;
  /** A messenger dialog: where replies go and the customer as the platform shows them. */
  chat?: { integration_id: string; chat_id: string; name: string | null; username: string | null; avatar_url: string | null };
  /** The customer's dialog before this one. */
  previous_dialog_id?: string | null;
}

export type MessageKind = "visitor" | "operator" | "welcome" | "auto_message" | "hook" | "request" | "system";

/** How far an operator's message to a messenger got. */
export type Delivery =
  | { state: "queued" }
  | { state: "sent" }
  | { state: "delivered" }
  | { state: "read" }
  | { state: "failed"; reason: string };

export interface Message {
  id: string;
  /** The dialog it belongs to: the history of a customer spans several. */
  dialog_id: string;
  kind: MessageKind;
  from: Author;
  author: string | null;
  text: string;
  at: string;
  /** A visitor's message: an operator read it; an operator's: the visitor did. */
  read: boolean;
  contact_request: ContactRequest | null;
  /** The sender's own id of the message, echoed back (an operator's reply carries ours). */
  client_id?: string | null;
  delivery?: Delivery;
  attachments?: { kind: string; url: string | null; name: string | null }[];
  /** A request's fields, for a `request` message. */
  request?: RequestCard;
}

export interface Presence {
  online: boolean;
  since: string;
}

export interface Operator {
  user_id: string;
  name: string;
  email: string;
  online: boolean;
  /** 7 × 24 hour cells, Monday first; null without a schedule. */
  schedule: boolean[][] | null;
  /** The schedule takes effect from this day (the next day after it was set). */
  schedule_from: string | null;
}

export function displayName(u: { email: string; first_name?: string; last_name?: string }): string {
  return [u.first_name, u.last_name].filter((s) => s && s.trim()).join(" ").trim() || u.email;
}

export function initials(u: { email: string; first_name?: string; last_name?: string }): string {
  const parts = [u.first_name, u.last_name].filter((s): s is string => !!s && !!s.trim());
  const src = parts.length ? parts : [u.email];
  return src
    .slice(0, 2)
    .map((s) => s.trim()[0]!.toUpperCase())
    .join("");
}

/** Fired when the API answers 401 outside the sign-in calls: the session is gone. */
export const UNAUTHORIZED_EVENT = "beseda:unauthorized";

type Init = { method?: string; body?: unknown; raw?: Blob; contentType?: string };

export async function api<T>(path: string, init: Init = {}): Promise<T> {
  let res: Response;
  const headers: Record<string, string> = { Accept: "application/json" };
  let body: BodyInit | undefined;
  if (init.raw !== undefined) {
    headers["Content-Type"] = init.contentType || init.raw.type || "application/octet-stream";
    body = init.raw;
  } else if (init.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(init.body);
  }
  try {
    res = await fetch(path, { method: init.method || "GET", credentials: "include", headers, body });
  } catch {
    throw new ApiError(0, "network", "");
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith("/api/v1/auth/") && path !== "/api/v1/me") {
      try {
        dispatchEvent(new Event(UNAUTHORIZED_EVENT));
      } catch {
        /* not in a browser */
      }
    }
    throw toApiError(res.status, parsed);
  }
  return parsed as T;
}

const enc = encodeURIComponent;
const P = (pid: string) => "/api/v1/projects/" + enc(pid);

// ---- realtime (§10)
/** A single-use ticket, good for seconds, that opens one socket to the project's live feed. */
export const realtimeTicket = (pid: string) =>
  api<{ ticket: string }>(P(pid) + "/realtime-ticket", { method: "POST", body: {} }).then((r) => r.ticket);

// ---- account (§1)
export const login = (email: string, password: string) =>
  api<unknown>("/api/v1/auth/login", { method: "POST", body: { email, password } });
export const logout = () => api<unknown>("/api/v1/auth/logout", { method: "POST", body: {} });
export const me = () => api<{ user: User }>("/api/v1/me").then((r) => r.user);
/** The mail is written in `lang`, the language of the page asking. */
export const requestPasswordReset = (email: string, lang: "ru" | "en") =>
  api<unknown>("/api/v1/auth/password-reset", { method: "POST", body: { email, lang } });
export const confirmPasswordReset = (token: string, password: string, password_again: string) =>
  api<unknown>("/api/v1/auth/password-reset/confirm", { method: "POST", body: { token, password, password_again } });
export type ProfilePatch = Partial<Pick<User, "first_name" | "last_name" | "phone" | "timezone" | "hide_inactive_projects" | "volumes" | "language">>;
export const updateMe = (patch: ProfilePatch) => api<{ user: User }>("/api/v1/me", { method: "PATCH", body: patch }).then((r) => r.user);
export const changePassword = (old_password: string, new_password: string, new_password_again: string) =>
  api<unknown>("/api/v1/me/password", { method: "POST", body: { old_password, new_password, new_password_again } });
export const uploadAvatar = (file: Blob) =>
  api<{ user: User }>("/api/v1/me/avatar", { method: "PUT", raw: file, contentType: file.type }).then((r) => r.user);
export const deleteAvatar = () => api<unknown>("/api/v1/me/avatar", { method: "DELETE" });
export const avatarUrl = (version: number | string) => "/api/v1/me/avatar?v=" + enc(String(version));
export const timezones = () => api<{ timezones: string[] }>("/api/v1/timezones").then((r) => r.timezones);

// ---- projects (§2)
export const listProjects = () => api<{ projects: ProjectSummary[] }>("/api/v1/projects").then((r) => r.projects);
export const createProject = (p: { name: string; sphere?: string; timezone?: string }) =>
  api<{ project: Project }>("/api/v1/projects", { method: "POST", body: p }).then((r) => r.project);
export const getProject = (pid: string) => api<{ project: Project; accesses: Access[] }>(P(pid));
export const updateProject = (pid: string, patch: Partial<Pick<Project, "name" | "sphere" | "timezone" | "domains">>) =>
  api<{ project: Project }>(P(pid), { method: "PATCH", body: patch }).then((r) => r.project);
export const spheres = () => api<{ spheres: Sphere[] }>("/api/v1/spheres").then((r) => r.spheres);

// ---- team (§3) and notifications (§4)
export const listMembers = (pid: string, q = "", access = "") => {
  const qs = new URLSearchParams();
  if (q) qs.set("q", q);
  if (access) qs.set("access", access);
  const s = qs.toString();
  return api<{ members: Member[] }>(P(pid) + "/members" + (s ? "?" + s : "")).then((r) => r.members);
};
/** What the server says of an added e-mail: the same whether it had an account (then invited) or not. */
export interface Added {
  email: string;
  accesses: Access[];
}
export const addMember = (pid: string, m: { email: string; first_name: string; last_name: string; phone?: string; accesses: Access[] }) =>
  api<{ added: Added }>(P(pid) + "/members", { method: "POST", body: m }).then((r) => r.added);

// ---- invitations of the signed-in user to projects' teams (§3)
export interface Invitation {
  project_id: string;
  project_name: string;
  accesses: Access[];
  invited_at: string;
  expires_at: string;
}
export const listInvitations = () => api<{ invitations: Invitation[] }>("/api/v1/invitations").then((r) => r.invitations);
export const acceptInvitation = (pid: string) => api<unknown>("/api/v1/invitations/" + enc(pid) + "/accept", { method: "POST" });
export const declineInvitation = (pid: string) => api<unknown>("/api/v1/invitations/" + enc(pid) + "/decline", { method: "POST" });
export const updateMember = (pid: string, uid: string, patch: { accesses?: Access[]; notifications?: Groups }) =>
  api<{ member: Member }>(P(pid) + "/members/" + enc(uid), { method: "PATCH", body: patch }).then((r) => r.member);
export const removeMember = (pid: string, uid: string) => api<unknown>(P(pid) + "/members/" + enc(uid), { method: "DELETE" });
export const transferAdmin = (pid: string, user_id: string) =>
  api<unknown>(P(pid) + "/admin-transfer", { method: "POST", body: { user_id } });
export const notificationEmails = (pid: string) =>
  api<{ emails: NotificationEmail[] }>(P(pid) + "/notification-emails").then((r) => r.emails);
export const saveNotificationEmails = (pid: string, emails: NotificationEmail[]) =>
  api<{ emails?: NotificationEmail[] } | null>(P(pid) + "/notification-emails", { method: "PUT", body: { emails } });
export interface NotifySettings {
  unanswered_minutes: number;
}
export const notifySettings = (pid: string) => api<NotifySettings>(P(pid) + "/notification-settings");
export const saveNotifySettings = (pid: string, s: NotifySettings) =>
  api<NotifySettings>(P(pid) + "/notification-settings", { method: "PUT", body: s });

// ---- the team's Telegram bot (§4)
export interface TeamBot {
  username: string;
  token: string;
  webhook_url: string;
  webhook_registered: boolean;
  connected_at: string;
  linked_members: number;
}
export interface MyTelegram {
  bot_username: string | null;
  linked: boolean;
  telegram_name: string | null;
  linked_at: string | null;
  groups: Groups;
}
export const teamBot = (pid: string) => api<{ bot: TeamBot | null }>(P(pid) + "/teambot").then((r) => r.bot);
export const saveTeamBot = (pid: string, token: string) =>
  api<{ bot: TeamBot }>(P(pid) + "/teambot", { method: "PUT", body: { token } }).then((r) => r.bot);
export const deleteTeamBot = (pid: string) => api<unknown>(P(pid) + "/teambot", { method: "DELETE" });
export const myTelegram = (pid: string) => api<MyTelegram>(P(pid) + "/me/telegram");
export const telegramLink = (pid: string) =>
  api<{ url: string; expires_at: string }>(P(pid) + "/me/telegram/link", { method: "POST" });
export const setTelegramGroups = (pid: string, groups: Groups) =>
  api<MyTelegram>(P(pid) + "/me/telegram", { method: "PATCH", body: { groups } });
export const unlinkTelegram = (pid: string) => api<unknown>(P(pid) + "/me/telegram", { method: "DELETE" });

// ---- blacklist (§2)
export const blacklist = (pid: string) => api<{ entries: BlacklistEntry[] }>(P(pid) + "/blacklist").then((r) => r.entries);
export const addBlacklist = (pid: string, e: { kind: BlacklistKind; value: string; note?: string }) =>
  api<{ entry: BlacklistEntry }>(P(pid) + "/blacklist", { method: "POST", body: e }).then((r) => r.entry);
export const removeBlacklist = (pid: string, id: string) => api<unknown>(P(pid) + "/blacklist/" + enc(id), { method: "DELETE" });

// ---- tariffs (§5)
export const tariffs = () => api<{ tariffs: Tariff[] }>("/api/v1/tariffs").then((r) => r.tariffs);
export const billing = (pid: string) => api<Billing>(P(pid) + "/billing");
export const topUp = (pid: string, amount_rub: number) => api<Billing>(P(pid) + "/billing/top-up", { method: "POST", body: { amount_rub } });
export const startTrial = (pid: string) => api<Billing>(P(pid) + "/billing/trial", { method: "POST", body: {} });
export const connectTariff = (pid: string, plan: Plan, visitors?: number) =>
  api<Billing>(P(pid) + "/billing/connect", { method: "POST", body: visitors ? { plan, visitors } : { plan } });
export const renewTariff = (pid: string) => api<Billing>(P(pid) + "/billing/renew", { method: "POST", body: {} });
export const disconnectTariff = (pid: string) => api<Billing>(P(pid) + "/billing/disconnect", { method: "POST", body: {} });

// ---- journal (§11)
/** The query string of a filter (empty fields left out). */
export const filterQuery = (f: LeadFilter, extra: Record<string, string> = {}) =>
  Object.entries({ ...f, ...extra })
    .filter(([, v]) => typeof v === "string" && v.trim() !== "")
    .map(([k, v]) => enc(k) + "=" + enc(v!.trim()))
    .join("&");
export const journal = (pid: string, filter: LeadFilter = {}, cursor?: string) =>
  api<{ leads: Lead[]; next?: string | null }>(P(pid) + "/journal?" + filterQuery(filter, cursor ? { cursor } : {})).then((r) => ({
    leads: r.leads || [],
    next: r.next || null,
  }));
/** The address of an export of what the filter shows. */
export const journalExportUrl = (pid: string, filter: LeadFilter, format: "csv" | "xlsx", lang: string) =>
  P(pid) + "/journal/export?" + filterQuery(filter, { format, lang });
export const dashboard = (pid: string) => api<Dashboard>(P(pid) + "/dashboard");
/** ОКО of a period of local dates `YYYY-MM-DD` (the last 30 days when not given). */
export const ratingSummary = (pid: string, period: { from?: string; to?: string }) =>
  api<RatingSummary>(P(pid) + "/ratings?" + filterQuery(period));
export const ratingComments = (pid: string, period: { from?: string; to?: string }, cursor?: string) =>
  api<{ ratings: Rating[]; next?: string | null }>(P(pid) + "/ratings/comments?" + filterQuery(period, cursor ? { cursor } : {})).then((r) => ({
    ratings: r.ratings || [],
    next: r.next || null,
  }));

// ---- Аналитика (§11): a period of local days; times in seconds, upper bounds of buckets

export interface SourceCount {
  source: Channel | string;
  count: number;
}

export interface Analytics {
  from: string;
  to: string;
  timezone: string;
  days: { day: string; requests: SourceCount[]; total: number; answered: number; missed: number; p50: number | null; p90: number | null }[];
  by_source: SourceCount[];
  by_hour: number[];
  by_weekday: number[];
  total: number;
  answered: number;
  missed: number;
  p50: number | null;
  p90: number | null;
  operators: { user_id: string; name: string; dialogs: number; messages: number; p50: number | null; online_secs: number; ratings: number; rating: number | null }[];
}

export const analytics = (pid: string, from: string, to: string) =>
  api<Analytics>(P(pid) + "/analytics?from=" + enc(from) + "&to=" + enc(to));

// ---- dialogs (§10)
/** A page of a folder, newest first; `next` asks for the page after it. */
export const dialogs = (pid: string, folder: Folder, cursor?: string | null) =>
  api<{ dialogs: Dialog[]; next?: string | null }>(P(pid) + "/dialogs?folder=" + folder + (cursor ? "&cursor=" + enc(cursor) : "")).then((r) => ({
    dialogs: r.dialogs || [],
    next: r.next || null,
  }));
/** A dialog with its newest messages; `older` pages back, `history` holds the customer's earlier dialogs. */
export const openDialog = (pid: string, did: string) =>
  api<{ dialog: Dialog; messages: Message[]; older?: string | null; history: Message[] }>(P(pid) + "/dialogs/" + enc(did)).then((r) => ({
    dialog: r.dialog,
    messages: r.messages || [],
    older: r.older || null,
    history: r.history || [],
  }));
/** The messages of a dialog before `before`, oldest first. */
export const olderMessages = (pid: string, did: string, before: string) =>
  api<{ messages: Message[]; older?: string | null }>(P(pid) + "/dialogs/" + enc(did) + "/messages?before=" + enc(before)).then((r) => ({
    messages: r.messages || [],
    older: r.older || null,
  }));
export const sendAgain = (pid: string, did: string, mid: string) =>
  api<{ message: Message }>(P(pid) + "/dialogs/" + enc(did) + "/messages/" + enc(mid) + "/send-again", { method: "POST", body: {} }).then((r) => r.message);
export const sendReply = (pid: string, did: string, text: string, client_id: string) =>
  api<{ message: Message; dialog: Dialog }>(P(pid) + "/dialogs/" + enc(did) + "/messages", { method: "POST", body: { text, client_id } });
export const sendTyping = (pid: string, did: string) => api<unknown>(P(pid) + "/dialogs/" + enc(did) + "/typing", { method: "POST", body: {} });
export const closeDialog = (pid: string, did: string) =>
  api<{ dialog: Dialog }>(P(pid) + "/dialogs/" + enc(did) + "/close", { method: "POST", body: {} }).then((r) => r.dialog);
export const reopenDialog = (pid: string, did: string) =>
  api<{ dialog: Dialog }>(P(pid) + "/dialogs/" + enc(did) + "/reopen", { method: "POST", body: {} }).then((r) => r.dialog);
export const getPresence = (pid: string) => api<Presence>(P(pid) + "/presence");
export const setPresence = (pid: string, online: boolean) => api<Presence>(P(pid) + "/presence", { method: "PUT", body: { online } });
export const operators = (pid: string) => api<{ operators: Operator[] }>(P(pid) + "/operators").then((r) => r.operators || []);
export const setSchedule = (pid: string, user_ids: string[], schedule: boolean[][] | null) =>
  api<{ operators: Operator[] }>(P(pid) + "/operators/schedule", { method: "PUT", body: { user_ids, schedule } }).then((r) => r.operators || []);

// ---- messenger integrations («Синхронизации», §6)
export type IntegrationKind = "telegram" | "vk" | "viber";
export const INTEGRATION_KINDS: IntegrationKind[] = ["telegram", "vk", "viber"];

/** An integration as the server shows it: secret settings masked like `12…xY`. */
export interface Integration {
  kind: IntegrationKind;
  enabled: boolean;
  enabled_at: string | null;
  show_operator_name: boolean;
  /** Where the platform sends webhooks (pasted by hand for VK); null until saved. */
  webhook_url: string | null;
  settings: Record<string, string>;
  status: { webhook_registered: boolean; last_inbound_at: string | null; last_error: string | null };
}

/** What the cabinet saves: a secret setting left empty keeps its stored value. */
export interface IntegrationChange {
  enabled: boolean;
  show_operator_name: boolean;
  settings: Record<string, string>;
}

export const integrations = (pid: string) => api<{ integrations: Integration[] }>(P(pid) + "/integrations").then((r) => r.integrations || []);
export const saveIntegration = (pid: string, kind: IntegrationKind, change: IntegrationChange) =>
  api<Integration>(P(pid) + "/integrations/" + kind, { method: "PUT", body: change });
export const checkIntegration = (pid: string, kind: IntegrationKind) => api<Integration>(P(pid) + "/integrations/" + kind + "/check", { method: "POST", body: {} });

// ---- website widget (§8, §9)
export const widgetSettings = (pid: string) => api<WidgetSettings>(P(pid) + "/widget-settings");
export const saveWidgetSettings = (pid: string, s: WidgetSettings) => api<WidgetSettings>(P(pid) + "/widget-settings", { method: "PUT", body: s });
