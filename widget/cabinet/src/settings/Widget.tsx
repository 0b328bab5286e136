// Чат на сайте (§8) and Ловцы лидов (§9): one settings object edited across sections, with a
// live preview beside it and one «Сохранить» for everything. A 422 names its field by a dotted
// path (`chat.name`): the page opens that field's section, marks the field and focuses it.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { DEFAULT_VOLUMES, isForbidden, listMembers, saveWidgetSettings, widgetSettings, type Member } from "../api";
import { useI18n, type Key } from "../i18n";
import { IconAlert, IconCheck } from "../icons";
import { navigate, usePath } from "../nav";
import { widgetPath, widgetSection, WIDGET_SECTIONS, type WidgetSection } from "../routes";
import type { TabProps } from "../Settings";
import { play } from "../sounds";
import { useSession } from "../state";
import { LoadError, Loading, Refusal, Tabs, toFormError, type FormError } from "../ui";
import { normalizeSettings, sectionOf, setIn, type Settings } from "../widgetSettings";
import { AppearanceSection } from "./widget/Appearance";
import { CallbackSection } from "./widget/Callback";
import { CatchersSection } from "./widget/Catchers";
import { ChatSection } from "./widget/Chat";
import { ContactsSection } from "./widget/Contacts";
import { EditorContext, type Editor } from "./widget/controls";
import { FieldsSection } from "./widget/Fields";
import { FormSection } from "./widget/Form";
import { OtherSection } from "./widget/Other";
import { Preview } from "./widget/Preview";

const SECTION_TITLE: Record<WidgetSection, Key> = {
  appearance: "ws.section.appearance",
  chat: "ws.section.chat",
  form: "ws.section.form",
  callback: "ws.section.callback",
  contacts: "ws.section.contacts",
  fields: "ws.section.fields",
  other: "ws.section.other",
  catchers: "ws.section.catchers",
};

/** Unsaved drafts per project, kept while the user looks at another settings tab. */
const drafts = new Map<string, { base: Settings; draft: Settings }>();

/** Focuses the control a server error names: an input named by the path, else its block. */
function focusPath(field: string) {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const esc = CSS.escape(field);
      const el =
        document.querySelector<HTMLElement>(`.ws-form [name="${esc}"]`) ||
        document.querySelector<HTMLElement>(`.ws-form [data-field="${esc}"]`) ||
        document.querySelector<HTMLElement>(`.ws-form [name^="${esc}."]`);
      if (!el) return;
      el.scrollIntoView({ block: "center" });
      el.focus({ preventScroll: true });
    }),
  );
}

