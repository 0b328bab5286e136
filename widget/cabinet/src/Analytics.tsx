// /analytics — Аналитика (§11): for a period of local days of the project (7, 30, 90 days or
// chosen dates), requests per day by source, dialogs by hour of day and day of week, the
// first-response time (median and 90%) and its trend, missed dialogs, and per operator the
// dialogs, messages, first-response time and time online. The charts come from a bundle of
// their own (uPlot), loaded when the page opens.
import { useEffect, useRef, useState } from "preact/hooks";
import { analytics, CHANNELS, isForbidden, type Analytics, type Channel } from "./api";
import { loadCharts, type ChartSpec } from "./chartSpec";
import { useI18n, type Key, type T } from "./i18n";
import { IconAnalytics } from "./icons";
import { useProjects } from "./state";
import { DateRange, LoadError, Loading, NoProject, Refusal } from "./ui";

type Load = { state: "loading" } | { state: "forbidden" } | { state: "error"; err: unknown } | { state: "ok"; data: Analytics };

const PRESETS = [7, 30, 90] as const;
const COLORS: Record<string, string> = {
  chat: "#2563eb",
  form: "#16a34a",
  callback: "#f59e0b",
  telegram: "#0ea5e9",
  vk: "#6366f1",
  viber: "#8b5cf6",
};

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The period of the last `days` days up to today (local dates of this browser). */
function lastDays(days: number): { from: string; to: string } {
  const to = new Date();
  const utc = new Date(Date.UTC(to.getFullYear(), to.getMonth(), to.getDate()));
  const from = new Date(utc.getTime() - (days - 1) * 86_400_000);
  return { from: iso(from), to: iso(utc) };
}

/** A duration as «42 с», «3 мин», «1 ч 20 мин». */
export function duration(secs: number, t: T): string {
  if (secs < 60) return secs + " " + t("journal.sec");
  const m = Math.floor(secs / 60);
  if (m < 60) return m + " " + t("journal.min");
  return Math.floor(m / 60) + " " + t("journal.hour") + (m % 60 ? " " + (m % 60) + " " + t("journal.min") : "");
}

function Chart({ spec, testid }: { spec: ChartSpec; testid: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let destroy: (() => void) | undefined;
    let gone = false;
    loadCharts().then(
      (c) => {
        if (!gone && box.current) destroy = c.draw(box.current, spec);
      },
      () => setFailed(true),
    );
    return () => {
      gone = true;
      destroy?.();
    };
  }, [JSON.stringify(spec)]);
  const { t } = useI18n();
  return failed ? <p class="muted small">{t("analytics.chartsFailed")}</p> : <div class="chart" ref={box} data-testid={testid} style={{ minHeight: spec.height + "px" }} />;
}

