// The server's fixed Russian texts of the journal and the ledger («Заявка с сайта», «Обратный
// звонок на …», «Тариф Pro на 30 дней») read in the reader's language; whatever is not one of
// them (a visitor's own words, a label the project set) is shown as it is.
import type { Key } from "./i18n";

type T = (key: Key, vars?: Record<string, string>) => string;

const CALLBACK = /^Обратный звонок на (\S+); звонок сначала (менеджеру|посетителю)(?:; переадресация на ([^;]+))?(?:; отдел «(.*)»)?$/;

/** A lead's text: the request form's and the callback's system lines translated. */
export function leadText(text: string, t: T): string {
  const lines = text.split("\n");
  if (lines[0] === "Заявка с сайта") {
    return [t("lead.form"), ...lines.slice(1).map((l) => (l.startsWith("Компания: ") ? t("lead.company", { V: l.slice(10) }) : l))].join("\n");
  }
  const m = CALLBACK.exec(lines[0] || "");
  if (!m) return text;
  const parts = [t("lead.callback", { PHONE: m[1]! }), t(m[2] === "менеджеру" ? "lead.managerFirst" : "lead.visitorFirst")];
  if (m[3]) parts.push(t("lead.forward", { PHONE: m[3] }));
  if (m[4] != null) parts.push(t("lead.group", { V: m[4] }));
  return [parts.join("; "), ...lines.slice(1)].join("\n");
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
