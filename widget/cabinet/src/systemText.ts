// What the server keeps as data or fixed Russian words, read in the reader's language: a widget
// request's fields (the journal, Диалоги) and the ledger's notes («Тариф Pro на 30 дней»);
// whatever is the visitor's or the project's own words is shown as it is.
import type { RequestCard } from "./api";
import { formatPhone } from "./format";
import type { Key } from "./i18n";

type T = (key: Key, vars?: Record<string, string>) => string;

/** A widget request's title and its filled fields as `[label, value]` rows, in the reader's language. */
export function requestRows(card: RequestCard, t: T): { title: string; rows: [string, string][] } {
  const rows: [string, string][] = [];
  const add = (label: string, v: string | null | undefined) => {
    if (v) rows.push([label, v]);
  };
  if (card.kind === "form") {
    add(t("request.name"), card.name);
    add(t("request.phone"), card.phone && formatPhone(card.phone));
    add(t("request.email"), card.email);
    add(t("request.company"), card.company);
    for (const l of [card.custom, card.list]) if (l) add(l.label, l.value);
    return { title: t("request.form"), rows };
  }
  add(t("request.name"), card.name);
  add(t("request.phone"), formatPhone(card.phone));
  add(t("request.call"), t(card.call_first === "visitor" ? "request.visitorFirst" : "request.managerFirst"));
  add(t("request.forward"), card.forward && formatPhone(card.forward));
  add(t("request.group"), card.group);
  return { title: t("request.callback"), rows };
}

/** A widget request as lines of text: the title, then `Label: value` per field. */
export function requestText(card: RequestCard, t: T): string {
  const { title, rows } = requestRows(card, t);
  return [title, ...rows.map(([l, v]) => `${l}: ${v}`)].join("\n");
}

/** A ledger entry's note. */
export function ledgerNote(note: string, t: T): string {
  if (note === "Пополнение баланса") return t("ledger.note.topUp");
  let m = /^Тариф (\S+) на (\d+) дней$/.exec(note);
  if (m) return t("ledger.note.tariff", { PLAN: m[1]!, N: m[2]! });
  m = /^Продление тарифа (\S+)$/.exec(note);
  if (m) return t("ledger.note.renew", { PLAN: m[1]! });
  return note;
}
