// «Синхронизации» without the page: each platform's settings form (the field names the server
// expects, beseda_channels' `FIELDS`), the form's values from a saved integration, the change
// to send (an empty secret keeps the stored one), the checks before sending (the same as the
// server's in integrations.rs), the status line,
// and a platform's failure reason in the reader's language.
import type { Integration, IntegrationChange, IntegrationKind } from "./api";
import type { Key, T } from "./i18n";

export interface FieldDef {
  name: string;
  /** Stored encrypted and shown masked: the input starts empty, and empty keeps it. */
  secret: boolean;
  required: boolean;
}

export const FIELDS: Record<IntegrationKind, FieldDef[]> = {
  telegram: [
    { name: "token", secret: true, required: true },
    { name: "username", secret: false, required: true },
  ],
  vk: [
    { name: "community_id", secret: false, required: true },
    { name: "confirmation_code", secret: false, required: true },
    { name: "access_token", secret: true, required: true },
    { name: "secret_key", secret: true, required: false },
  ],
  viber: [{ name: "token", secret: true, required: true }],
};

export const fieldLabel = (kind: IntegrationKind, f: FieldDef) => ("int.field." + kind + "." + f.name) as Key;
export const fieldHint = (kind: IntegrationKind, f: FieldDef) => ("int.field." + kind + "." + f.name + ".hint") as Key;

/** The form's starting values: the plain settings as saved, every secret input empty. */
export function formValues(i: Integration): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of FIELDS[i.kind]) out[f.name] = f.secret ? "" : i.settings[f.name] || "";
  return out;
}

/** The masked stored value of a secret field (`12…xY`), if there is one. */
export const storedSecret = (i: Integration, f: FieldDef) => (f.secret && i.settings[f.name]) || null;

/** What to save: values trimmed, an empty secret left out (the server keeps the stored one). */
export function toChange(kind: IntegrationKind, values: Record<string, string>, enabled: boolean, showOperatorName: boolean): IntegrationChange {
  const settings: Record<string, string> = {};
  for (const f of FIELDS[kind]) {
    const v = (values[f.name] || "").trim();
    if (f.secret && !v) continue;
    settings[f.name] = kind === "telegram" && f.name === "username" ? v.replace(/^@/, "") : v;
  }
  return { enabled, show_operator_name: showOperatorName, settings };
}

/** A bot's @username as BotFather allows it: 5–32 latin letters, digits and _, ending in bot. */
export const isBotUsername = (v: string) => /^[A-Za-z0-9_]{2,29}bot$/i.test(v.trim().replace(/^@/, ""));

/**
 * The first problem the server would refuse, before asking it: a required field empty (a
 * secret counts as filled when one is stored), a Telegram username not ending in `_bot`.
 */
export function checkForm(i: Integration, values: Record<string, string>): { field: string; key: Key } | null {
  for (const f of FIELDS[i.kind]) {
    const v = (values[f.name] || "").trim();
    if (f.required && !v && !storedSecret(i, f)) return { field: f.name, key: "int.required" };
    if (i.kind === "telegram" && f.name === "username" && v && !isBotUsername(v)) return { field: f.name, key: "int.badUsername" };
  }
  return null;
}

/** A platform's failure (`blocked_by_user`, or a status's `permanent failure: token_revoked`) in words. */
export function reasonText(raw: string, t: T): string {
  const reason = raw.replace(/^(permanent|temporary) failure: /, "").trim();
  const code = /^network\b/.test(reason) ? "network" : /^\w+_5\d\d\b/.test(reason) ? "server_error" : reason;
  const key = ("reason." + code) as Key;
  const known = t(key);
  return known !== key ? known : reason;
}

export type StatusTone = "off" | "ok" | "error";

/** The status line's tone and its first sentence. */
export function statusLine(i: Integration, t: T): { tone: StatusTone; text: string } {
  if (i.status.last_error) return { tone: "error", text: t("int.status.error", { TEXT: reasonText(i.status.last_error, t) }) };
  if (!i.enabled) return { tone: "off", text: t("int.status.off") };
  return { tone: "ok", text: t(i.status.webhook_registered ? "int.status.registered" : "int.status.waitingVk") };
}
