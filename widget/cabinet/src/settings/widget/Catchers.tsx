// Ловцы лидов (§9): groups of hooks. A hook is a proactive message that opens the dialog when
// its trigger fires — time on the page, the page's URL, scroll depth, exit intent, the n-th
// visit — and may carry a contact request; each can be hidden on phones.
import { useId } from "preact/hooks";
import { useI18n, type Key } from "../../i18n";
import { IconHook, IconPlus, IconTrash } from "../../icons";
import { newHook, TRIGGERS, type Hook, type Trigger } from "../../widgetSettings";
import { Block, Check, ContactRequestEditor, Switch, TextArea, useEditor } from "./controls";

export const TRIGGER_TITLE: Record<Trigger, Key> = {
  time_on_page: "ws.hook.time_on_page",
  url_pattern: "ws.hook.url_pattern",
  scroll_depth: "ws.hook.scroll_depth",
  exit_intent: "ws.hook.exit_intent",
  visit_count: "ws.hook.visit_count",
};
const VALUE_LABEL: Record<Trigger, Key | null> = {
  time_on_page: "ws.hook.value.time_on_page",
  url_pattern: "ws.hook.value.url_pattern",
  scroll_depth: "ws.hook.value.scroll_depth",
  exit_intent: null,
  visit_count: "ws.hook.value.visit_count",
};
const DEFAULT_VALUE: Record<Trigger, string> = { time_on_page: "30", url_pattern: "/", scroll_depth: "50", exit_intent: "", visit_count: "2" };

export function CatchersSection() {
  const { t } = useI18n();
  const { s, set } = useEditor();
  const groups = s.catchers;
  const base = useId();

  return (
    <Block
      title={t("ws.catchers.title")}
      lead={t("ws.catchers.lead")}
      field="catchers"
      aside={
        <button type="button" class="btn btn-secondary btn-sm" onClick={() => set("catchers", [...groups, { name: t("ws.catchers.groupDefault", { N: String(groups.length + 1) }), enabled: true, hooks: [newHook()] }])}>
          <IconPlus size={16} />
          {t("ws.catchers.addGroup")}
        </button>
      }
    >
      {groups.length === 0 && (
        <div class="note catchers-empty">
          <IconHook />
          <span>{t("ws.catchers.empty")}</span>
        </div>
      )}
      {groups.map((g, gi) => {
        const p = "catchers." + gi;
        return (
          <fieldset class={"catcher" + (g.enabled ? "" : " is-off")}>
            <legend class="sr-only">{g.name || t("ws.catchers.groupDefault", { N: String(gi + 1) })}</legend>
            <div class="catcher-head">
              <div class="field grow">
                <label for={base + gi}>{t("ws.catchers.groupName")}</label>
                <input id={base + gi} type="text" name={p + ".name"} value={g.name} onInput={(e) => set(p + ".name", e.currentTarget.value)} />
              </div>
              <Switch path={p + ".enabled"} label={t("ws.catchers.groupOn")} />
              <button
                type="button"
                class="btn btn-ghost btn-icon btn-icon-sm btn-danger-ghost"
                aria-label={t("ws.catchers.removeGroup", { NAME: g.name || String(gi + 1) })}
                title={t("ws.catchers.removeGroup", { NAME: g.name || String(gi + 1) })}
                onClick={() => set("catchers", groups.filter((_, j) => j !== gi))}
              >
                <IconTrash />
              </button>
            </div>
            <ol class="hooks">
              {g.hooks.map((h, hi) => (
                <HookEditor
                  hook={h}
                  path={p + ".hooks." + hi}
                  n={hi + 1}
                  onRemove={() => set(p + ".hooks", g.hooks.filter((_, j) => j !== hi))}
                />
              ))}
            </ol>
            <button type="button" class="btn btn-secondary btn-sm" onClick={() => set(p + ".hooks", [...g.hooks, newHook()])}>
              <IconPlus size={16} />
              {t("ws.catchers.addHook")}
            </button>
          </fieldset>
        );
      })}
    </Block>
  );
}

function HookEditor({ hook, path, n, onRemove }: { hook: Hook; path: string; n: number; onRemove: () => void }) {
  const { t } = useI18n();
  const { set } = useEditor();
  const id = useId();
  const valueKey = VALUE_LABEL[hook.trigger];
  const numeric = hook.trigger !== "url_pattern" && hook.trigger !== "exit_intent";
  return (
    <li class={"hook" + (hook.enabled ? "" : " is-off")}>
      <div class="hook-head">
        <span class="hook-n">{t("ws.hook.n", { N: String(n) })}</span>
        <Check path={path + ".enabled"} label={t("ws.hook.enabled")} />
        <span class="grow" />
        <button type="button" class="btn btn-ghost btn-icon btn-icon-sm btn-danger-ghost" aria-label={t("ws.hook.remove", { N: String(n) })} title={t("ws.hook.remove", { N: String(n) })} onClick={onRemove}>
          <IconTrash />
        </button>
      </div>
      <div class="row-2">
        <div class="field">
          <label for={id + "t"}>{t("ws.hook.trigger")}</label>
          <select
            id={id + "t"}
            name={path + ".trigger"}
            value={hook.trigger}
            onChange={(e) => {
              const tr = e.currentTarget.value as Trigger;
              set(path, { ...hook, trigger: tr, value: DEFAULT_VALUE[tr] });
            }}
          >
            {TRIGGERS.map((tr) => (
              <option value={tr}>{t(TRIGGER_TITLE[tr])}</option>
            ))}
          </select>
        </div>
        {valueKey ? (
          <div class="field">
            <label for={id + "v"}>{t(valueKey)}</label>
            <input
              id={id + "v"}
              name={path + ".value"}
              type={(numeric ? "number" : "text") as "text"}
              min={numeric ? 0 : undefined}
              max={hook.trigger === "scroll_depth" ? 100 : undefined}
              inputMode={numeric ? "numeric" : undefined}
              placeholder={hook.trigger === "url_pattern" ? "/prices*" : undefined}
              value={hook.value}
              onInput={(e) => set(path + ".value", e.currentTarget.value)}
            />
            {hook.trigger === "url_pattern" && <p class="field-hint">{t("ws.hook.urlHint")}</p>}
          </div>
        ) : (
          <p class="field-hint hook-exit">{t("ws.hook.exitHint")}</p>
        )}
      </div>
      <TextArea path={path + ".text"} label={t("ws.hook.text")} rows={2} placeholder={t("ws.hook.textPlaceholder")} />
      <ContactRequestEditor path={path + ".contact_request"} />
      <Check path={path + ".show_on_mobile"} label={t("ws.hook.mobile")} />
    </li>
  );
}
