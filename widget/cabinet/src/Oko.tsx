// /oko — ОКО, the customers' ratings of their dialogs (§11): for a period of local dates in the
// project's time zone, the average and how many of each score, per operator and per channel;
// the comments, newest first and paged, each opening its dialog in Диалоги.
import { useEffect, useState } from "preact/hooks";
import { CHANNELS, isForbidden, ratingComments, ratingSummary, type Channel, type Rating, type RatingFigures, type RatingSummary } from "./api";
import { formatDateTime } from "./format";
import { useI18n, type Key } from "./i18n";
import { IconStar } from "./icons";
import { linkClick } from "./nav";
import { dialogsPath } from "./routes";
import { useProjects } from "./state";
import { DateRange, errorText, LoadError, Loading, NoProject, Refusal } from "./ui";

type Period = { from?: string; to?: string };
type Load =
  | { state: "loading" }
  | { state: "forbidden" }
  | { state: "error"; err: unknown }
  | { state: "ok"; summary: RatingSummary; comments: Rating[]; next: string | null };

/** An average as «4,3» / «4.3», or a dash without ratings. */
export function averageText(f: RatingFigures, lang: string): string {
  return f.average == null ? "—" : f.average.toLocaleString(lang === "en" ? "en-GB" : "ru-RU", { maximumFractionDigits: 2 });
}

/** Five stars, the first `n` lit, read out as «Оценка n из 5». */
function Stars({ n, label }: { n: number; label: string }) {
  return (
    <span class="stars" role="img" aria-label={label}>
      {[1, 2, 3, 4, 5].map((i) => (
        <span class={i <= n ? "on" : ""} aria-hidden="true">
          ★
        </span>
      ))}
    </span>
  );
}