export function AnalyticsPage() {
  const { t, lang } = useI18n();
  const { list, current } = useProjects();
  const [period, setPeriod] = useState(() => ({ preset: 30 as number | null, ...lastDays(30) }));
  const [load, setLoad] = useState<Load>({ state: "loading" });

  async function fetchFigures(pid: string) {
    setLoad({ state: "loading" });
    try {
      setLoad({ state: "ok", data: await analytics(pid, period.from, period.to) });
    } catch (e) {
      setLoad(isForbidden(e) ? { state: "forbidden" } : { state: "error", err: e });
    }
  }
  useEffect(() => {
    if (current && period.from && period.to && period.from <= period.to) fetchFigures(current.id);
  }, [current?.id, period.from, period.to]);

  if (list === null) return <Loading />;
  if (!current) {
    return <NoProject icon={<IconAnalytics />} />;
  }
  if (load.state === "forbidden") return <Refusal title={t("analytics.forbidden")} text={t("journal.forbiddenText")} />;

  const channel = (c: string) => ((CHANNELS as string[]).includes(c) ? t(("channel." + (c as Channel)) as Key) : c);
  const time = (v: number | null) => (v == null ? "—" : "≤ " + duration(v, t));
  const dayLabel = (d: string) => d.slice(8, 10) + "." + d.slice(5, 7);
  const picker = (
    <form class="toolbar analytics-period" onSubmit={(e) => e.preventDefault()} aria-label={t("analytics.period")}>
      <div class="segmented" role="group" aria-label={t("analytics.period")}>
        {PRESETS.map((n) => (
          <button type="button" class={"btn " + (period.preset === n ? "btn-primary" : "btn-secondary")} aria-pressed={period.preset === n} onClick={() => setPeriod({ preset: n, ...lastDays(n) })}>
            {t("analytics.days", { N: String(n) })}
          </button>
        ))}
      </div>
      <DateRange from={period.from} to={period.to} onChange={(end, v) => setPeriod({ ...period, preset: null, [end]: v })} />
    </form>
  );
  const head = (
    <div class="section-head">
      <h2 id="analytics-title">{current.name}</h2>
      <p class="muted small">{t("analytics.lead")}</p>
    </div>
  );
  if (load.state !== "ok") {
    return (
      <section class="card section" aria-labelledby="analytics-title">
        {head}
        {picker}
        {load.state === "loading" ? <Loading /> : <LoadError err={load.err} onRetry={() => fetchFigures(current.id)} />}
      </section>
    );
  }
  const a = load.data;
  const labels = a.days.map((d) => dayLabel(d.day));
  const sources = a.by_source.map((s) => String(s.source));
  const perDay: ChartSpec = {
    kind: "line",
    labels,
    height: 240,
    unit: "count",
    series: [
      ...sources.map((s) => ({ label: channel(s), color: COLORS[s] || "#475569", values: a.days.map((d) => d.requests.find((r) => r.source === s)?.count ?? 0) })),
      { label: t("analytics.missed"), color: "#dc2626", dash: true, values: a.days.map((d) => d.missed) },
    ],
  };
  // Seconds while every day's answers came within two minutes, minutes beyond.
  const inMinutes = a.days.some((d) => (d.p90 ?? 0) > 120);
  const scaled = (v: number | null) => (v == null ? null : inMinutes ? Math.round((v / 60) * 10) / 10 : v);
  const response: ChartSpec = {
    kind: "line",
    labels,
    height: 240,
    unit: "duration",
    series: [
      { label: t(inMinutes ? "analytics.p50min" : "analytics.p50sec"), color: "#2563eb", values: a.days.map((d) => scaled(d.p50)) },
      { label: t(inMinutes ? "analytics.p90min" : "analytics.p90sec"), color: "#f59e0b", values: a.days.map((d) => scaled(d.p90)) },
    ],
  };
  const hours: ChartSpec = {
    kind: "bars",
    labels: a.by_hour.map((_, h) => String(h).padStart(2, "0")),
    height: 200,
    unit: "count",
    series: [{ label: t("analytics.requests"), color: "#2563eb", values: a.by_hour }],
  };
  const weekdayNames = Array.from({ length: 7 }, (_, i) => new Date(Date.UTC(2026, 0, 5 + i)).toLocaleDateString(lang, { weekday: "short", timeZone: "UTC" }));
  const weekdays: ChartSpec = {
    kind: "bars",
    labels: weekdayNames,
    height: 200,
    unit: "count",
    series: [{ label: t("analytics.requests"), color: "#16a34a", values: a.by_weekday }],
  };
  return (
    <div class="stack analytics">
      <section class="card section" aria-labelledby="analytics-title">
        {head}
        {picker}
        <div class="stats">
          <div class="stat" data-testid="analytics-total">
            <h3>{t("analytics.requests")}</h3>
            <p class="stat-value">{a.total}</p>
            <ul class="stat-list">
              {a.by_source.map((s) => (
                <li data-source={String(s.source)}>
                  <span>{channel(String(s.source))}</span>
                  <b>{s.count}</b>
                </li>
              ))}
            </ul>
          </div>
          <div class="stat" data-testid="analytics-answered">
            <h3>{t("analytics.answered")}</h3>
            <p class="stat-value">{a.answered}</p>
            <p class="muted small">{t("analytics.missedN", { N: String(a.missed) })}</p>
          </div>
          <div class="stat" data-testid="analytics-response">
            <h3>{t("analytics.firstResponse")}</h3>
            <p class="stat-value">{time(a.p50)}</p>
            <p class="muted small">{t("analytics.p90", { TIME: time(a.p90) })}</p>
          </div>
        </div>
      </section>
      <div class="chart-grid">
        <section class="card section chart-card">
          <h3>{t("analytics.perDay")}</h3>
          <Chart spec={perDay} testid="chart-days" />
        </section>
        <section class="card section chart-card">
          <h3>{t("analytics.responseTrend")}</h3>
          <Chart spec={response} testid="chart-response" />
        </section>
        <section class="card section chart-card">
          <h3>{t("analytics.byHour")}</h3>
          <Chart spec={hours} testid="chart-hours" />
        </section>
        <section class="card section chart-card">
          <h3>{t("analytics.byWeekday")}</h3>
          <Chart spec={weekdays} testid="chart-weekdays" />
        </section>
      </div>
      <section class="card section" aria-labelledby="analytics-operators">
        <h3 id="analytics-operators">{t("analytics.operators")}</h3>
        <div class="table-wrap">
          <table class="table analytics-operators" data-testid="analytics-operators">
            <thead>
              <tr>
                <th scope="col">{t("journal.col.operator")}</th>
                <th scope="col">{t("analytics.col.dialogs")}</th>
                <th scope="col">{t("analytics.col.messages")}</th>
                <th scope="col">{t("analytics.firstResponse")}</th>
                <th scope="col">{t("analytics.col.online")}</th>
                <th scope="col">{t("analytics.col.rating")}</th>
              </tr>
            </thead>
            <tbody>
              {a.operators.length === 0 ? (
                <tr>
                  <td colSpan={6} class="table-empty muted">
                    {t("analytics.noOperators")}
                  </td>
                </tr>
              ) : (
                a.operators.map((o) => (
                  <tr data-operator={o.user_id}>
                    <td data-label={t("journal.col.operator")}>{o.name || "—"}</td>
                    <td class="num" data-label={t("analytics.col.dialogs")}>{o.dialogs}</td>
                    <td class="num" data-label={t("analytics.col.messages")}>{o.messages}</td>
                    <td class="num" data-label={t("analytics.firstResponse")}>{time(o.p50)}</td>
                    <td class="num" data-label={t("analytics.col.online")}>{duration(o.online_secs, t)}</td>
                    <td class="num" data-label={t("analytics.col.rating")}>
                      {o.rating == null ? "—" : t("analytics.ratingOf", { AVG: o.rating.toFixed(1), N: String(o.ratings) })}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <p class="muted small">{t("analytics.note", { TZ: a.timezone })}</p>
      </section>
    </div>
  );
}
