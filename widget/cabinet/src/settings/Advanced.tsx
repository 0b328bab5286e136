// Расширенные (§2, the manual's «Расширенные настройки»): how the project's dialogs are handled
// — auto-close after the customer's silence, raising a dialog on a call or a request, calls and
// requests in the Dialogs feed, no auto-messages once an operator replied. They are part of the
// widget settings object; saving re-reads it and changes only these, so nothing else is undone.
import { useEffect, useId, useMemo, useState } from "preact/hooks";
import { isForbidden, saveWidgetSettings, widgetSettings } from "../api";
import { useI18n } from "../i18n";
import type { TabProps } from "../Settings";
import { FormAlert, LoadError, Loading, Refusal, SaveButton, toFormError, useSave, type FormError } from "../ui";
import { normalizeSettings, setIn, type Settings } from "../widgetSettings";
import { Block, Check, EditorContext, NumberInput, type Editor } from "./widget/controls";

const KEYS = ["auto_close_minutes", "raise_on_request", "requests_in_feed", "no_auto_after_reply"] as const;

export function AdvancedTab({ project }: TabProps) {
  const { t } = useI18n();
  const [s, setS] = useState<Settings | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [err, setErr] = useState<FormError | null>(null);
  const save = useSave();
  const closeId = useId();

  async function load() {
    setLoadErr(null);
    try {
      setS(normalizeSettings(await widgetSettings(project.id)));
    } catch (e) {
      setLoadErr(e);
    }
  }
  useEffect(() => {
    load();
  }, [project.id]);

  const editor: Editor | null = useMemo(
    () =>
      s && {
        s,
        set: (p, v) => {
          setS((x) => (x ? setIn(x, p, v) : x));
          setErr(null);
        },
        replace: (fn) => setS((x) => (x ? fn(x) : x)),
        err: (p) => (err && err.field === p ? err.message : undefined),
        operators: null,
        goFields: () => {},
      },
    [s, err],
  );

  async function submit(e: Event) {
    e.preventDefault();
    if (!s) return;
    setErr(null);
    try {
      await save.run(async () => {
        const fresh = normalizeSettings(await widgetSettings(project.id));
        const chat = { ...fresh.chat };
        for (const k of KEYS) (chat as Record<string, unknown>)[k] = s.chat[k];
        setS(normalizeSettings(await saveWidgetSettings(project.id, { ...fresh, chat })));
      });
    } catch (ex) {
      setErr(toFormError(ex, t));
    }
  }

  if (loadErr) return isForbidden(loadErr) ? <Refusal title={t("settings.forbidden")} text={t("settings.forbiddenText")} /> : <LoadError err={loadErr} onRetry={load} />;
  if (!s || !editor) return <Loading />;
  const c = s.chat;
  return (
    <EditorContext.Provider value={editor}>
      <form class="stack" onSubmit={submit} noValidate>
        <FormAlert err={err} fields={["chat.auto_close_minutes"]} />
        <Block title={t("advanced.dialogs")} lead={t("advanced.dialogsLead")}>
          <div class="opt-block">
            <div class="check">
              <input
                id={closeId}
                type="checkbox"
                checked={c.auto_close_minutes !== null}
                onChange={(e) => editor.set("chat.auto_close_minutes", e.currentTarget.checked ? 60 : null)}
              />
              <label for={closeId}>{t("ws.chat.autoClose")}</label>
            </div>
            {c.auto_close_minutes !== null && (
              <div class="indent">
                <NumberInput path="chat.auto_close_minutes" label={t("ws.chat.autoCloseAfter")} min={1} suffix={t("ws.minutes")} />
              </div>
            )}
          </div>
          <Check path="chat.raise_on_request" label={t("ws.chat.raise")} hint={t("ws.chat.raiseHint")} />
          <Check path="chat.requests_in_feed" label={t("ws.chat.inFeed")} hint={t("ws.chat.inFeedHint")} />
          <Check path="chat.no_auto_after_reply" label={t("ws.chat.noAuto")} />
          <div class="form-actions">
            <SaveButton state={save.state} />
          </div>
        </Block>
      </form>
    </EditorContext.Provider>
  );
}