export function WidgetTab({ project }: TabProps) {
  const { t } = useI18n();
  const { user } = useSession();
  const path = usePath();
  const section = widgetSection(path);
  const [saved, setSaved] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [err, setErr] = useState<FormError | null>(null);
  const [state, setState] = useState<"idle" | "busy" | "saved">("idle");
  const [operators, setOperators] = useState<Member[] | null>(null);
  const timer = useRef(0);

  async function load() {
    setLoadErr(null);
    try {
      const s = normalizeSettings(await widgetSettings(project.id));
      setSaved(s);
      // Unsaved edits survive a trip to another settings tab (not a reload).
      const kept = drafts.get(project.id);
      setDraft(kept && JSON.stringify(kept.base) === JSON.stringify(s) ? kept.draft : s);
      drafts.delete(project.id);
    } catch (e) {
      setLoadErr(e);
    }
  }
  useEffect(() => {
    load();
    listMembers(project.id, "", "operator").then(
      (m) => setOperators(m.filter((x) => x.accesses.includes("operator"))),
      () => setOperators([]),
    );
    return () => clearTimeout(timer.current);
  }, [project.id]);

  const dirty = useMemo(() => !!draft && !!saved && JSON.stringify(draft) !== JSON.stringify(saved), [draft, saved]);
  const keep = useRef<{ base: Settings; draft: Settings } | null>(null);
  keep.current = dirty && saved && draft ? { base: saved, draft } : null;
  useEffect(
    () => () => {
      if (keep.current) drafts.set(project.id, keep.current);
    },
    [project.id],
  );
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [dirty]);

  const editor: Editor | null = useMemo(
    () =>
      draft && {
        s: draft,
        set: (p, v) => {
          setDraft((d) => (d ? setIn(d, p, v) : d));
          setState("idle");
          // The message stays until the named field changes.
          setErr((e) => (e && e.field && (p === e.field || p.startsWith(e.field + ".") || e.field.startsWith(p + ".")) ? null : e));
        },
        replace: (fn) => setDraft((d) => (d ? fn(d) : d)),
        err: (p) => (err && err.field === p ? err.message : undefined),
        operators,
        goFields: () => navigate(widgetPath("fields")),
      },
    [draft, err, operators],
  );

  async function save(e?: Event) {
    e?.preventDefault();
    if (!draft || state === "busy") return;
    setErr(null);
    setState("busy");
    try {
      const s = normalizeSettings(await saveWidgetSettings(project.id, draft));
      setSaved(s);
      setDraft(s);
      setState("saved");
      play("settings_saved", (user.volumes || DEFAULT_VOLUMES).settings_saved);
      clearTimeout(timer.current);
      timer.current = window.setTimeout(() => setState("idle"), 2500);
    } catch (ex) {
      setState("idle");
      const fe = toFormError(ex, t);
      setErr(fe);
      if (fe.field) {
        const target = sectionOf(fe.field);
        if (target !== section) navigate(widgetPath(target));
        focusPath(fe.field);
      }
    }
  }

  if (loadErr) {
    if (isForbidden(loadErr)) return <Refusal title={t("settings.forbidden")} text={t("settings.forbiddenText")} />;
    return <LoadError err={loadErr} onRetry={load} />;
  }
  if (!draft || !editor) return <Loading />;

  const focus = section === "catchers" ? "hook" : section === "chat" || section === "form" || section === "callback" || section === "contacts" ? section : null;
  return (
    <EditorContext.Provider value={editor}>
      <div class="ws">
        <div class="ws-nav">
          <Tabs
            label={t("ws.sections")}
            tabs={WIDGET_SECTIONS.map((id) => ({ id, title: SECTION_TITLE[id] }))}
            current={section}
            onSelect={(k) => navigate(widgetPath(k))}
            hrefOf={widgetPath}
          />
        </div>
        <div class="ws-grid">
          <form class="ws-form stack" onSubmit={save} noValidate aria-label={t(SECTION_TITLE[section])}>
            <div role="tabpanel" id={"panel-" + section} aria-labelledby={"tab-" + section} class="stack">
              {section === "appearance" && <AppearanceSection />}
              {section === "chat" && <ChatSection />}
              {section === "form" && <FormSection />}
              {section === "callback" && <CallbackSection />}
              {section === "contacts" && <ContactsSection />}
              {section === "fields" && <FieldsSection />}
              {section === "other" && <OtherSection />}
              {section === "catchers" && <CatchersSection />}
            </div>
            <div class={"save-bar" + (dirty ? " is-dirty" : "") + (err ? " has-error" : "")}>
              <div class="save-bar-text" role="status" aria-live="polite">
                {err ? (
                  <span class="save-bar-error">
                    <IconAlert />
                    {err.message}
                  </span>
                ) : state === "saved" ? (
                  <span class="save-bar-ok">
                    <IconCheck />
                    {t("ws.saved")}
                  </span>
                ) : dirty ? (
                  t("ws.unsaved")
                ) : (
                  <span class="muted">{t("ws.allSaved")}</span>
                )}
              </div>
              {dirty && (
                <button
                  type="button"
                  class="btn btn-ghost btn-sm"
                  onClick={() => {
                    setDraft(saved);
                    setErr(null);
                  }}
                >
                  {t("ws.discard")}
                </button>
              )}
              <button type="submit" class={"btn btn-primary" + (state === "saved" ? " is-saved" : "")} disabled={state === "busy"} aria-busy={state === "busy"}>
                {state === "busy" ? t("common.saving") : state === "saved" ? t("common.saved") : t("common.save")}
              </button>
            </div>
          </form>
          <aside class="ws-preview">
            <Preview s={draft} focus={focus} />
          </aside>
        </div>
      </div>
    </EditorContext.Provider>
  );
}
