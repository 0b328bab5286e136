// Operators (§10): who is online and who works by a schedule (the clock mark), the operator's
// own schedule from Dialogs, and the schedule editor for one or several operators at once that
// the settings access uses. A new schedule takes effect from the next day.
import { useState } from "preact/hooks";
import { setSchedule, type Operator } from "../api";
import { formatDate } from "../format";
import { DAY_KEYS, HoursGrid } from "../HoursGrid";
import { useI18n, type T } from "../i18n";
import { IconClock, IconInfo } from "../icons";
import { Alert, errorText, Loading, Modal, useSave } from "../ui";
import { fillHours, normalizeHours, summarizeHours, type Hours } from "../widgetSettings";

export function scheduleText(o: Operator, t: T, lang: "ru" | "en"): string {
  if (!o.schedule) return t("ops.noSchedule");
  const lines = summarizeHours(normalizeHours(o.schedule), DAY_KEYS.map((k) => t(k)));
  const body = lines.length ? lines.join("; ") : t("ops.scheduleEmpty");
  const from = o.schedule_from && o.schedule_from > today() ? " " + t("ops.from", { DATE: formatDate(o.schedule_from, lang, "UTC") }) : "";
  return body + from;
}

/** Today as YYYY-MM-DD in the browser's zone (close enough to say "from tomorrow"). */
function today(): string {
  const d = new Date();
  return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
}

export function OperatorBadge({ o }: { o: Operator }) {
  const { t, lang } = useI18n();
  if (!o.schedule) return null;
  const text = scheduleText(o, t, lang);
  return (
    <span class="clock-mark" title={t("ops.hasSchedule") + ": " + text} role="img" aria-label={t("ops.hasSchedule") + ": " + text}>
      <IconClock size={14} />
    </span>
  );
}

export function OperatorsPanel({ operators, me }: { operators: Operator[] | null; me: string }) {
  const { t } = useI18n();
  const online = operators ? operators.filter((o) => o.online).length : 0;
  return (
    <section class="ops" aria-labelledby="ops-title">
      <div class="ops-head">
        <h2 id="ops-title">{t("ops.title")}</h2>
        {operators && <span class="muted small">{t("ops.onlineOf", { N: String(online), M: String(operators.length) })}</span>}
      </div>
      {operators === null ? (
        <Loading />
      ) : operators.length === 0 ? (
        <p class="muted small">{t("ops.none")}</p>
      ) : (
        <ul class="ops-list">
          {[...operators]
            .sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name))
            .map((o) => (
              <li class={o.online ? "is-online" : ""}>
                <span class="ops-dot" aria-hidden="true" />
                <span class="ops-name">
                  {o.name || o.email}
                  {o.user_id === me && <span class="muted"> · {t("team.you")}</span>}
                </span>
                <OperatorBadge o={o} />
                <span class="sr-only">{o.online ? t("dialogs.online") : t("dialogs.offline")}</span>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}

/** The operator's own schedule (from Dialogs), or several operators' in one go. */
export function ScheduleModal({
  pid,
  operators,
  own,
  onClose,
  onSaved,
}: {
  pid: string;
  operators: Operator[];
  own?: boolean;
  onClose: () => void;
  onSaved: (list: Operator[]) => void;
}) {
  const { t, lang } = useI18n();
  const first = operators[0]!;
  const [hours, setHours] = useState<Hours>(first.schedule ? normalizeHours(first.schedule) : fillHours(false));
  const [err, setErr] = useState("");
  const save = useSave();
  const has = operators.some((o) => o.schedule);

  async function put(schedule: Hours | null) {
    setErr("");
    try {
      await save.run(async () => onSaved(await setSchedule(pid, operators.map((o) => o.user_id), schedule)));
      onClose();
    } catch (e) {
      setErr(errorText(e, t));
    }
  }

  return (
    <Modal title={own ? t("ops.myTitle") : t("ops.editTitle")} onClose={onClose} wide>
      <div class="modal-body">
        <p class="muted small modal-lead">{own ? t("ops.myLead") : operators.map((o) => o.name || o.email).join(", ")}</p>
        {err && <Alert>{err}</Alert>}
        <HoursGrid value={hours} onChange={setHours} label={t("ops.grid")} />
        <p class="note">
          <IconInfo />
          <span>
            {t("ops.nextDay")}
            {first.schedule && first.schedule_from ? " " + t("ops.current", { TEXT: scheduleText(first, t, lang) }) : ""}
          </span>
        </p>
      </div>
      <div class="modal-foot">
        {has && (
          <button type="button" class="btn btn-secondary btn-danger-text" disabled={save.state === "busy"} onClick={() => put(null)}>
            {t("ops.remove")}
          </button>
        )}
        <span class="grow" />
        <button type="button" class="btn btn-secondary" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button type="button" class="btn btn-primary" disabled={save.state === "busy"} onClick={() => put(hours)}>
          {save.state === "busy" ? t("common.saving") : t("ops.save")}
        </button>
      </div>
    </Modal>
  );
}
