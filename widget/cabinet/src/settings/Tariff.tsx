// Тариф (§5): balance and top-up, the 7-day trial, Start / Pro / Pro+, renew, disconnect, and
// the ledger. Only the administrator may act; others see everything with the buttons disabled.
import { useEffect, useId, useRef, useState } from "preact/hooks";
import {
  ApiError,
  billing as loadBilling,
  connectTariff,
  disconnectTariff,
  isForbidden,
  renewTariff,
  startTrial,
  tariffs as loadTariffs,
  topUp,
  type Billing,
  type Plan,
  type Tariff,
  type TrialBlocker,
} from "../api";
import { daysLeft, formatDate, formatDateTime, proPlusPrice, rub } from "../format";
import { useI18n, type Key, type Lang, type T } from "../i18n";
import { IconCheck, IconLock, IconPlus, IconWallet } from "../icons";
import { linkClick } from "../nav";
import type { TabProps } from "../Settings";
import { useSession } from "../state";
import { ledgerNote } from "../systemText";
import { connectTerms, PERIOD_DAYS } from "../tariffTerms";
import { Alert, Confirm, errorFor, errorText, FormAlert, focusField, LoadError, Loading, Modal, TextField, toFormError, type FormError } from "../ui";

const BLOCKER: Record<TrialBlocker, Key> = {
  no_domain: "trial.blocker.no_domain",
  trial_used: "trial.blocker.trial_used",
  tariff_active: "trial.blocker.tariff_active",
};
const num = (n: number, lang: Lang) => new Intl.NumberFormat(lang === "ru" ? "ru-RU" : "en-GB").format(n).replace(/\u00a0|\u202f/g, " ");
const PLAN_FALLBACK: Record<Plan, string> = { start: "Start", pro: "Pro", pro_plus: "Pro+" };

/** An action's outcome, shown next to where it was taken (top, or above the tariff cards). */
type Notice = { kind: "ok" | "error"; text: (t: T, lang: Lang) => string; topUp?: boolean; at: "top" | "plans" } | null;

