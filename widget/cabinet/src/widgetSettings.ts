// The website widget's settings (§8) and lead catchers (§9) exactly as the API sends and takes
// them (the Rust struct `Settings` in shared/domain/src/widget.rs), with pure helpers for the
// settings page: defaults, hour grids, limits and the client-side checks that mirror the
// server's (the server's 422 stays the final word). Unit-tested.

/** `hours[day][hour]`, Monday first, 7 × 24. */
export type Hours = boolean[][];
export type Tab = "chat" | "form" | "callback" | "contacts";
export const TABS: Tab[] = ["chat", "form", "callback", "contacts"];
export type Side = "left" | "right";
export type Language = "ru" | "en";
export type FieldKind = "text" | "phone" | "email";
export const FIELD_KINDS: FieldKind[] = ["text", "phone", "email"];

export interface Field {
  id: string;
  label: string;
  kind: FieldKind;
}
export interface RequestedField {
  field: string;
  required: boolean;
}
export interface ContactRequest {
  fields: RequestedField[];
}
export interface AutoMessage {
  enabled: boolean;
  after_secs: number;
  text: string;
  contact_request: ContactRequest | null;
}
export interface OperatorGroup {
  name: string;
  members: string[];
}
export interface ChatTab {
  enabled: boolean;
  name: string;
  hours: Hours;
  welcome: string;
  welcome_contact_request: ContactRequest | null;
  unread: AutoMessage;
  unanswered: AutoMessage;
  /** The no-reply chain (§12): seconds after which an unanswered dialog goes to the next online operator. */
  reassign_after_secs: number | null;
  /** ... and after which the administrators are alerted in Telegram. */
  alert_after_secs: number | null;
  auto_close_minutes: number | null;
  raise_on_request: boolean;
  requests_in_feed: boolean;
  no_auto_after_reply: boolean;
  groups: OperatorGroup[];
}
export interface FieldRule {
  visible: boolean;
  required: boolean;
}
export type StandardFormField = "name" | "phone" | "email" | "company";
export const FORM_FIELDS: StandardFormField[] = ["name", "phone", "email", "company"];
export type FormFields = Record<StandardFormField, FieldRule>;
export interface CustomField {
  label: string;
  rule: FieldRule;
}
export interface CustomList {
  label: string;
  options: string[];
  rule: FieldRule;
}
export interface FormTab {
  enabled: boolean;
  name: string;
  hours: Hours;
  title: string;
  fields: FormFields;
  custom_field: CustomField | null;
  custom_list: CustomList | null;
  thanks_text: string;
  button_text: string;
}
export type CallFirst = "manager" | "visitor";
export interface CallbackGroup {
  name: string;
  number: string;
}
export interface CallbackTab {
  enabled: boolean;
  name: string;
  hours: Hours;
  title: string;
  text: string;
  forward_number: string;
  call_first: CallFirst;
  /** "default", or the name of an uploaded recording. */
  visitor_greeting: string;
  operator_notice: boolean;
  groups: CallbackGroup[];
}
export interface Address {
  address: string;
  info: string;
}
export type Network = "vk" | "whatsapp" | "viber" | "ok" | "telegram" | "youtube";
export const NETWORKS: Network[] = ["vk", "whatsapp", "viber", "ok", "telegram", "youtube"];
export const NETWORK_URL: Record<Network, string> = {
  vk: "https://vk.com/",
  whatsapp: "https://wa.me/",
  viber: "https://www.viber.me/",
  ok: "https://ok.ru/",
  telegram: "https://t.me/joinchat/",
  youtube: "https://www.youtube.com/",
};
export interface Social {
  network: Network;
  url: string;
  show: boolean;
}
export interface ContactsTab {
  enabled: boolean;
  name: string;
  hours: Hours;
  addresses: Address[];
  socials: Social[];
}
export interface Appearance {
  side: Side;
  devices: { desktop: boolean; mobile: boolean };
  auto_open_secs: number | null;
  color: string;
  tab_order: Tab[];
  hooks_on_mobile: boolean;
  icon_mode: boolean;
}
export interface Other {
  language: Language;
  initiators: string[];
  hidden_for_ips: string[];
}
export type Trigger = "time_on_page" | "url_pattern" | "scroll_depth" | "exit_intent" | "visit_count";
export const TRIGGERS: Trigger[] = ["time_on_page", "url_pattern", "scroll_depth", "exit_intent", "visit_count"];
export interface Hook {
  id: string;
  enabled: boolean;
  trigger: Trigger;
  value: string;
  text: string;
  contact_request: ContactRequest | null;
  show_on_mobile: boolean;
}
export interface CatcherGroup {
  name: string;
  enabled: boolean;
  hooks: Hook[];
}
export interface Settings {
  appearance: Appearance;
  other: Other;
  fields: Field[];
  chat: ChatTab;
  form: FormTab;
  callback: CallbackTab;
  contacts: ContactsTab;
  catchers: CatcherGroup[];
}

