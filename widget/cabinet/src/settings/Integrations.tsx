// Синхронизации (§6): a card per messenger (Telegram, VK, Viber) with the switch
// «Синхронизация: Включено», its credentials (a saved secret shows masked and an empty input
// keeps it), the date it was turned on, «Выводить имя оператора», the webhook address to copy
// (pasted by hand for VK), the status line and «Проверить подключение». Saving with the switch
// on makes the server check the credentials with the platform and register the webhook.
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { checkIntegration, integrations as loadIntegrations, isForbidden, saveIntegration, ApiError, type Integration, type IntegrationKind } from "../api";
import { ChannelIcon } from "../dialogs/ChannelIcon";
import { formatDateTime } from "../format";
import { useI18n, type Key } from "../i18n";
import { IconCheck, IconCopy } from "../icons";
import { checkForm, FIELDS, fieldHint, fieldLabel, formValues, reasonText, statusLine, storedSecret, toChange } from "../integrations";
import type { TabProps } from "../Settings";
import { useSession } from "../state";
import { errorFor, FormAlert, focusField, LoadError, Loading, Refusal, SaveButton, TextField, toFormError, useCopy, useSave, type FormError } from "../ui";

const LEAD: Record<IntegrationKind, Key> = { telegram: "int.telegram.lead", vk: "int.vk.lead", viber: "int.viber.lead" };

export function IntegrationsTab({ project }: TabProps) {
  const { t } = useI18n();
  const [list, setList] = useState<Integration[] | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);

  async function load() {
    setLoadErr(null);
    try {
      setList(await loadIntegrations(project.id));
    } catch (e) {
      setLoadErr(e);
    }
  }
  useEffect(() => {
    load();
  }, [project.id]);

  if (loadErr) return isForbidden(loadErr) ? <Refusal title={t("settings.forbidden")} text={t("settings.forbiddenText")} /> : <LoadError err={loadErr} onRetry={load} />;
  if (!list) return <Loading />;
  return (
    <>
      <p class="muted">{t("int.lead")}</p>
      {list.map((i) => (
        <IntegrationCard key={i.kind} pid={project.id} initial={i} />
      ))}
    </>
  );
}