export function OkoPage() {
  const { t, lang } = useI18n();
  const { list, current } = useProjects();
  const [period, setPeriod] = useState<Period>({});
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [more, setMore] = useState("");

  async function fetchAll(pid: string, p: Period) {
    setLoad({ state: "loading" });
    try {
      const [summary, page] = await Promise.all([ratingSummary(pid, p), ratingComments(pid, p)]);
      setLoad({ state: "ok", summary, comments: page.ratings, next: page.next });
    } catch (e) {
      setLoad(isForbidden(e) ? { state: "forbidden" } : { state: "error", err: e });
    }
  }
  useEffect(() => {
    if (current) fetchAll(current.id, period);
  }, [current?.id, period.from, period.to]);

  async function showMore() {
    if (!current || load.state !== "ok" || !load.next) return;
    setMore("busy");
    try {
      const r = await ratingComments(current.id, period, load.next);
      setLoad({ ...load, comments: [...load.comments, ...r.ratings], next: r.next });
      setMore("");
    } catch (e) {
      setMore(errorText(e, t));
    }
  }

  if (list === null) return <Loading />;
  if (!current) {
    return <NoProject icon={<IconStar />} />;
  }
  if (load.state === "forbidden") return <Refusal title={t("oko.forbidden")} text={t("oko.forbiddenText")} />;

  const channel = (c: string) => ((CHANNELS as string[]).includes(c) ? t(("channel." + (c as Channel)) as Key) : c);
  const shown = load.state === "ok" ? load.summary : null;
  const from = period.from || shown?.from || "";
  const to = period.to || shown?.to || "";
  const operatorName = (id: string | null) =>
    shown?.operators.find((o) => o.operator_id === id)?.name || (id ? "—" : t("oko.nobody"));

  return (
    <section class="card section" aria-labelledby="oko-title">
      <div class="section-head">
        <h2 id="oko-title">{current.name}</h2>
        <p class="muted small">{t("oko.lead")}</p>
      </div>
      <form class="journal-filters" onSubmit={(e) => e.preventDefault()} aria-label={t("oko.period")}>
        <div class="toolbar">
          <DateRange from={from} to={to} onChange={(end, v) => setPeriod((p) => ({ ...p, [end]: v || undefined }))} />
        </div>
      </form>
      {load.state === "loading" ? (
        <Loading />
      ) : load.state === "error" ? (
        <LoadError err={load.err} onRetry={() => fetchAll(current.id, period)} />
      ) : (
        <div class="stack">
          <div class="stats">
            <section class="card stat" data-testid="oko-average">
              <h3>{t("oko.average")}</h3>
              <p class="stat-value">
                {averageText(load.summary.total, lang)} <span class="star-on" aria-hidden="true">★</span>
              </p>
              <p class="muted small">{load.summary.total.count ? t("oko.count", { N: String(load.summary.total.count) }) : t("oko.none")}</p>
            </section>
            <section class="card stat" data-testid="oko-distribution">
              <h3>{t("oko.distribution")}</h3>
              <ul class="bars">
                {[5, 4, 3, 2, 1].map((n) => {
                  const c = load.summary.total.distribution[n - 1] || 0;
                  const pct = load.summary.total.count ? Math.round((c / load.summary.total.count) * 100) : 0;
                  return (
                    <li data-score={n}>
                      <span>{t("oko.stars", { N: String(n) })}</span>
                      <span class="bar" aria-hidden="true">
                        <span style={{ width: pct + "%" }} />
                      </span>
                      <b>{c}</b>
                    </li>
                  );
                })}
              </ul>
            </section>
          </div>
          <div class="stats">
            <Breakdown
              title={t("oko.byOperator")}
              column={t("oko.operator")}
              testid="oko-operators"
              rows={load.summary.operators.map((o) => ({ key: o.operator_id || "-", name: o.name || (o.operator_id ? "—" : t("oko.nobody")), f: o.figures }))}
            />
            <Breakdown
              title={t("oko.byChannel")}
              column={t("oko.channel")}
              testid="oko-channels"
              rows={load.summary.channels.map((c) => ({ key: c.channel, name: channel(c.channel), f: c.figures }))}
            />
          </div>
          <section class="card section" data-testid="oko-comments" aria-labelledby="oko-comments-title">
            <h3 id="oko-comments-title">{t("oko.comments")}</h3>
            {load.comments.length === 0 ? (
              <p class="muted small">{t("oko.noComments")}</p>
            ) : (
              <ul class="comments">
                {load.comments.map((r) => (
                  <li>
                    <div class="comment-head">
                      <Stars n={r.score} label={t("oko.score", { N: String(r.score) })} />
                      <span class="muted small">
                        {formatDateTime(r.first_at, lang, load.summary.timezone)} · {channel(r.channel)} · {operatorName(r.operator_id)}
                      </span>
                    </div>
                    <p class="comment-text">{r.comment}</p>
                    <a class="small" href={dialogsPath("archive", r.dialog_id)} onClick={linkClick}>
                      {t("oko.openDialog")}
                    </a>
                  </li>
                ))}
              </ul>
            )}
            {load.next && (
              <button type="button" class="btn btn-secondary" disabled={more === "busy"} onClick={showMore}>
                {t("oko.more")}
              </button>
            )}
            {more && more !== "busy" && <p class="error small">{more}</p>}
          </section>
        </div>
      )}
    </section>
  );
}

function Breakdown({ title, column, testid, rows }: { title: string; column: string; testid: string; rows: { key: string; name: string; f: RatingFigures }[] }) {
  const { t, lang } = useI18n();
  return (
    <section class="card stat" data-testid={testid}>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p class="muted small">{t("oko.none")}</p>
      ) : (
        <table class="table compact">
          <thead>
            <tr>
              <th scope="col">{column}</th>
              <th scope="col">{t("oko.ratings")}</th>
              <th scope="col">{t("oko.avg")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-key={r.key}>
                <td data-label={column}>{r.name}</td>
                <td data-label={t("oko.ratings")}>{r.f.count}</td>
                <td data-label={t("oko.avg")}>{averageText(r.f, lang)} ★</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
