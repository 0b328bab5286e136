// The project's widget settings from `GET /widget/v1/projects/{project}/config`, read
// defensively: every field is optional, a missing or malformed one falls back to a default.
// Also which tabs to show, in which order, and whether to render anything at all.
import { pickLang, type Lang } from "./i18n";
import { safeColor, safeUrl } from "./text";

export type TabId = "chat" | "form" | "callback" | "contacts";
export const TABS: TabId[] = ["chat", "form", "callback", "contacts"];
export type FieldKind = "text" | "phone" | "email";
export type Trigger = "time_on_page" | "url_pattern" | "scroll_depth" | "exit_intent" | "visit_count";
const TRIGGERS: Trigger[] = ["time_on_page", "url_pattern", "scroll_depth", "exit_intent", "visit_count"];

export interface FieldDef {
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
export interface Rule {
  visible: boolean;
  required: boolean;
}
/** What the loader needs of a hook to arm its trigger. */
export interface HookRule {
  id: string;
  trigger: Trigger;
  value: string;
  showOnMobile: boolean;
}
export interface Hook extends HookRule {
  text: string;
  contactRequest: ContactRequest | null;
}
export type FormKey = "name" | "phone" | "email" | "company";
export const FORM_KEYS: FormKey[] = ["name", "phone", "email", "company"];

/** The part of the config loader.js reads: whether to show anything, colours, triggers. */
export interface Launch {
  lang: Lang;
  color: string;
  side: "left" | "right";
  hidden: boolean;
  devices: { desktop: boolean; mobile: boolean };
  /** Chat, form and callback: switched on (and, for chat, someone online) within working hours. */
  on: Record<TabId, boolean>;
  addresses: number;
  socials: number;
  tabOrder: TabId[];
  iconMode: boolean;
  autoOpenSecs: number | null;
  initiators: string[];
  hooksOnMobile: boolean;
  hooks: HookRule[];
}

export interface WidgetConfig extends Launch {
  /** Header title; the server may send one, else the language default. */
  title: string;
  operatorsOnline: boolean;
  fields: FieldDef[];
  chat: { enabled: boolean; name: string; nextOpen: string | null; welcome: string; welcomeRequest: ContactRequest | null };
  form: {
    enabled: boolean;
    name: string;
    title: string;
    fields: Record<FormKey, Rule>;
    custom: { label: string; rule: Rule } | null;
    list: { label: string; options: string[]; rule: Rule } | null;
    thanks: string;
    button: string;
  };
  callback: { enabled: boolean; name: string; nextOpen: string | null; title: string; text: string; groups: string[] };
  contacts: { enabled: boolean; name: string; addresses: { address: string; info: string }[]; socials: { network: string; url: string }[] };
  hooks: Hook[];
}

export const DEFAULT_COLOR = "#2563eb";

type Obj = Record<string, any>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
function str(v: unknown, max: number, d = ""): string {
  return typeof v === "string" && v.trim() ? v.trim().slice(0, max) : d;
}
function instant(v: unknown): string | null {
  return typeof v === "string" && !isNaN(Date.parse(v)) ? v : null;
}
function rule(v: unknown, d: Rule): Rule {
  const r = obj(v);
  const visible = typeof r.visible === "boolean" ? r.visible : d.visible;
  return { visible, required: visible && (typeof r.required === "boolean" ? r.required : d.required) };
}

/** A contact request keeps only fields that exist in `fields`; an empty one is null. */
export function normalizeRequest(raw: unknown, fields: FieldDef[]): ContactRequest | null {
  const seen: Record<string, 1> = {};
  const out: RequestedField[] = [];
  for (const f of arr(obj(raw).fields)) {
    const id = obj(f).field;
    if (typeof id === "string" && !seen[id] && fields.some((d) => d.id === id)) {
      seen[id] = 1;
      out.push({ field: id, required: obj(f).required === true });
    }
  }
  return out.length ? { fields: out } : null;
}

const STANDARD_FIELDS: FieldDef[] = [
  { id: "name", label: "Имя", kind: "text" },
  { id: "phone", label: "Телефон", kind: "phone" },
  { id: "email", label: "E-mail", kind: "email" },
];

/** The project's default Russian names, read in English when the visitor chose English. */
const EN: Record<string, string> = { Чат: "Chat", Заявка: "Request", Звонки: "Calls", Контакты: "Contacts", Имя: "Name", Телефон: "Phone" };
const named = (v: unknown, max: number, d: string, en: boolean) => {
  const n = str(v, max, d);
  return (en && EN[n]) || n;
};

const on = (t: Obj) => t.enabled === true && t.open_now !== false;
const addresses = (ct: Obj) => arr(ct.addresses).filter((a) => str(obj(a).address, 300));
const socials = (ct: Obj) => arr(ct.socials).filter((x) => obj(x).show !== false && str(obj(x).network, 20) && safeUrl(obj(x).url));

/** The loader's part of the config (small: it ships in loader.js). */
export function launchConfig(raw: unknown, fallbackLang: Lang = "ru"): Launch {
  const r = obj(raw);
  const dev = obj(r.devices);
  const auto = r.auto_open_secs;
  const ct = obj(r.contacts);
  const order: TabId[] = [];
  for (const t of arr(r.tab_order).concat(TABS)) if (TABS.indexOf(t) >= 0 && order.indexOf(t) < 0) order.push(t);
  return {
    lang: pickLang(r.language, fallbackLang),
    color: safeColor(r.color) || DEFAULT_COLOR,
    side: r.side === "left" ? "left" : "right",
    hidden: r.hidden === true,
    devices: { desktop: dev.desktop !== false, mobile: dev.mobile !== false },
    on: { chat: on(obj(r.chat)), form: on(obj(r.form)), callback: on(obj(r.callback)), contacts: ct.enabled === true },
    addresses: addresses(ct).length,
    socials: socials(ct).length,
    tabOrder: order,
    iconMode: r.icon_mode === true,
    autoOpenSecs: typeof auto === "number" && auto >= 0 && auto < 86400 ? auto : null,
    initiators: arr(r.initiators).filter((i) => typeof i === "string" && /^\S{1,100}$/.test(i)),
    hooksOnMobile: r.hooks_on_mobile !== false,
    hooks: arr(r.hooks)
      .map(obj)
      .filter((h) => str(h.id, 64) && str(h.text, 1) && TRIGGERS.indexOf(h.trigger) >= 0)
      .map((h) => ({ id: str(h.id, 64), trigger: h.trigger, value: str(String(h.value ?? ""), 500), showOnMobile: h.show_on_mobile !== false })),
  };
}

export function normalizeConfig(raw: unknown, fallbackLang: Lang = "ru"): WidgetConfig {
  const r = obj(raw);
  const launch = launchConfig(raw, fallbackLang);
  const en = launch.lang === "en";

  const fields: FieldDef[] = [];
  for (const f of arr(r.fields)) {
    const o = obj(f);
    const id = str(o.id, 64);
    if (id && !fields.some((x) => x.id === id))
      fields.push({ id, label: named(o.label, 60, id, en), kind: o.kind === "phone" || o.kind === "email" ? o.kind : "text" });
  }
  if (!fields.length) fields.push(...STANDARD_FIELDS.map((f) => ({ ...f, label: named(f.label, 60, f.id, en) })));

  const chat = obj(r.chat);
  const form = obj(r.form);
  const ff = obj(form.fields);
  const cf = form.custom_field && obj(form.custom_field);
  const cl = form.custom_list && obj(form.custom_list);
  const listOptions = cl ? arr(cl.options).filter((o) => typeof o === "string" && o.trim()).map((o: string) => o.trim().slice(0, 100)) : [];
  const cb = obj(r.callback);
  const ct = obj(r.contacts);
  const rawHooks = arr(r.hooks).map(obj);

  return {
    ...launch,
    title: str(r.title, 60),
    operatorsOnline: r.operators_online === true,
    fields,
    chat: {
      enabled: launch.on.chat,
      name: named(chat.name, 8, "Чат", en),
      nextOpen: instant(chat.next_open),
      welcome: str(chat.welcome, 1000),
      welcomeRequest: normalizeRequest(chat.welcome_contact_request, fields),
    },
    form: {
      enabled: launch.on.form,
      name: named(form.name, 8, "Заявка", en),
      title: str(form.title, 120),
      fields: {
        name: rule(ff.name, { visible: true, required: true }),
        phone: rule(ff.phone, { visible: true, required: true }),
        email: rule(ff.email, { visible: true, required: false }),
        company: rule(ff.company, { visible: false, required: false }),
      },
      custom: cf && str(cf.label, 60) ? { label: str(cf.label, 60), rule: rule(cf.rule, { visible: true, required: false }) } : null,
      list:
        cl && str(cl.label, 60) && listOptions.length
          ? { label: str(cl.label, 60), options: listOptions, rule: rule(cl.rule, { visible: true, required: false }) }
          : null,
      thanks: str(form.thanks_text, 1000),
      button: str(form.button_text, 40),
    },
    callback: {
      enabled: launch.on.callback,
      name: named(cb.name, 8, "Звонки", en),
      nextOpen: instant(cb.next_open),
      title: str(cb.title, 30),
      text: str(cb.text, 500),
      groups: arr(cb.groups).map((g) => str(obj(g).name, 60)).filter(Boolean),
    },
    contacts: {
      enabled: launch.on.contacts,
      name: named(ct.name, 8, "Контакты", en),
      addresses: addresses(ct).map((a) => ({ address: str(obj(a).address, 300), info: str(obj(a).info, 100) })),
      socials: socials(ct).map((x) => ({ network: str(obj(x).network, 20), url: safeUrl(obj(x).url)! })),
    },
    hooks: launch.hooks.map((h) => {
      const o = rawHooks.find((x) => str(x.id, 64) === h.id)!;
      return { ...h, text: str(o.text, 1000), contactRequest: normalizeRequest(o.contact_request, fields) };
    }),
  };
}

/**
 * The tabs to show, in the configured order. Chat, form and callback need `enabled` (the server
 * folds working hours and online operators into it); the chat tab also stays while the visitor
 * has a conversation to read. Contacts are hidden without an address (§8).
 */
export function visibleTabs(c: Launch, hasDialog = false): TabId[] {
  return c.tabOrder.filter((t) => (t === "chat" ? c.on.chat || hasDialog : t === "contacts" ? c.on.contacts && c.addresses > 0 : c.on[t]));
}

/** Icon mode: chat, form and callback are all off, so the social links are shown as icons. */
export function useIcons(c: Launch, hasDialog = false): boolean {
  const t = visibleTabs(c, hasDialog);
  return c.iconMode && c.socials > 0 && t.indexOf("chat") < 0 && t.indexOf("form") < 0 && t.indexOf("callback") < 0;
}

/** False means: render nothing at all (blocked IP, device switched off, nothing to show). */
export function shouldRender(c: Launch, mobile: boolean, hasDialog = false): boolean {
  if (c.hidden || !(mobile ? c.devices.mobile : c.devices.desktop)) return false;
  return visibleTabs(c, hasDialog).length > 0 || useIcons(c, hasDialog);
}
