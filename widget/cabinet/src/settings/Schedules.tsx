// «Время работы операторов» (§10, in Команда): pick one or several operators, paint their week
// and save — their online status then switches by itself, from the next day. The grid stays
// locked until an operator is picked; a clock marks those who already have a schedule.
import { useEffect, useId, useState } from "preact/hooks";
import { displayName, isForbidden, listMembers, operators as fetchOperators, setSchedule, type Operator } from "../api";
import { OperatorBadge, scheduleText } from "../dialogs/Operators";
import { formatDate } from "../format";
import { HoursGrid } from "../HoursGrid";
import { useI18n } from "../i18n";
import { IconInfo } from "../icons";
import type { TabProps } from "../Settings";
import { Alert, errorText, LoadError, Loading, useSave } from "../ui";
import { fillHours, normalizeHours, type Hours } from "../widgetSettings";

/** The next day as YYYY-MM-DD in the project's time zone. */
function tomorrow(tz: string): string {
  const d = new Date(Date.now() + 86_400_000);
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
  } catch {
    return d.toISOString().slice(0, 10);
  }
}

export function SchedulesCard({ project, reloadKey }: TabProps & { reloadKey?: number }) {
  const { t, lang } = useI18n();
  const [ops, setOps] = useState<Operator[] | null>(null);
  const [known, setKnown] = useState(true);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [hours, setHours] = useState<Hours>(fillHours(false));
  const [touched, setTouched] = useState(false);
  const [err, setErr] = useState("");
  const [done, setDone] = useState("");
  const save = useSave();
  const base = useId();

  async function load() {
    setLoadErr(null);
    try {
      setOps(await fetchOperators(project.id));
      setKnown(true);
    } catch (e) {
      if (!isForbidden(e)) return setLoadErr(e);
      // «Настройка проекта» may set schedules but not read the operators list (it is part of
      // Dialogs): build the list from the team, without the current schedules.
      try {
        const members = await listMembers(project.id);
        setOps(
          members
            .filter((m) => m.accesses.includes("operator"))
            .map((m) => ({ user_id: m.user_id, name: displayName(m), email: m.email, online: false, schedule: null, schedule_from: null })),
        );
        setKnown(false);
      } catch (e2) {
        setLoadErr(e2);
      }
    }
  }
  useEffect(() => {
    load();
  }, [project.id, reloadKey]);

  function toggle(id: string, on: boolean) {
    const next = on ? [...picked, id] : picked.filter((x) => x !== id);
    setPicked(next);
    setDone("");
    // The first operator picked shows their current schedule until the grid is painted.
    if (!touched) {
      const first = ops?.find((o) => o.user_id === next[0]);
      setHours(first?.schedule ? normalizeHours(first.schedule) : fillHours(false));
    }
    if (!next.length) setTouched(false);
  }

  async function put(schedule: Hours | null) {
    setErr("");
    setDone("");
    try {
      await save.run(async () => {
        const list = await setSchedule(project.id, picked, schedule);
        setOps(list);
        setKnown(true);
      });
      setDone(schedule ? t("ops.saved", { DATE: formatDate(tomorrow(project.timezone), lang, "UTC") }) : t("ops.removed"));
      setTouched(false);
    } catch (e) {
      setErr(errorText(e, t));
    }
  }

  const selectedOps = (ops || []).filter((o) => picked.includes(o.user_id));
  return (
    <section class="card section" id="schedules" aria-labelledby="schedules-title">
      <div class="section-head">
        <h3 id="schedules-title">{t("ops.sectionTitle")}</h3>
        <p class="muted small">{t("ops.sectionLead")}</p>
      </div>
      {loadErr ? (
        <LoadError err={loadErr} onRetry={load} />
      ) : ops === null ? (
        <Loading />
      ) : ops.length === 0 ? (
        <p class="note">{t("ops.none")}</p>
      ) : (
        <div class="sched">
          <div class="sched-list">
            <div class="sched-list-head">
              <span class="muted small">{t("ops.selected", { N: String(picked.length) })}</span>
              <button
                type="button"
                class="link-btn"
                onClick={() => {
                  const all = picked.length === ops.length ? [] : ops.map((o) => o.user_id);
                  setPicked(all);
                  if (!all.length) setTouched(false);
                }}
              >
                {t("ops.selectAll")}
              </button>
            </div>
            <ul class="sched-ops" aria-label={t("ops.title")}>
              {ops.map((o) => {
                const id = base + o.user_id;
                const on = picked.includes(o.user_id);
                return (
                  <li class={on ? "on" : ""}>
                    <input id={id} type="checkbox" checked={on} onChange={(e) => toggle(o.user_id, e.currentTarget.checked)} />
                    <label for={id}>
                      <span class="sched-name">{o.name || o.email}</span>
                      <span class="muted small sched-text">{o.schedule ? scheduleText(o, t, lang) : known ? t("ops.noSchedule") : o.email}</span>
                    </label>
                    <OperatorBadge o={o} />
                  </li>
                );
              })}
            </ul>
            {!known && <p class="muted small">{t("ops.unknown")}</p>}
          </div>
          <div class="sched-grid">
            {done && <Alert kind="ok">{done}</Alert>}
            {err && <Alert>{err}</Alert>}
            <HoursGrid
              value={hours}
              onChange={(h) => {
                setHours(h);
                setTouched(true);
                setDone("");
              }}
              label={t("ops.grid")}
              disabled={!picked.length}
            />
            <p class="note">
              <IconInfo />
              <span>{picked.length ? t("ops.nextDay") : t("ops.pickFirst")}</span>
            </p>
            <div class="form-actions">
              <button type="button" class="btn btn-primary" disabled={!picked.length || save.state === "busy"} onClick={() => put(hours)}>
                {save.state === "busy" ? t("common.saving") : t("ops.save")}
              </button>
              {selectedOps.some((o) => o.schedule) && (
                <button type="button" class="btn btn-secondary btn-danger-text" disabled={save.state === "busy"} onClick={() => put(null)}>
                  {t("ops.remove")}
                </button>
              )}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