// ---- limits (the same as the server's)
export const TAB_NAME_MAX = 8;
export const CALLBACK_TITLE_MAX = 30;
export const ADDRESS_INFO_MAX = 100;
export const FIELD_LABEL_MAX = 40;
export const AUTO_SECS_MIN = 1;
export const AUTO_SECS_MAX = 900;
/** The bounds of the no-reply chain's delays (the server's `NO_REPLY_SECS`). */
export const NO_REPLY_SECS_MIN = 30;
export const NO_REPLY_SECS_MAX = 900;
export const AUTO_OPEN_MAX = 3600;
export const AUTO_OPEN_ADVISED = 30;
export const MESSAGE_MAX = 4000;

/** Colour presets of the widget (the first is the default). */
export const COLOR_PRESETS = ["#2563eb", "#0891b2", "#059669", "#65a30d", "#d97706", "#dc2626", "#db2777", "#7c3aed", "#475569", "#111827"];

// ---- hours

export const DAYS = 7;
export const HOURS = 24;

export function fillHours(on: boolean): Hours {
  return Array.from({ length: DAYS }, () => Array.from({ length: HOURS }, () => on));
}

/** Weekdays 9:00–18:00. */
export function officeHours(): Hours {
  return Array.from({ length: DAYS }, (_, d) => Array.from({ length: HOURS }, (_, h) => d < 5 && h >= 9 && h < 18));
}

/** Any input made into a 7 × 24 grid (missing cells are off). */
export function normalizeHours(h: unknown): Hours {
  const src = Array.isArray(h) ? h : [];
  return Array.from({ length: DAYS }, (_, d) => {
    const row = Array.isArray(src[d]) ? (src[d] as unknown[]) : [];
    return Array.from({ length: HOURS }, (_, i) => row[i] === true);
  });
}

/** A copy with the rectangle between two cells set to `on` (what a drag paints). */
export function paintHours(h: Hours, from: [number, number], to: [number, number], on: boolean): Hours {
  const [d0, d1] = [Math.min(from[0], to[0]), Math.max(from[0], to[0])];
  const [h0, h1] = [Math.min(from[1], to[1]), Math.max(from[1], to[1])];
  return h.map((row, d) => row.map((v, i) => (d >= d0 && d <= d1 && i >= h0 && i <= h1 ? on : v)));
}

export const countHours = (h: Hours) => h.reduce((n, row) => n + row.filter(Boolean).length, 0);
export const sameHours = (a: Hours, b: Hours) => a.length === b.length && a.every((row, d) => row.length === b[d]!.length && row.every((v, i) => v === b[d]![i]));

/** A day's working hours as ranges: [[9, 18]] means 9:00–18:00. */
export function dayRanges(row: boolean[]): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= row.length; i++) {
    if (i < row.length && row[i]) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push([start, i]);
      start = -1;
    }
  }
  return out;
}

/** "9:00–18:00, 20:00–22:00", "" for a day off. */
export function formatRanges(row: boolean[]): string {
  return dayRanges(row)
    .map(([a, b]) => `${a}:00–${b}:00`)
    .join(", ");
}

// ---- defaults (the server's `Settings::default()`, used until the real object arrives and by tests)

const social = (network: Network): Social => ({ network, url: NETWORK_URL[network], show: false });
const rule = (visible: boolean, required: boolean): FieldRule => ({ visible, required });

