// Таб «Чат» (§8): the welcome message ({NAME} is the operator's name), the two auto-messages
// (not read in N s, read but not answered in N s) each with its contact request, the no-reply
// chain (§12: still unanswered after M s the dialog goes to the next online operator, after K s
// the administrators are alerted in Telegram), where the advanced switches are (the project's
// «Расширенные»), and operator groups.
import { useId, useRef } from "preact/hooks";
import { displayName } from "../../api";
import { useI18n } from "../../i18n";
import { IconPlus, IconTrash } from "../../icons";
import { linkClick } from "../../nav";
import { settingsPath } from "../../routes";
import { AUTO_SECS_MAX, AUTO_SECS_MIN, NO_REPLY_SECS_MAX, NO_REPLY_SECS_MIN } from "../../widgetSettings";
import { Block, Check, ContactRequestEditor, NumberInput, TextArea, useEditor } from "./controls";
import { TabBasics } from "./TabBasics";

export function ChatSection() {
  const { t } = useI18n();
  const { s, set } = useEditor();
  const c = s.chat;
  const welcome = useRef<HTMLDivElement>(null);

  function insertName() {
    const ta = welcome.current?.querySelector("textarea");
    const at = ta ? ta.selectionStart : c.welcome.length;
    const end = ta ? ta.selectionEnd : at;
    set("chat.welcome", c.welcome.slice(0, at) + "{NAME}" + c.welcome.slice(end));
    requestAnimationFrame(() => {
      ta?.focus();
      ta?.setSelectionRange(at + 6, at + 6);
    });
  }

  return (
    <>
      <TabBasics
        tab="chat"
        lead={t("ws.chat.lead")}
        hoursLead={
          <>
            {t("ws.chat.hoursLead")}{" "}
            <a href={settingsPath("team") + "#schedules"} onClick={linkClick}>
              {t("ws.chat.operatorsHours")}
            </a>
          </>
        }
      />

      <Block title={t("ws.chat.welcome")} lead={t("ws.chat.welcomeLead")}>
        <div ref={welcome}>
          <TextArea path="chat.welcome" label={t("ws.chat.welcomeText")} hint={t("ws.chat.nameHint")} />
        </div>
        <button type="button" class="btn btn-secondary btn-sm insert-name" onClick={insertName}>
          {t("ws.chat.insertName")}
        </button>
        <ContactRequestEditor path="chat.welcome_contact_request" />
      </Block>

      <Block title={t("ws.chat.auto")} lead={t("ws.chat.autoLead")}>
        <AutoMessage which="unread" />
        <AutoMessage which="unanswered" />
        <NoReplyChain />
      </Block>

      <Block title={t("ws.chat.advanced")}>
        <p class="muted small">
          {t("ws.chat.advancedMoved")}{" "}
          <a href={settingsPath("advanced")} onClick={linkClick}>
            {t("settings.tab.advanced")}
          </a>
        </p>
      </Block>

      <OperatorGroups />
    </>
  );
}

function AutoMessage({ which }: { which: "unread" | "unanswered" }) {
  const { t } = useI18n();
  const { s } = useEditor();
  const m = s.chat[which];
  const p = "chat." + which;
  return (
    <fieldset class={"auto" + (m.enabled ? "" : " is-off")}>
      <legend>{t(which === "unread" ? "ws.chat.unread" : "ws.chat.unanswered")}</legend>
      <Check path={p + ".enabled"} label={t("ws.chat.autoSend")} />
      {m.enabled && (
        <>
          <NumberInput path={p + ".after_secs"} label={t(which === "unread" ? "ws.chat.unreadAfter" : "ws.chat.unansweredAfter")} min={AUTO_SECS_MIN} max={AUTO_SECS_MAX} suffix={t("ws.secs")} />
          <TextArea path={p + ".text"} label={t("ws.chat.autoText")} rows={2} />
          <ContactRequestEditor path={p + ".contact_request"} />
        </>
      )}
    </fieldset>
  );
}

