import type { JSX } from "preact";
import { displayName, initials, type User } from "./api";
import { useI18n, type Key } from "./i18n";
import { IconDashboard, IconDialogs, IconJournal, IconLogout, IconSettings, Logo } from "./icons";
import { LangSwitch } from "./LangSwitch";
import { linkClick } from "./nav";
import { SECTIONS, type Route, type Section } from "./routes";

const ICONS: Record<Section, () => JSX.Element> = {
  dashboard: IconDashboard,
  journal: IconJournal,
  dialogs: IconDialogs,
  settings: IconSettings,
};

export function Shell({ user, route, onLogout }: { user: User; route: Route; onLogout: () => void }) {
  const { t } = useI18n();
  const current = route.kind === "section" ? route.section : null;
  const title = current ? t(("page." + current) as Key) : t("page.notFound");
  document.title = title + " · " + t("brand");

  return (
    <div class="shell">
      <aside class="side">
        <div class="brand side-brand">
          <Logo size={32} />
          <span>{t("brand")}</span>
        </div>
        <nav aria-label={t("nav.label")}>
          <ul class="menu">
            {SECTIONS.map((s) => {
              const Icon = ICONS[s.id];
              return (
                <li>
                  <a href={s.path} onClick={linkClick} aria-current={s.id === current ? "page" : undefined}>
                    <Icon />
                    <span>{t(("nav." + s.id) as Key)}</span>
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <div class="side-foot">
          <LangSwitch />
        </div>
      </aside>
      <div class="main">
        <header class="top">
          <h1 class="top-title">{title}</h1>
          <div class="user" aria-label={t("shell.account")}>
            <span class="avatar" aria-hidden="true">
              {initials(user)}
            </span>
            <span class="user-text">
              {displayName(user) !== user.email && <span class="user-name">{displayName(user)}</span>}
              <span class="user-email">{user.email}</span>
            </span>
            <button type="button" class="btn btn-ghost btn-icon" onClick={onLogout} title={t("shell.logout")} aria-label={t("shell.logout")}>
              <IconLogout />
            </button>
          </div>
        </header>
        <main class="content">{current ? <SectionPage section={current} user={user} /> : <Empty section={null} />}</main>
      </div>
    </div>
  );
}

function SectionPage({ section, user }: { section: Section; user: User }) {
  const { t } = useI18n();
  if (section !== "dashboard") return <Empty section={section} />;
  const name = user.first_name?.trim() || displayName(user);
  return (
    <div class="stack">
      <section class="card hero">
        <h2>{t("dashboard.hello", { NAME: name })}</h2>
        <p class="muted">{t("dashboard.lead")}</p>
      </section>
      <div class="stats">
        {(["dashboard.requests", "dashboard.open", "dashboard.online"] as Key[]).map((k) => (
          <section class="card stat">
            <h3>{t(k)}</h3>
            <p class="stat-value">—</p>
            <p class="muted small">{t("dashboard.noData")}</p>
          </section>
        ))}
      </div>
    </div>
  );
}

function Empty({ section }: { section: Section | null }) {
  const { t } = useI18n();
  const Icon = section ? ICONS[section] : IconDashboard;
  return (
    <section class="card empty">
      <div class="empty-icon">
        <Icon />
      </div>
      <h2>{section ? t("empty.soon") : t("page.notFound")}</h2>
      <p class="muted">{section ? t(("empty." + section) as Key) : t("empty.notFound")}</p>
    </section>
  );
}
