// /settings — project settings (§2–§5, §8–§10): tabs Основные, Чат на сайте, Команда, Уведомления,
// Черный список, Расширенные, Синхронизации, Тариф.
import { useEffect, useId, useRef, useState } from "preact/hooks";
import {
  canManage,
  getProject,
  isForbidden,
  spheres as loadSpheres,
  timezones as loadTimezones,
  updateProject,
  type Access,
  type Project,
  type Sphere,
} from "./api";
import { isValidDomain, normalizeDomain } from "./format";
import { useI18n, type Key } from "./i18n";
import { IconCheck, IconCopy, IconFolder, IconPlus, IconTrash } from "./icons";
import { navigate, usePath } from "./nav";
import { settingsPath, settingsTab, type SettingsTab } from "./routes";
import { sphereName } from "./Projects";
import { AdvancedTab } from "./settings/Advanced";
import { BlacklistTab } from "./settings/Blacklist";
import { IntegrationsTab } from "./settings/Integrations";
import { NotificationsTab } from "./settings/Notifications";
import { TariffTab } from "./settings/Tariff";
import { TeamTab } from "./settings/Team";
import { WidgetTab } from "./settings/Widget";
import { useProjects } from "./state";
import {
  CopyButton,
  errorFor,
  errorText,
  Field,
  FormAlert,
  focusField,
  LoadError,
  Loading,
  Refusal,
  SavedNote,
  SaveButton,
  Tabs,
  TextField,
  TimezoneSelect,
  toFormError,
  useCopy,
  useSave,
  type FormError,
} from "./ui";

const TABS: { id: SettingsTab; title: Key }[] = [
  { id: "main", title: "settings.tab.main" },
  { id: "widget", title: "settings.tab.widget" },
  { id: "team", title: "settings.tab.team" },
  { id: "notifications", title: "settings.tab.notifications" },
  { id: "blacklist", title: "settings.tab.blacklist" },
  { id: "advanced", title: "settings.tab.advanced" },
  { id: "integrations", title: "settings.tab.integrations" },
  { id: "tariff", title: "settings.tab.tariff" },
];

/** What every tab gets: the project, the signed-in user's accesses in it, and a way to update it. */
export interface TabProps {
  project: Project;
  accesses: Access[];
  setProject: (p: Project) => void;
}

type Load = { state: "loading" } | { state: "forbidden" } | { state: "error"; err: unknown } | { state: "ok"; project: Project; accesses: Access[] };

export function SettingsPage({ onCreate }: { onCreate: () => void }) {
  const { t } = useI18n();
  const path = usePath();
  const tab = settingsTab(path) || "main";
  const { list, current, reload } = useProjects();
  const [load, setLoad] = useState<Load>({ state: "loading" });

  async function fetchProject(id: string) {
    setLoad({ state: "loading" });
    try {
      const r = await getProject(id);
      setLoad(canManage(r.accesses || []) ? { state: "ok", project: r.project, accesses: r.accesses } : { state: "forbidden" });
    } catch (e) {
      setLoad(isForbidden(e) ? { state: "forbidden" } : { state: "error", err: e });
    }
  }

  useEffect(() => {
    if (current) fetchProject(current.id);
  }, [current?.id]);

  if (list === null) return <Loading />;
  if (!current) {
    return (
      <section class="card empty">
        <div class="empty-icon">
          <IconFolder />
        </div>
        <h2>{t("project.emptyTitle")}</h2>
        <p class="muted">{t("project.emptyText")}</p>
        <button type="button" class="btn btn-primary empty-action" onClick={onCreate}>
          <IconPlus />
          {t("project.create")}
        </button>
      </section>
    );
  }
  if (load.state === "loading") return <Loading />;
  if (load.state === "forbidden") return <Refusal title={t("settings.forbidden")} text={t("settings.forbiddenText")} />;
  if (load.state === "error") return <LoadError err={load.err} onRetry={() => fetchProject(current.id)} />;

  const props: TabProps = {
    project: load.project,
    accesses: load.accesses,
    setProject: (p) => {
      setLoad({ ...load, project: p });
      if (p.name !== current.name) reload();
    },
  };
  return (
    <div class="stack settings">
      <div class="page-head">
        <p class="muted small">{t("settings.projectSettings")}</p>
        <h2>{load.project.name}</h2>
      </div>
      <Tabs label={t("settings.tabs")} tabs={TABS} current={tab} onSelect={(k) => navigate(settingsPath(k))} hrefOf={settingsPath} />
      <div role="tabpanel" id={"panel-" + tab} aria-labelledby={"tab-" + tab} class="stack">
        {tab === "main" && <MainTab {...props} />}
        {tab === "team" && (
          <TeamTab
            {...props}
            onAccessesChanged={() => {
              fetchProject(current.id);
              reload();
            }}
          />
        )}
        {tab === "notifications" && <NotificationsTab {...props} />}
        {tab === "blacklist" && <BlacklistTab {...props} />}
        {tab === "advanced" && <AdvancedTab {...props} />}
        {tab === "integrations" && <IntegrationsTab {...props} />}
        {tab === "tariff" && <TariffTab {...props} onBillingChanged={reload} />}
        {tab === "widget" && <WidgetTab {...props} />}
      </div>
    </div>
  );
}

