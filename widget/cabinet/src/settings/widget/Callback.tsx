// Таб «Обратный звонок» (§8): title (≤ 30), text, the number calls go to, who is called first,
// the voice greeting (standard or an uploaded recording), the operator's notice, and callback
// groups each with its own number (not the chat's operator groups).
import { useId } from "preact/hooks";
import { useI18n } from "../../i18n";
import { IconPlus, IconTrash } from "../../icons";
import { CALLBACK_TITLE_MAX } from "../../widgetSettings";
import { Block, Check, ItemInput, Radios, Text, TextArea, useEditor } from "./controls";
import { TabBasics } from "./TabBasics";

export function CallbackSection() {
  const { t } = useI18n();
  const { s, set, err } = useEditor();
  const c = s.callback;
  const fileId = useId();
  const groupsId = useId();
  const custom = c.visitor_greeting !== "default";
  const groupsErr = err("callback.groups");

  return (
    <>
      <TabBasics tab="callback" lead={t("ws.cb.lead")} hoursLead={t("ws.cb.hoursLead")} />
      <Block title={t("ws.cb.content")}>
        <Text path="callback.title" label={t("ws.cb.title")} max={CALLBACK_TITLE_MAX} />
        <TextArea path="callback.text" label={t("ws.cb.text")} rows={2} />
        <Text path="callback.forward_number" label={t("ws.cb.number")} type="tel" placeholder="+7 (999) 999-99-99" hint={t("ws.cb.numberHint")} class="field-mid" />
        <Radios
          path="callback.call_first"
          label={t("ws.cb.first")}
          options={[
            { value: "manager", label: t("ws.cb.manager") },
            { value: "visitor", label: t("ws.cb.visitor") },
          ]}
        />
      </Block>
      <Block title={t("ws.cb.voice")} lead={t("ws.cb.voiceLead")}>
        <fieldset class="radios">
          <legend>{t("ws.cb.greeting")}</legend>
          <div class="seg">
            <label class={"seg-opt" + (!custom ? " on" : "")}>
              <input type="radio" name="callback.visitor_greeting" checked={!custom} onChange={() => set("callback.visitor_greeting", "default")} />
              <span>{t("ws.cb.greetingDefault")}</span>
            </label>
            <label class={"seg-opt" + (custom ? " on" : "")}>
              <input type="radio" name="callback.visitor_greeting" checked={custom} onChange={() => set("callback.visitor_greeting", c.visitor_greeting !== "default" ? c.visitor_greeting : "")} />
              <span>{t("ws.cb.greetingOwn")}</span>
            </label>
          </div>
        </fieldset>
        {custom && (
          <div class="field upload-row">
            <label for={fileId} class="btn btn-secondary btn-sm">
              {t("ws.cb.upload")}
            </label>
            <input
              id={fileId}
              type="file"
              accept="audio/mpeg,audio/wav,audio/ogg,.mp3,.wav,.ogg"
              class="sr-only"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (file) set("callback.visitor_greeting", file.name);
              }}
            />
            <span class={c.visitor_greeting ? "" : "muted small"}>{c.visitor_greeting || t("ws.cb.noFile")}</span>
          </div>
        )}
        <Check path="callback.operator_notice" label={t("ws.cb.notice")} hint={t("ws.cb.noticeHint")} />
      </Block>
      <Block title={t("ws.cb.groups")} lead={t("ws.cb.groupsLead")} field="callback.groups">
        <div class="check">
          <input
            id={groupsId}
            type="checkbox"
            checked={c.groups.length > 0}
            onChange={(e) => set("callback.groups", e.currentTarget.checked ? [{ name: "", number: "" }] : [])}
          />
          <label for={groupsId}>{t("ws.cb.groupsOn")}</label>
        </div>
        {c.groups.length > 0 && (
          <div class="rows">
            {c.groups.map((g, i) => (
              <div class="row-line">
                <ItemInput path={"callback.groups." + i + ".name"} label={t("ws.cb.groupName")} value={g.name} placeholder={t("ws.cb.groupPlaceholder")} class="grow" />
                <ItemInput
                  path={"callback.groups." + i + ".number"}
                  label={t("ws.cb.groupNumber")}
                  type="tel"
                  value={g.number}
                  placeholder="+7 (999) 999-99-99"
                  invalid={!!groupsErr}
                  class="grow"
                />
                <button
                  type="button"
                  class="btn btn-ghost btn-icon btn-icon-sm btn-danger-ghost row-remove"
                  aria-label={t("ws.cb.removeGroup", { NAME: g.name || String(i + 1) })}
                  title={t("ws.cb.removeGroup", { NAME: g.name || String(i + 1) })}
                  onClick={() => set("callback.groups", c.groups.filter((_, j) => j !== i))}
                >
                  <IconTrash />
                </button>
              </div>
            ))}
            <button type="button" class="btn btn-secondary btn-sm" onClick={() => set("callback.groups", [...c.groups, { name: "", number: "" }])}>
              <IconPlus size={16} />
              {t("ws.cb.addGroup")}
            </button>
          </div>
        )}
      </Block>
    </>
  );
}