export function TariffTab({ project, accesses, onBillingChanged }: TabProps & { onBillingChanged: () => void }) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const [bill, setBill] = useState<Billing | null>(null);
  const [plans, setPlans] = useState<Tariff[]>([]);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [busy, setBusy] = useState<string>("");
  const [notice, setNotice] = useState<Notice>(null);
  const [refused, setRefused] = useState(false);
  const [dialog, setDialog] = useState<"" | "topup" | "disconnect">("");
  const [connecting, setConnecting] = useState<Tariff | null>(null);
  const isAdmin = accesses.includes("admin") && !refused;
  const [volume, setVolume] = useState(10000);
  const volumeId = useId();
  const tz = user.timezone;

  async function load() {
    setLoadErr(null);
    try {
      const [b, p] = await Promise.all([loadBilling(project.id), loadTariffs()]);
      setBill(b);
      setPlans(p);
    } catch (e) {
      setLoadErr(e);
    }
  }
  useEffect(() => {
    load();
  }, [project.id]);

  const planName = (id: Plan | null) => (id ? plans.find((p) => p.id === id)?.name || PLAN_FALLBACK[id] : "");

  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    noticeRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [notice]);

  async function act(key: string, fn: () => Promise<Billing>, ok: (t: T, lang: Lang) => string, at: "top" | "plans" = "top") {
    if (busy) return;
    setBusy(key);
    setNotice(null);
    try {
      setBill(await fn());
      setNotice({ kind: "ok", text: ok, at });
      onBillingChanged();
    } catch (e) {
      if (isForbidden(e)) setRefused(true);
      const insufficient = e instanceof ApiError && e.code === "insufficient_balance";
      setNotice({ kind: "error", text: (t) => errorText(e, t), topUp: insufficient, at });
    }
    setBusy("");
  }

  if (loadErr) return <LoadError err={loadErr} onRetry={load} />;
  if (!bill) return <Loading />;

  const { tariff, trial } = bill;
  const noticeView = notice && (
    <div ref={noticeRef} class="notice">
      <Alert kind={notice.kind}>
        {notice.text(t, lang)}
        {notice.topUp && isAdmin && (
          <button type="button" class="link-btn" onClick={() => setDialog("topup")}>
            {t("tariff.topUp")}
          </button>
        )}
      </Alert>
    </div>
  );
  const adminHint = isAdmin ? undefined : t("tariff.onlyAdmin");
  const left = daysLeft(tariff.expires_at);

  return (
    <>
      {!isAdmin && (
        <p class="note note-lock">
          <IconLock /> {t("tariff.onlyAdminLong")}
        </p>
      )}
      {notice?.at === "top" && noticeView}
      <div class="grid-2 equal">
        <section class="card section balance" aria-labelledby="bill-balance">
          <div class="section-head">
            <h3 id="bill-balance">{t("tariff.balance")}</h3>
          </div>
          <div class="balance-row">
            <span class="balance-icon" aria-hidden="true">
              <IconWallet />
            </span>
            <span class="balance-value" data-testid="balance">
              {rub(bill.balance_rub, lang)}
            </span>
            <button type="button" class="btn btn-secondary" disabled={!isAdmin} title={adminHint} onClick={() => setDialog("topup")}>
              <IconPlus />
              {t("tariff.topUp")}
            </button>
          </div>
        </section>
        <section class="card section current" aria-labelledby="bill-current">
          <div class="section-head">
            <h3 id="bill-current">{t("tariff.current")}</h3>
          </div>
          <div class="current-body" role="status" aria-label={t("tariff.current")}>
            <span class={"status-dot status-" + tariff.status} aria-hidden="true" />
            <div>
              <p class="current-title">
                {tariff.status === "none" && t("tariff.status.none")}
                {tariff.status === "trial" && t("tariff.status.trial")}
                {tariff.status === "active" && t("tariff.status.active", { PLAN: planName(tariff.plan) })}
                {tariff.status === "active" && tariff.plan === "pro_plus" && tariff.visitors ? (
                  <span class="muted current-volume"> · {t("tariff.visitorsN", { N: num(tariff.visitors, lang) })}</span>
                ) : null}
                {tariff.status === "expired" && t("tariff.status.expired", { PLAN: planName(tariff.plan) || t("tariff.status.trial") })}
              </p>
              {tariff.expires_at && tariff.status !== "none" && (
                <p class="muted small">
                  {tariff.status === "expired"
                    ? t("tariff.endedAt", { DATE: formatDate(tariff.expires_at, lang, tz) })
                    : t("tariff.until", { DATE: formatDate(tariff.expires_at, lang, tz) }) + " · " + t("tariff.daysLeft", { N: String(left) })}
                </p>
              )}
            </div>
          </div>
          {tariff.plan && (tariff.status === "active" || tariff.status === "expired") && (
            <div class="current-actions">
              <button
                type="button"
                class="btn btn-primary"
                disabled={!isAdmin || !!busy}
                title={adminHint}
                onClick={() => act("renew", () => renewTariff(project.id), (t) => t("tariff.renewed"))}
              >
                {t("tariff.renew")}
              </button>
              {tariff.status === "active" && (
                <button type="button" class="btn btn-secondary btn-danger-text" disabled={!isAdmin || !!busy} title={adminHint} onClick={() => setDialog("disconnect")}>
                  {t("tariff.disconnect")}
                </button>
              )}
            </div>
          )}
        </section>
      </div>

      {tariff.status !== "active" && (
      <section class="card section trial" aria-labelledby="bill-trial">
        <div class="trial-row">
          <div>
            <h3 id="bill-trial">{t("trial.title")}</h3>
            {tariff.status !== "trial" && <p class="muted small">{t("trial.lead")}</p>}
            {tariff.status === "trial" ? (
              <p class="trial-on">
                <IconCheck /> {t("trial.running", { DATE: formatDate(tariff.expires_at, lang, tz) })}
              </p>
            ) : (
              !trial.available &&
              trial.blockers.length > 0 && (
              <ul class="blockers">
                {trial.blockers.map((b) => (
                  <li>
                    {t(BLOCKER[b] || "trial.blocker.unknown")}
                    {b === "no_domain" && (
                      <>
                        {" "}
                        <a href="/settings" onClick={linkClick}>
                          {t("trial.toMain")}
                        </a>
                      </>
                    )}
                  </li>
                ))}
              </ul>
              )
            )}
          </div>
          <button
            type="button"
            class="btn btn-primary"
            disabled={!isAdmin || !trial.available || !!busy}
            title={adminHint}
            onClick={() => act("trial", () => startTrial(project.id), (t) => t("trial.started"))}
          >
            {busy === "trial" ? t("common.saving") : t("trial.start")}
          </button>
        </div>
      </section>
      )}

      <section aria-labelledby="bill-plans" class="stack-sm">
        <h3 id="bill-plans" class="section-title">
          {t("tariff.plans")}
        </h3>
        <p class="muted small">{t("tariff.plansLead")}</p>
        {notice?.at === "plans" && noticeView}
        <div class="plans">
          {plans.map((p) => {
            const isCurrent = tariff.plan === p.id && tariff.status === "active";
            return (
              <article class={"card plan" + (isCurrent ? " is-current" : "") + (p.id === "pro" ? " is-featured" : "")} aria-labelledby={"plan-" + p.id}>
                <div class="plan-head">
                  <h4 id={"plan-" + p.id}>{p.name}</h4>
                  {isCurrent && <span class="chip chip-admin">{t("tariff.currentBadge")}</span>}
                </div>
                {p.id === "pro_plus" ? (
                  <>
                    <p class="plan-price">
                      <strong>{rub(proPlusPrice(volume), lang)}</strong>
                      <span class="muted"> {t("tariff.perMonth")}</span>
                    </p>
                    <div class="plan-volume">
                      <label for={volumeId}>{t("tariff.volume")}</label>
                      <input
                        id={volumeId}
                        type="number"
                        min={5001}
                        step={1000}
                        value={volume}
                        disabled={!isAdmin}
                        onInput={(e) => setVolume(Math.max(0, Math.round(Number(e.currentTarget.value) || 0)))}
                      />
                      <span class="muted small">{t("tariff.byVolume")}</span>
                    </div>
                  </>
                ) : (
                  <p class="plan-price">
                    {p.price_rub == null ? (
                      <strong>{t("tariff.byVolume")}</strong>
                    ) : (
                      <>
                        <strong>{rub(p.price_rub, lang)}</strong>
                        <span class="muted"> {t("tariff.perMonth")}</span>
                      </>
                    )}
                  </p>
                )}
                <ul class="plan-features">
                  <li>
                    <IconCheck />
                    {p.visitors_limit != null
                      ? t("tariff.visitorsUpTo", { N: num(p.visitors_limit, lang) })
                      : p.site_chat
                        ? t("tariff.visitorsAny")
                        : t("tariff.noSite")}
                  </li>
                  <li class={p.site_chat ? "" : "off"}>
                    <IconCheck />
                    {p.site_chat ? t("tariff.siteChat") : t("tariff.noSiteChat")}
                  </li>
                  <li>
                    <IconCheck />
                    {t("tariff.operators")}
                  </li>
                  <li>
                    <IconCheck />
                    {t("tariff.messengers")}
                  </li>
                </ul>
                {p.id === "pro_plus" && <p class="muted small plan-desc">{t("tariff.proPlusRule")}</p>}
                <button
                  type="button"
                  class={"btn btn-block " + (p.id === "pro" ? "btn-primary" : "btn-secondary")}
                  disabled={!isAdmin || !!busy || (isCurrent && tariff.status === "active")}
                  title={adminHint}
                  aria-label={t("tariff.connectPlan", { PLAN: p.name })}
                  onClick={() => setConnecting(p)}
                >
                  {busy === "connect-" + p.id ? t("common.saving") : t("tariff.connect")}
                </button>
              </article>
            );
          })}
        </div>
      </section>

      <section class="card section" aria-labelledby="bill-ledger">
        <div class="section-head">
          <h3 id="bill-ledger">{t("ledger.title")}</h3>
        </div>
        {bill.ledger.length === 0 ? (
          <p class="note center">{t("ledger.empty")}</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t("ledger.at")}</th>
                  <th scope="col">{t("ledger.kind")}</th>
                  <th scope="col" class="num">
                    {t("ledger.amount")}
                  </th>
                  <th scope="col">{t("ledger.note")}</th>
                </tr>
              </thead>
              <tbody>
                {bill.ledger.map((l) => {
                  const minus = l.kind === "charge";
                  return (
                    <tr>
                      <td class="nowrap muted" data-label={t("ledger.at")}>
                        {formatDateTime(l.at, lang, tz)}
                      </td>
                      <td data-label={t("ledger.kind")}>{t(("ledger." + l.kind) as Key)}</td>
                      <td class={"num nowrap " + (minus ? "minus" : "plus")} data-label={t("ledger.amount")}>
                        {(minus ? "− " : "+ ") + rub(Math.abs(l.amount_rub), lang)}
                      </td>
                      <td data-label={t("ledger.note")}>{ledgerNote(l.note, t) || <span class="muted">—</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {dialog === "topup" && (
        <TopUpDialog
          onClose={() => setDialog("")}
          onTopUp={async (amount) => {
            const b = await topUp(project.id, amount);
            setBill(b);
            setNotice({ kind: "ok", text: (t, l) => t("tariff.toppedUp", { AMOUNT: rub(amount, l) }), at: "top" });
          }}
        />
      )}
      {connecting && (
        <ConnectDialog
          bill={bill}
          plan={connecting}
          price={connecting.id === "pro_plus" ? proPlusPrice(volume) : connecting.price_rub || 0}
          current={planName(tariff.plan)}
          onClose={() => setConnecting(null)}
          onTopUp={() => {
            setConnecting(null);
            setDialog("topup");
          }}
          onConfirm={() => {
            const p = connecting;
            setConnecting(null);
            act("connect-" + p.id, () => connectTariff(project.id, p.id, p.id === "pro_plus" ? Math.max(volume, 5001) : undefined), (t) => t("tariff.connected", { PLAN: p.name }), "plans");
          }}
        />
      )}
      {dialog === "disconnect" && (
        <Confirm
          title={t("tariff.disconnectTitle")}
          text={t("tariff.disconnectText", { PLAN: planName(tariff.plan) })}
          action={t("tariff.disconnect")}
          danger
          onClose={() => setDialog("")}
          onConfirm={async () => {
            setBill(await disconnectTariff(project.id));
            setNotice({ kind: "ok", text: (t) => t("tariff.disconnected"), at: "top" });
            onBillingChanged();
          }}
        />
      )}
    </>
  );
}

/** «Подключить»: the price, the period and what happens to a trial or a running tariff, before the charge. */
function ConnectDialog({
  bill,
  plan,
  price,
  current,
  onClose,
  onTopUp,
  onConfirm,
}: {
  bill: Billing;
  plan: Tariff;
  price: number;
  current: string;
  onClose: () => void;
  onTopUp: () => void;
  onConfirm: () => void;
}) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const terms = connectTerms(bill, price);
  const date = (d: Date) => formatDate(d.toISOString(), lang, user.timezone);
  const vars = { PLAN: plan.name, PRICE: rub(price, lang), DAYS: String(PERIOD_DAYS), FROM: date(terms.from), UNTIL: date(terms.until), CURRENT: current };
  return (
    <Modal title={t("tariff.confirmTitle", { PLAN: plan.name })} onClose={onClose}>
      <div class="modal-body stack-sm">
        <p>{t("tariff.confirmCharge", vars)}</p>
        <p>{t(terms.start === "after_trial" ? "tariff.confirmAfterTrial" : terms.start === "replaces" ? "tariff.confirmReplaces" : "tariff.confirmNow", vars)}</p>
        {terms.start === "after_trial" && !plan.site_chat && <p>{t("tariff.confirmNoSiteChat")}</p>}
        {terms.short > 0 && (
          <Alert>
            {t("tariff.short", { AMOUNT: rub(terms.short, lang) })}{" "}
            <button type="button" class="link-btn" onClick={onTopUp}>
              {t("tariff.topUp")}
            </button>
          </Alert>
        )}
      </div>
      <div class="modal-foot">
        <button type="button" class="btn btn-secondary" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button type="button" class="btn btn-primary" disabled={terms.short > 0} onClick={onConfirm}>
          {t("tariff.confirmAction", { PRICE: rub(price, lang) })}
        </button>
      </div>
    </Modal>
  );
}

function TopUpDialog({ onClose, onTopUp }: { onClose: () => void; onTopUp: (amount: number) => Promise<void> }) {
  const { t, lang } = useI18n();
  const [amount, setAmount] = useState("3500");
  const [err, setErr] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: Event) {
    e.preventDefault();
    const n = Number(amount.replace(/\s/g, "").replace(",", "."));
    if (!isFinite(n) || n <= 0) {
      setErr({ message: t("tariff.amountInvalid"), field: "amount_rub" });
      return focusField(form.current, "amount_rub");
    }
    setBusy(true);
    setErr(null);
    try {
      await onTopUp(n);
      onClose();
    } catch (e) {
      const fe = toFormError(e, t);
      setErr(fe);
      setBusy(false);
      focusField(form.current, fe.field);
    }
  }

  return (
    <Modal title={t("tariff.topUpTitle")} onClose={onClose}>
      <form ref={form} onSubmit={submit} noValidate>
        <div class="modal-body">
          <FormAlert err={err} fields={["amount_rub"]} />
          <TextField label={t("tariff.amount")} name="amount_rub" inputMode="decimal" autoFocus value={amount} onValue={setAmount} error={errorFor(err, "amount_rub")} />
          <div class="quick" role="group" aria-label={t("tariff.quick")}>
            {[2500, 3500, 10000].map((n) => (
              <button type="button" class={"btn btn-secondary btn-sm" + (Number(amount) === n ? " on" : "")} onClick={() => setAmount(String(n))}>
                {rub(n, lang)}
              </button>
            ))}
          </div>
        </div>
        <div class="modal-foot">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {t("tariff.topUpSubmit")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
