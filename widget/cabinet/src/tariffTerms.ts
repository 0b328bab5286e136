// What «Подключить» will do, told before it is done (PRODUCT.md §5; `billing::connect` in
// shared/domain/src/billing.rs): the price is charged now, the paid 30 days start when a running
// trial ends (else at once; a connected tariff is replaced at once), and what the balance lacks.
import type { Billing } from "./api";

export const PERIOD_DAYS = 30;

export interface ConnectTerms {
  /** "after_trial": the trial runs on and the period follows it; "now": it starts at once; "replaces": the current tariff ends now. */
  start: "after_trial" | "now" | "replaces";
  from: Date;
  until: Date;
  /** How much the balance lacks (0: enough). */
  short: number;
}

export function connectTerms(bill: Billing, price: number, now: Date = new Date()): ConnectTerms {
  const end = bill.tariff.expires_at ? new Date(bill.tariff.expires_at) : null;
  const running = !!end && end.getTime() > now.getTime();
  const onTrial = bill.tariff.status === "trial" && running;
  const from = onTrial ? end! : now;
  return {
    start: onTrial ? "after_trial" : bill.tariff.status === "active" && running ? "replaces" : "now",
    from,
    until: new Date(from.getTime() + PERIOD_DAYS * 86_400_000),
    short: Math.max(0, price - bill.balance_rub),
  };
}