export function defaultSettings(): Settings {
  return {
    appearance: {
      side: "right",
      devices: { desktop: true, mobile: true },
      auto_open_secs: null,
      color: "#2563eb",
      tab_order: ["chat", "form", "callback", "contacts"],
      hooks_on_mobile: true,
      icon_mode: false,
    },
    other: { language: "ru", initiators: [], hidden_for_ips: [] },
    fields: [
      { id: "name", label: "Имя", kind: "text" },
      { id: "phone", label: "Телефон", kind: "phone" },
      { id: "email", label: "E-mail", kind: "email" },
    ],
    chat: {
      enabled: true,
      name: "Чат",
      hours: fillHours(true),
      welcome: "Здравствуйте! Меня зовут {NAME}. Чем могу помочь?",
      welcome_contact_request: null,
      unread: {
        enabled: true,
        after_secs: 15,
        text: "Все операторы сейчас заняты. Оставьте телефон — мы перезвоним.",
        contact_request: { fields: [{ field: "phone", required: false }] },
      },
      unanswered: { enabled: true, after_secs: 20, text: "Оператор уже готовит ответ, подождите, пожалуйста.", contact_request: null },
      reassign_after_secs: null,
      alert_after_secs: null,
      auto_close_minutes: 60,
      raise_on_request: true,
      requests_in_feed: true,
      no_auto_after_reply: true,
      groups: [],
    },
    form: {
      enabled: true,
      name: "Заявка",
      hours: fillHours(true),
      title: "Оставьте заявку",
      fields: { name: rule(true, true), phone: rule(true, true), email: rule(true, false), company: rule(false, false) },
      custom_field: null,
      custom_list: null,
      thanks_text: "Спасибо! Мы свяжемся с вами в ближайшее время.",
      button_text: "Отправить",
    },
    callback: {
      enabled: true,
      name: "Звонки",
      hours: officeHours(),
      title: "Перезвоним за 30 секунд",
      text: "Оставьте номер — менеджер позвонит вам.",
      forward_number: "",
      call_first: "manager",
      visitor_greeting: "default",
      operator_notice: true,
      groups: [],
    },
    contacts: { enabled: true, name: "Контакты", hours: fillHours(true), addresses: [], socials: NETWORKS.map(social) },
    catchers: [],
  };
}

/**
 * The server's object made safe to edit: every hour grid 7 × 24, every network listed once,
 * the four tabs in the order exactly once. Anything the server sent that we do not know is
 * kept as it is (the PUT sends the whole object back).
 */
export function normalizeSettings(raw: Settings): Settings {
  const s: Settings = JSON.parse(JSON.stringify(raw));
  s.chat.hours = normalizeHours(s.chat.hours);
  s.form.hours = normalizeHours(s.form.hours);
  s.callback.hours = normalizeHours(s.callback.hours);
  s.contacts.hours = normalizeHours(s.contacts.hours);
  const order = (s.appearance.tab_order || []).filter((t, i, a) => TABS.includes(t) && a.indexOf(t) === i);
  s.appearance.tab_order = [...order, ...TABS.filter((t) => !order.includes(t))];
  const socials = s.contacts.socials || [];
  s.contacts.socials = [...socials, ...NETWORKS.filter((n) => !socials.some((x) => x.network === n)).map(social)];
  s.fields = s.fields || [];
  s.catchers = s.catchers || [];
  s.chat.groups = s.chat.groups || [];
  s.chat.reassign_after_secs = s.chat.reassign_after_secs ?? null;
  s.chat.alert_after_secs = s.chat.alert_after_secs ?? null;
  s.callback.groups = s.callback.groups || [];
  s.contacts.addresses = s.contacts.addresses || [];
  s.other.initiators = s.other.initiators || [];
  s.other.hidden_for_ips = s.other.hidden_for_ips || [];
  return s;
}

/** Immutable update at a dotted path: `setIn(s, "chat.unread.after_secs", 5)`. */
export function setIn<T>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split(".");
  const key = head as keyof T & string;
  const src = obj as unknown as Record<string, unknown>;
  const copy = (Array.isArray(obj) ? [...(obj as unknown[])] : { ...src }) as Record<string, unknown>;
  copy[key] = rest.length ? setIn(src[key], rest.join("."), value) : value;
  return copy as T;
}

export function getIn(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** Moves the item at `i` by `d` (−1 up, +1 down); out-of-range moves change nothing. */
export function move<T>(list: T[], i: number, d: number): T[] {
  const j = i + d;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return list;
  const out = [...list];
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
}

export const isHexColor = (c: string) => /^#[0-9a-fA-F]{6}$/.test(c);
/** Characters as the server counts them (code points). */
export const chars = (s: string) => Array.from(s).length;

/** A field id made from a label: "ИНН" → "inn", unique among `taken`. */
export function fieldId(label: string, taken: string[]): string {
  const map: Record<string, string> = {
    а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "y", к: "k", л: "l", м: "m", н: "n", о: "o", п: "p",
    р: "r", с: "s", т: "t", у: "u", ф: "f", х: "h", ц: "c", ч: "ch", ш: "sh", щ: "sch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya",
  };
  const base =
    Array.from(label.trim().toLowerCase())
      .map((c) => (c in map ? map[c] : c))
      .join("")
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 32) || "field";
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = base + "_" + n;
  return id;
}

export function newHookId(): string {
  return "h" + Math.random().toString(36).slice(2, 10);
}