function MainTab(props: TabProps) {
  return (
    <>
      <GeneralCard {...props} />
      <DomainsCard {...props} />
      <SnippetCard {...props} />
    </>
  );
}

function GeneralCard({ project, setProject }: TabProps) {
  const { t } = useI18n();
  const [name, setName] = useState(project.name);
  const [sphere, setSphere] = useState(project.sphere || "");
  const [tz, setTz] = useState(project.timezone || "Europe/Moscow");
  const [spheres, setSpheres] = useState<Sphere[]>([]);
  const [zones, setZones] = useState<string[]>([]);
  const [err, setErr] = useState<FormError | null>(null);
  const save = useSave();
  const form = useRef<HTMLFormElement>(null);
  const idCopy = useCopy();
  const idLabel = useId();

  useEffect(() => {
    loadSpheres().then(setSpheres, () => {});
    loadTimezones().then(setZones, () => {});
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    setErr(null);
    if (!name.trim()) {
      setErr({ message: t("project.nameRequired"), field: "name" });
      return focusField(form.current, "name");
    }
    try {
      await save.run(async () => setProject(await updateProject(project.id, { name: name.trim(), sphere: sphere || null, timezone: tz })));
    } catch (e) {
      const fe = toFormError(e, t);
      setErr(fe);
      focusField(form.current, fe.field);
    }
  }

  return (
    <section class="card section" aria-labelledby="main-general">
      <div class="section-head">
        <h3 id="main-general">{t("settings.general")}</h3>
      </div>
      <form ref={form} onSubmit={submit} noValidate>
        <FormAlert err={err} fields={["name", "sphere", "timezone"]} />
        <div class="row-2">
          <TextField label={t("project.name")} name="name" value={name} onValue={setName} error={errorFor(err, "name")} hint={t("project.nameHint")} />
          <div class="field">
            <label for={idLabel}>{t("project.id")}</label>
            <button type="button" id={idLabel} class="id-box" onClick={() => idCopy.copy(project.id)} title={t("project.idCopy")}>
              <code>{project.id}</code>
              <span class={"id-copy" + (idCopy.copied ? " is-ok" : "")}>
                {idCopy.copied ? <IconCheck /> : <IconCopy />}
                {idCopy.copied ? t("common.copied") : t("common.copy")}
              </span>
            </button>
            <p class="field-hint">{t("project.idHint")}</p>
          </div>
        </div>
        <div class="row-2">
          <Field label={t("project.sphere")} error={errorFor(err, "sphere")} hint={t("project.sphereHint")}>
            {(id, d) => (
              <select id={id} name="sphere" value={sphere} aria-describedby={d} onChange={(e) => setSphere(e.currentTarget.value)}>
                <option value="">{t("project.sphereNone")}</option>
                {spheres.map((s) => (
                  <option value={s.id}>{sphereName(s, t)}</option>
                ))}
                {sphere && !spheres.some((s) => s.id === sphere) && <option value={sphere}>{sphere}</option>}
              </select>
            )}
          </Field>
          <Field label={t("profile.timezone")} error={errorFor(err, "timezone")} hint={t("project.timezoneHint")}>
            {(id, d) => <TimezoneSelect id={id} value={tz} zones={zones} onChange={setTz} describedBy={d} />}
          </Field>
        </div>
        <div class="form-actions">
          <SaveButton state={save.state} />
        </div>
      </form>
    </section>
  );
}

function DomainsCard({ project, setProject }: TabProps) {
  const { t } = useI18n();
  const [value, setValue] = useState("");
  const [error, setErrorText] = useState("");
  const save = useSave();
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const domains = project.domains || [];
  // One outcome, one message: an error takes the place of an earlier «Сохранено».
  const setError = (msg: string) => {
    setErrorText(msg);
    if (msg) save.reset();
  };

  function check(raw: string): string | null {
    const d = normalizeDomain(raw);
    if (!d) {
      setError(t("domains.required"));
      return null;
    }
    if (!isValidDomain(d)) {
      setError(t("domains.invalid", { DOMAIN: d }));
      return null;
    }
    if (domains.includes(d)) {
      setError(t("domains.duplicate", { DOMAIN: d }));
      return null;
    }
    return d;
  }

  async function put(next: string[]) {
    try {
      await save.run(async () => setProject(await updateProject(project.id, { domains: next })));
      return true;
    } catch (e) {
      setError(errorText(e, t));
      input.current?.focus();
      return false;
    }
  }

  async function add(e: Event) {
    e.preventDefault();
    setError("");
    const d = check(value);
    if (!d) return input.current?.focus();
    if (await put([...domains, d])) setValue("");
  }

  return (
    <section class="card section" aria-labelledby="main-domains">
      <div class="section-head">
        <h3 id="main-domains">{t("domains.title")}</h3>
        <p class="muted small">{t("domains.lead")}</p>
      </div>
      {domains.length ? (
        <ul class="domains" aria-label={t("domains.list")}>
          {domains.map((d) => (
            <li>
              <span class="domain">{d}</span>
              <button type="button" class="btn btn-ghost btn-icon btn-icon-sm" aria-label={t("domains.remove", { DOMAIN: d })} title={t("domains.remove", { DOMAIN: d })} onClick={() => put(domains.filter((x) => x !== d))}>
                <IconTrash />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="note">{t("domains.empty")}</p>
      )}
      <form class="inline-form" onSubmit={add} noValidate>
        <div class="field grow">
          <label for={id}>{t("domains.new")}</label>
          <input
            ref={input}
            id={id}
            name="domains"
            type="text"
            placeholder={t("domains.placeholder")}
            value={value}
            autoComplete="off"
            spellcheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={id + "-msg"}
            onInput={(e) => {
              setValue(e.currentTarget.value);
              if (error) setError("");
            }}
            onBlur={() => value.trim() && !isValidDomain(normalizeDomain(value)) && setError(t("domains.invalid", { DOMAIN: normalizeDomain(value) }))}
          />
          {error ? (
            <p class="field-error" id={id + "-msg"}>
              {error}
            </p>
          ) : (
            <p class="field-hint" id={id + "-msg"}>
              {t("domains.hint")}
            </p>
          )}
        </div>
        <button type="submit" class="btn btn-secondary" disabled={save.state === "busy"}>
          <IconPlus />
          {t("domains.add")}
        </button>
        <SavedNote state={save.state} />
      </form>
    </section>
  );
}

function SnippetCard({ project }: TabProps) {
  const { t } = useI18n();
  return (
    <section class="card section" aria-labelledby="main-snippet">
      <div class="section-head section-head-row">
        <div>
          <h3 id="main-snippet">{t("snippet.title")}</h3>
          <p class="muted small">{t("snippet.lead")}</p>
        </div>
        <CopyButton text={project.embed_snippet} />
      </div>
      <pre class="code" aria-label={t("snippet.code")} tabIndex={0}>
        <code>{project.embed_snippet}</code>
      </pre>
      {!(project.domains || []).length && <p class="note">{t("snippet.noDomain")}</p>}
    </section>
  );
}
