import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { displayName } from "./api";
import { Avatar } from "./Avatar";
import { useI18n, type Key } from "./i18n";
import { AnalyticsPage } from "./Analytics";
import { IconAnalytics, IconClose, IconDashboard, IconDialogs, IconJournal, IconLogout, IconMenu, IconSettings, IconStar, Logo } from "./icons";
import { DashboardPage } from "./Dashboard";
import { DialogsPage } from "./Dialogs";
import { JournalPage } from "./Journal";
import { LangSwitch } from "./LangSwitch";
import { OkoPage } from "./Oko";
import { LiveContext, useLiveConnection } from "./live";
import { linkClick, navigate } from "./nav";
import { ProfilePage } from "./Profile";
import { CreateProjectDialog, Invitations, ProjectSwitcher } from "./Projects";
import { allowedSections, fallbackSection, SECTIONS, sectionPath, type Route, type Section } from "./routes";
import { SettingsPage } from "./Settings";
import { ProjectsContext, useProjectsState, useSession } from "./state";

const ICONS: Record<Section, () => JSX.Element> = {
  dashboard: IconDashboard,
  journal: IconJournal,
  dialogs: IconDialogs,
  analytics: IconAnalytics,
  oko: IconStar,
  settings: IconSettings,
};

export function Shell({ route, onLogout }: { route: Route; onLogout: () => void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const projects = useProjectsState();
  const live = useLiveConnection(projects.current, user);
  const [creating, setCreating] = useState(false);
  // On a phone the menu is a drawer behind a button; it closes on every move.
  const [menuOpen, setMenuOpen] = useState(false);
  const current = route.kind === "section" ? route.section : null;
  useEffect(() => setMenuOpen(false), [location.pathname]);
  // The menu shows what the member's accesses open here; a link (from a mail, say) to a
  // section they may not open leads to what they may see.
  const allowed = allowedSections(projects.list === null ? null : projects.current ? projects.current.accesses : null);
  const closed = projects.list !== null && current !== null && !allowed.includes(current);
  useEffect(() => {
    if (closed) navigate(sectionPath(fallbackSection(allowed)), true);
  }, [closed]);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setMenuOpen(false);
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [menuOpen]);
  const title = route.kind === "profile" ? t("page.profile") : current ? t(("page." + current) as Key) : t("page.notFound");
  document.title = title + " · " + t("brand");

  let content;
  if (route.kind === "profile") content = <ProfilePage />;
  else if (current === "dashboard") content = <DashboardPage user={user} />;
  else if (current === "settings") content = <SettingsPage onCreate={() => setCreating(true)} />;
  else if (current === "journal") content = <JournalPage />;
  else if (current === "dialogs") content = <DialogsPage />;
  else if (current === "analytics") content = <AnalyticsPage />;
  else if (current === "oko") content = <OkoPage />;
  else content = <Empty section={current} />;

  return (
    <ProjectsContext.Provider value={projects}>
      <LiveContext.Provider value={live}>
        <div class={"shell" + (current === "dialogs" ? " shell-dialogs" : "") + (menuOpen ? " menu-open" : "")}>
          {menuOpen && <div class="side-backdrop" onClick={() => setMenuOpen(false)} />}
          <aside class="side" id="side-menu">
            <button type="button" class="btn btn-ghost btn-icon side-close" aria-label={t("shell.menuClose")} title={t("shell.menuClose")} onClick={() => setMenuOpen(false)}>
              <IconClose />
            </button>
            <div class="brand side-brand">
              <Logo size={32} />
              <span>{t("brand")}</span>
            </div>
            <ProjectSwitcher onCreate={() => setCreating(true)} />
            <nav aria-label={t("nav.label")}>
              <ul class="menu">
                {SECTIONS.filter((s) => allowed.includes(s.id)).map((s) => {
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
              <button
                type="button"
                class="btn btn-ghost btn-icon menu-btn"
                aria-label={t("shell.menu")}
                title={t("shell.menu")}
                aria-expanded={menuOpen}
                aria-controls="side-menu"
                onClick={() => setMenuOpen(!menuOpen)}
              >
                <IconMenu />
              </button>
              <h1 class="top-title">{title}</h1>
              <div class="user" role="group" aria-label={t("shell.account")}>
                <a
                  href="/profile"
                  class="user-link"
                  onClick={linkClick}
                  title={t("shell.profile")}
                  aria-current={route.kind === "profile" ? "page" : undefined}
                >
                  <Avatar user={user} />
                  <span class="user-text">
                    {displayName(user) !== user.email && <span class="user-name">{displayName(user)}</span>}
                    <span class="user-email">{user.email}</span>
                  </span>
                </a>
                <button type="button" class="btn btn-ghost btn-icon" onClick={onLogout} title={t("shell.logout")} aria-label={t("shell.logout")}>
                  <IconLogout />
                </button>
              </div>
            </header>
            <main class="content">
              <Invitations />
              {content}
            </main>
          </div>
        </div>
        {creating && <CreateProjectDialog onClose={() => setCreating(false)} />}
      </LiveContext.Provider>
    </ProjectsContext.Provider>
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
