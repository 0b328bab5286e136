// Contact requests and forms: the shape of a phone and an e-mail, required fields, and whether
// a pending request blocks the chat input.
import type { ContactRequest, FieldDef, FieldKind } from "./config";
import type { Strings } from "./i18n";

/** 10–15 digits with the usual separators: +7 (999) 123-45-67, 8 999 1234567, +44 20 7946 0958. */
export function phoneOk(v: string): boolean {
  const t = v.trim();
  if (!/^\+?[\d\s()\-.]+$/.test(t)) return false;
  const digits = t.replace(/\D/g, "").length;
  return digits >= 10 && digits <= 15;
}

export function emailOk(v: string): boolean {
  return /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;.]{2,}$/.test(v.trim()) && v.trim().length <= 254;
}

/** "" when the value is fine, else the message to show under the field. */
export function checkValue(kind: FieldKind, value: string, required: boolean, s: Strings): string {
  const v = value.trim();
  if (!v) return required ? s.required : "";
  if (kind === "phone" && !phoneOk(v)) return s.badPhone;
  if (kind === "email" && !emailOk(v)) return s.badEmail;
  return "";
}

export interface RequestRow {
  field: FieldDef;
  required: boolean;
}

/** The fields of a request, with their definitions, in the request's order. */
export function requestRows(req: ContactRequest | null, fields: FieldDef[]): RequestRow[] {
  const rows: RequestRow[] = [];
  for (const f of req ? req.fields : []) {
    const field = fields.find((d) => d.id === f.field);
    if (field) rows.push({ field, required: f.required });
  }
  return rows;
}

/** Errors by field id for the values the visitor entered; empty object = valid. */
export function validateRequest(rows: RequestRow[], values: Record<string, string>, s: Strings): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const r of rows) {
    const e = checkValue(r.field.kind, values[r.field.id] || "", r.required, s);
    if (e) errors[r.field.id] = e;
  }
  return errors;
}

/** Required fields of `req` still empty in the contact the server holds: while any, the input is blocked. */
export function missingRequired(req: ContactRequest | null, contact: Record<string, unknown> | null | undefined): string[] {
  const c = contact || {};
  return (req ? req.fields : []).filter((f) => f.required && !(typeof c[f.field] === "string" && (c[f.field] as string).trim())).map((f) => f.field);
}

/**
 * The confirmation after the visitor left contacts: by name, and by the phone (else e-mail) we
 * will use — «Спасибо, Мария, мы свяжемся с вами по +7 912 345-67-89.» — or "" when neither
 * a phone nor an e-mail was given.
 */
export function confirmText(values: Record<string, string>, s: Strings): string {
  const name = (values.name || "").trim();
  const way = (values.phone || values.email || "").trim();
  if (!way) return "";
  return (name ? s.confirmNamed : s.confirm).replace("{NAME}", name).replace("{WAY}", way);
}