function IntegrationCard({ pid, initial }: { pid: string; initial: Integration }) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const [saved, setSaved] = useState(initial);
  const [values, setValues] = useState(() => formValues(initial));
  const [enabled, setEnabled] = useState(initial.enabled);
  const [showName, setShowName] = useState(initial.show_operator_name);
  const [err, setErr] = useState<FormError | null>(null);
  const [checking, setChecking] = useState(false);
  const [checked, setChecked] = useState(false);
  const save = useSave();
  const form = useRef<HTMLFormElement>(null);
  const kind = saved.kind;
  const fields = FIELDS[kind];
  const head = "int-" + kind;
  const nameId = useId();

  function applySaved(i: Integration) {
    setSaved(i);
    setValues(formValues(i));
    setEnabled(i.enabled);
    setShowName(i.show_operator_name);
  }

  async function submit(e: Event) {
    e.preventDefault();
    setErr(null);
    setChecked(false);
    if (enabled) {
      const bad = checkForm(saved, values);
      if (bad) {
        setErr({ message: t(bad.key), field: bad.field });
        return focusField(form.current, bad.field);
      }
    }
    try {
      await save.run(async () => applySaved(await saveIntegration(pid, kind, toChange(kind, values, enabled, showName))));
    } catch (ex) {
      const fe = toFormError(ex, t);
      if (ex instanceof ApiError && ex.code === "already_connected") fe.message = t("int.alreadyConnected");
      if (ex instanceof ApiError && ex.code === "connect_failed") {
        // The server kept the platform's answer as the status's last error: show it.
        const fresh = await loadIntegrations(pid).catch(() => null);
        const mine = fresh?.find((x) => x.kind === kind);
        if (mine) {
          setSaved(mine);
          if (mine.status.last_error) fe.message += ": " + reasonText(mine.status.last_error, t);
        }
      }
      setErr(fe);
      focusField(form.current, fe.field);
    }
  }

  async function check() {
    setErr(null);
    setChecked(false);
    setChecking(true);
    try {
      const i = await checkIntegration(pid, kind);
      setSaved(i);
      setChecked(!i.status.last_error);
    } catch (ex) {
      setErr(toFormError(ex, t));
    } finally {
      setChecking(false);
    }
  }

  const status = statusLine(saved, t);
  return (
    <section class="card section integration" aria-labelledby={head}>
      <div class="section-head section-head-row integration-head">
        <div class="integration-title">
          <ChannelIcon channel={kind} />
          <div>
            <h3 id={head}>{t(("channel." + kind) as Key)}</h3>
            <p class="muted small">{t(LEAD[kind])}</p>
          </div>
        </div>
      </div>
      <form ref={form} onSubmit={submit} noValidate>
        <FormAlert err={err} fields={fields.map((f) => f.name)} />
        <div class="integration-switch">
          <button
            type="button"
            role="switch"
            aria-checked={enabled}
            name="enabled"
            class={"switch" + (enabled ? " is-on" : "")}
            onClick={() => {
              setEnabled(!enabled);
              setErr(null);
            }}
          >
            <span class="switch-track" aria-hidden="true">
              <span class="switch-knob" />
            </span>
            <span>
              {t("int.sync")}: {t(enabled ? "int.on" : "int.off")}
            </span>
          </button>
          {saved.enabled && saved.enabled_at && <span class="muted small">{t("int.enabledAt", { DATE: formatDateTime(saved.enabled_at, lang, user.timezone) })}</span>}
        </div>
        <div class="row-2">
          {fields.map((f) => {
            const mask = storedSecret(saved, f);
            return (
              <TextField
                label={t(fieldLabel(kind, f))}
                name={f.name}
                value={values[f.name] || ""}
                onValue={(v) => {
                  setValues({ ...values, [f.name]: v });
                  if (err && err.field === f.name) setErr(null);
                }}
                error={errorFor(err, f.name)}
                hint={mask ? t("int.secretKept", { MASK: mask }) : t(fieldHint(kind, f))}
                type={f.secret ? "password" : "text"}
                autoComplete={f.secret ? "new-password" : "off"}
                spellcheck={false}
                placeholder={mask || undefined}
              />
            );
          })}
        </div>
        <div class="check check-block">
          <input id={nameId} type="checkbox" name="show_operator_name" checked={showName} onChange={(e) => setShowName(e.currentTarget.checked)} />
          <label for={nameId}>
            <span>{t("int.showOperatorName")}</span>
            <span class="muted small check-hint">{t("int.showOperatorNameHint")}</span>
          </label>
        </div>
        <Webhook kind={kind} url={saved.webhook_url} />
        <div class={"integration-status is-" + status.tone} role="status">
          <strong>{t("int.status")}:</strong> {status.text}{" "}
          {saved.status.last_inbound_at
            ? t("int.status.lastInbound", { DATE: formatDateTime(saved.status.last_inbound_at, lang, user.timezone) })
            : saved.enabled
              ? t("int.status.noInbound")
              : ""}
          {checked && (
            <span class="integration-ok">
              {" "}
              <IconCheck /> {t("int.checked")}
            </span>
          )}
        </div>
        <div class="form-actions">
          <SaveButton state={save.state} />
          {saved.enabled && (
            <button type="button" class="btn btn-secondary" disabled={checking} aria-busy={checking} onClick={check}>
              {t(checking ? "int.checking" : "int.check")}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

/** The webhook address with a copy button; for VK, where to paste it. */
function Webhook({ kind, url }: { kind: IntegrationKind; url: string | null }) {
  const { t } = useI18n();
  const copy = useCopy();
  const id = useId();
  return (
    <div class="field">
      <label for={url ? id : undefined}>{t("int.webhook")}</label>
      {url ? (
        <button type="button" id={id} class="id-box" onClick={() => copy.copy(url)} title={t("common.copy")} aria-describedby={id + "-hint"}>
          <code>{url}</code>
          <span class={"id-copy" + (copy.copied ? " is-ok" : "")}>
            {copy.copied ? <IconCheck /> : <IconCopy />}
            {copy.copied ? t("common.copied") : t("common.copy")}
          </span>
        </button>
      ) : (
        <p class="note" id={id}>
          {t("int.webhook.none")}
        </p>
      )}
      {url && (
        <p class="field-hint" id={id + "-hint"}>
          {t(kind === "vk" ? "int.webhook.vk" : "int.webhook.auto")}
        </p>
      )}
    </div>
  );
}
