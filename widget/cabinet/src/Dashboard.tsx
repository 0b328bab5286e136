// / — the Панель (§11): today's and this week's requests by source, open and unanswered
// dialogs, operators online now, this week's average rating (ОКО), from one call; refreshed on every realtime frame and every
// 30 s. An empty project is told how to start: install the script, connect a messenger.
import { useEffect, useState } from "preact/hooks";
import { CHANNELS, dashboard, displayName, isForbidden, type Channel, type Dashboard, type User } from "./api";
import { useI18n, type Key } from "./i18n";
import { useLive } from "./live";
import { linkClick } from "./nav";
import { averageText } from "./Oko";
import { useProjects } from "./state";
import { LoadError, Loading } from "./ui";

type Load = { state: "loading" } | { state: "forbidden" } | { state: "error"; err: unknown } | { state: "ok"; data: Dashboard };

export function DashboardPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const { list, current } = useProjects();
  const live = useLive();
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const name = user.first_name?.trim() || displayName(user);

  async function refresh(pid: string, quiet: boolean) {
    if (!quiet) setLoad({ state: "loading" });
    try {
      setLoad({ state: "ok", data: await dashboard(pid) });
    } catch (e) {
      if (!quiet) setLoad(isForbidden(e) ? { state: "forbidden" } : { state: "error", err: e });
    }
  }
  useEffect(() => {
    if (!current) return;
    const pid = current.id;
    refresh(pid, false);
    const timer = setInterval(() => refresh(pid, true), 30_000);
    // A burst of frames (a chat's messages) is one refresh.
    let pending: ReturnType<typeof setTimeout> | undefined;
    const off = live?.onFrame(() => {
      clearTimeout(pending);
      pending = setTimeout(() => refresh(pid, true), 500);
    });
    return () => {
      clearInterval(timer);
      clearTimeout(pending);
      off?.();
    };
  }, [current?.id, live]);

  const hero = (
    <section class="card hero">
      <h2>{t("dashboard.hello", { NAME: name })}</h2>
      <p class="muted">{current ? t("dashboard.lead") : t("project.emptyText")}</p>
    </section>
  );
  if (list === null) return <Loading />;
  if (!current) return <div class="stack">{hero}</div>;
  if (load.state === "loading") return <div class="stack">{hero}<Loading /></div>;
  if (load.state === "error") return <div class="stack">{hero}<LoadError err={load.err} onRetry={() => refresh(current.id, false)} /></div>;
  if (load.state === "forbidden") {
    return (
      <div class="stack">
        {hero}
        <p class="muted">{t("dashboard.forbidden")}</p>
      </div>
    );
  }
  const d = load.data;
  const total = (xs: Dashboard["today"]) => xs.reduce((n, x) => n + x.count, 0);
  const label = (s: string) => ((CHANNELS as string[]).includes(s) ? t(("channel." + (s as Channel)) as Key) : s);
  const bySource = (xs: Dashboard["today"]) =>
    xs.length === 0 ? (
      <p class="muted small">{t("dashboard.none")}</p>
    ) : (
      <ul class="stat-list">
        {xs.map((x) => (
          <li data-source={x.source}>
            <span>{label(x.source)}</span>
            <b>{x.count}</b>
          </li>
        ))}
      </ul>
    );
  const empty = d.week.length === 0 && d.open === 0;
  return (
    <div class="stack">
      {hero}
      {empty && (
        <section class="card section start" data-testid="dashboard-start">
          <h3>{t("dashboard.startTitle")}</h3>
          <ol class="start-steps">
            <li>
              <a href="/settings#main-snippet" onClick={linkClick}>{t("dashboard.startScript")}</a>
              <span class="muted small"> — {t("dashboard.startScriptText")}</span>
            </li>
            <li>
              <a href="/settings/integrations" onClick={linkClick}>{t("dashboard.startMessenger")}</a>
              <span class="muted small"> — {t("dashboard.startMessengerText")}</span>
            </li>
          </ol>
        </section>
      )}
      <div class="stats">
        <section class="card stat" data-testid="stat-today">
          <h3>{t("dashboard.requests")}</h3>
          <p class="stat-value">{total(d.today)}</p>
          {bySource(d.today)}
        </section>
        <section class="card stat" data-testid="stat-week">
          <h3>{t("dashboard.week")}</h3>
          <p class="stat-value">{total(d.week)}</p>
          {bySource(d.week)}
        </section>
        <section class="card stat" data-testid="stat-open">
          <h3>{t("dashboard.open")}</h3>
          <p class="stat-value">{d.open}</p>
          <p class="muted small">{t("dashboard.unanswered", { N: String(d.unanswered) })}</p>
        </section>
        <section class="card stat" data-testid="stat-online">
          <h3>{t("dashboard.online")}</h3>
          <p class="stat-value">{d.online.length}</p>
          <p class="muted small">{d.online.length ? d.online.map((o) => o.name || "—").join(", ") : t("dashboard.nobodyOnline")}</p>
        </section>
        <section class="card stat" data-testid="stat-rating">
          <h3>{t("dashboard.rating")}</h3>
          <p class="stat-value">
            {averageText(d.rating, lang)} {d.rating.count > 0 && <span class="star-on" aria-hidden="true">★</span>}
          </p>
          <p class="muted small">{d.rating.count ? t("dashboard.ratingCount", { N: String(d.rating.count) }) : t("dashboard.noRating")}</p>
        </section>
      </div>
    </div>
  );
}