/** The no-reply chain: each step off (null) or its delay in seconds. */
function NoReplyChain() {
  const { t } = useI18n();
  const { s, set } = useEditor();
  const base = useId();
  const steps = [
    { path: "chat.reassign_after_secs", on: "ws.chat.reassign", after: "ws.chat.reassignAfter", first: 60 },
    { path: "chat.alert_after_secs", on: "ws.chat.alert", after: "ws.chat.alertAfter", first: 300 },
  ] as const;
  return (
    <fieldset class="auto">
      <legend>{t("ws.chat.noReply")}</legend>
      <p class="muted small">{t("ws.chat.noReplyLead")}</p>
      {steps.map((step) => {
        const value = step.path === "chat.reassign_after_secs" ? s.chat.reassign_after_secs : s.chat.alert_after_secs;
        const id = base + step.path;
        return (
          <div class="opt-block">
            <div class="check">
              <input id={id} type="checkbox" checked={value !== null} onChange={(e) => set(step.path, e.currentTarget.checked ? step.first : null)} />
              <label for={id}>{t(step.on)}</label>
            </div>
            {value !== null && (
              <div class="indent">
                <NumberInput path={step.path} label={t(step.after)} min={NO_REPLY_SECS_MIN} max={NO_REPLY_SECS_MAX} suffix={t("ws.secs")} />
              </div>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

function OperatorGroups() {
  const { t } = useI18n();
  const { s, set, operators } = useEditor();
  const groups = s.chat.groups;
  const base = useId();
  return (
    <Block
      title={t("ws.chat.groups")}
      lead={t("ws.chat.groupsLead")}
      aside={
        <button type="button" class="btn btn-secondary btn-sm" onClick={() => set("chat.groups", [...groups, { name: "", members: [] }])}>
          <IconPlus size={16} />
          {t("ws.chat.addGroup")}
        </button>
      }
      field="chat.groups"
    >
      {groups.length === 0 && <p class="note">{t("ws.chat.noGroups")}</p>}
      {groups.map((g, i) => (
        <fieldset class="group-card">
          <legend class="sr-only">{g.name || t("ws.chat.groupN", { N: String(i + 1) })}</legend>
          <div class="group-card-head">
            <div class="field grow">
              <label for={base + i}>{t("ws.chat.groupName")}</label>
              <input
                id={base + i}
                type="text"
                name={"chat.groups." + i + ".name"}
                value={g.name}
                placeholder={t("ws.chat.groupPlaceholder")}
                onInput={(e) => set("chat.groups." + i + ".name", e.currentTarget.value)}
              />
            </div>
            <button
              type="button"
              class="btn btn-ghost btn-icon btn-icon-sm btn-danger-ghost"
              aria-label={t("ws.chat.removeGroup", { NAME: g.name || String(i + 1) })}
              title={t("ws.chat.removeGroup", { NAME: g.name || String(i + 1) })}
              onClick={() => set("chat.groups", groups.filter((_, j) => j !== i))}
            >
              <IconTrash />
            </button>
          </div>
          <p class="picker-label">{t("ws.chat.members")}</p>
          {operators === null ? (
            <p class="muted small">{t("app.loading")}</p>
          ) : operators.length === 0 ? (
            <p class="muted small">{t("ops.none")}</p>
          ) : (
            <div class="picker">
              {operators.map((m) => {
                const on = g.members.includes(m.user_id);
                const id = base + i + "-" + m.user_id;
                return (
                  <label for={id} class={"pick" + (on ? " on" : "")}>
                    <input
                      id={id}
                      type="checkbox"
                      checked={on}
                      onChange={(e) =>
                        set(
                          "chat.groups." + i + ".members",
                          e.currentTarget.checked ? [...g.members, m.user_id] : g.members.filter((x) => x !== m.user_id),
                        )
                      }
                    />
                    <span>{displayName(m)}</span>
                  </label>
                );
              })}
            </div>
          )}
        </fieldset>
      ))}
    </Block>
  );
}