export function newHook(): Hook {
  return { id: newHookId(), enabled: true, trigger: "time_on_page", value: "30", text: "", contact_request: null, show_on_mobile: true };
}

/** The tabs the visitor would see, in order (contacts hide without an address). */
export function visibleTabs(s: Settings): Tab[] {
  return s.appearance.tab_order.filter((t) => s[t].enabled && (t !== "contacts" || s.contacts.addresses.length > 0));
}

/**
 * The settings being edited as the widget's public config (what `GET /widget/v1/projects/{id}/config`
 * would send once saved — `public_config` in shared/domain/src/chat.rs), for the preview: every
 * switched-on tab as within its hours and with an operator online named `operator`.
 */
export function previewConfig(s: Settings, operator: string): Record<string, unknown> {
  const f = s.form;
  const c = s.callback;
  return {
    project_id: "preview",
    language: s.other.language,
    color: s.appearance.color,
    side: s.appearance.side,
    devices: s.appearance.devices,
    auto_open_secs: null,
    tab_order: s.appearance.tab_order,
    hooks_on_mobile: s.appearance.hooks_on_mobile,
    icon_mode: s.appearance.icon_mode,
    initiators: [],
    hidden: false,
    operators_online: true,
    fields: s.fields,
    chat: {
      enabled: s.chat.enabled,
      name: s.chat.name,
      open_now: true,
      next_open: null,
      welcome: s.chat.welcome.split("{NAME}").join(operator),
      welcome_contact_request: s.chat.welcome_contact_request,
    },
    form: {
      enabled: f.enabled,
      name: f.name,
      open_now: true,
      title: f.title,
      fields: f.fields,
      custom_field: f.custom_field,
      custom_list: f.custom_list,
      thanks_text: f.thanks_text,
      button_text: f.button_text,
    },
    callback: { enabled: c.enabled, name: c.name, open_now: true, next_open: null, title: c.title, text: c.text, groups: c.groups.map((g) => ({ name: g.name })) },
    contacts: {
      enabled: s.contacts.enabled && s.contacts.addresses.length > 0,
      name: s.contacts.name,
      addresses: s.contacts.addresses,
      socials: s.contacts.socials.filter((x) => x.show).map((x) => ({ network: x.network, url: x.url })),
    },
    hooks: s.catchers.flatMap((g) => (g.enabled ? g.hooks.filter((h) => h.enabled) : [])),
  };
}

/** Text on a colour: white on dark colours, near-black on light ones. */
export function contrastText(hex: string): string {
  if (!isHexColor(hex)) return "#fff";
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const x = c / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return l > 0.45 ? "#0f172a" : "#ffffff";
}

/**
 * A week in words, identical neighbouring days joined: ["Пн–Пт 9:00–18:00", "Сб 10:00–14:00"].
 * Days off are left out; an empty week gives [].
 */
export function summarizeHours(h: Hours, dayNames: string[]): string[] {
  const out: string[] = [];
  let d = 0;
  while (d < DAYS) {
    const text = formatRanges(h[d] || []);
    let e = d;
    while (e + 1 < DAYS && formatRanges(h[e + 1] || []) === text) e++;
    if (text) out.push((e > d ? dayNames[d] + "–" + dayNames[e] : dayNames[d]) + " " + text);
    d = e + 1;
  }
  return out;
}

/** The settings section that shows a field a 422 names (`chat.unread.after_secs` → chat). */
export function sectionOf(field: string): "appearance" | "chat" | "form" | "callback" | "contacts" | "fields" | "other" | "catchers" {
  const head = field.split(".")[0];
  switch (head) {
    case "chat":
    case "form":
    case "callback":
    case "contacts":
    case "fields":
    case "other":
    case "catchers":
    case "appearance":
      return head;
    default:
      return "appearance";
  }
}

/** Removes requests for a field that is gone from the field editor (the server refuses unknown ones). */
export function dropField(s: Settings, id: string): Settings {
  const clean = (r: ContactRequest | null): ContactRequest | null => (r ? { fields: r.fields.filter((f) => f.field !== id) } : r);
  return {
    ...s,
    fields: s.fields.filter((f) => f.id !== id),
    chat: {
      ...s.chat,
      welcome_contact_request: clean(s.chat.welcome_contact_request),
      unread: { ...s.chat.unread, contact_request: clean(s.chat.unread.contact_request) },
      unanswered: { ...s.chat.unanswered, contact_request: clean(s.chat.unanswered.contact_request) },
    },
    catchers: s.catchers.map((g) => ({ ...g, hooks: g.hooks.map((h) => ({ ...h, contact_request: clean(h.contact_request) })) })),
  };
}
