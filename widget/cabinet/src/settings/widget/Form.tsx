// Таб «Заявка» (§8): title, the standard fields visible/required, one custom field, one custom
// drop-down list with its options, the text after sending and the button text.
import { useEffect, useId, useState } from "preact/hooks";
import { useI18n, type Key } from "../../i18n";
import { FORM_FIELDS, type FieldRule, type StandardFormField } from "../../widgetSettings";
import { Block, RulesHead, Text, TextArea, useEditor } from "./controls";
import { TabBasics } from "./TabBasics";

const FIELD_TITLE: Record<StandardFormField, Key> = { name: "ws.form.name", phone: "ws.form.phone", email: "ws.form.email", company: "ws.form.company" };

function RuleCells({ label, rule, onChange }: { label: string; rule: FieldRule; onChange: (r: FieldRule) => void }) {
  const { t } = useI18n();
  return (
    <>
      <td class="center">
        <input
          type="checkbox"
          aria-label={t("ws.form.visibleField", { FIELD: label })}
          checked={rule.visible}
          onChange={(e) => onChange({ visible: e.currentTarget.checked, required: e.currentTarget.checked && rule.required })}
        />
      </td>
      <td class="center">
        <input
          type="checkbox"
          aria-label={t("ws.form.requiredField", { FIELD: label })}
          checked={rule.required}
          disabled={!rule.visible}
          onChange={(e) => onChange({ ...rule, required: e.currentTarget.checked })}
        />
      </td>
    </>
  );
}

export function FormSection() {
  const { t } = useI18n();
  const { s, set } = useEditor();
  const f = s.form;
  const cfId = useId();
  const clId = useId();
  const optId = useId();
  const [options, setOptions] = useState((f.custom_list?.options || []).join("\n"));
  useEffect(() => {
    const parsed = options.split("\n").map((x) => x.trim()).filter(Boolean).join("\n");
    const cur = (f.custom_list?.options || []).join("\n");
    if (parsed !== cur) setOptions(cur);
  }, [(f.custom_list?.options || []).join("\n")]);

  const cf = f.custom_field;
  const cl = f.custom_list;
  return (
    <>
      <TabBasics tab="form" lead={t("ws.form.lead")} hoursLead={t("ws.form.hoursLead")} />
      <Block title={t("ws.form.content")}>
        <Text path="form.title" label={t("ws.form.title")} />
        <div class="field" data-field="form.fields">
          <span class="label-like">{t("ws.form.fields")}</span>
          <table class="table grid-table rules">
            <RulesHead middle={t("ws.form.visible")} />
            <tbody>
              {FORM_FIELDS.map((k) => (
                <tr>
                  <td>{t(FIELD_TITLE[k])}</td>
                  <RuleCells label={t(FIELD_TITLE[k])} rule={f.fields[k]} onChange={(r) => set("form.fields." + k, r)} />
                </tr>
              ))}
              <tr>
                <td>
                  <label for={cfId} class="sr-only">
                    {t("ws.form.customField")}
                  </label>
                  <input
                    id={cfId}
                    type="text"
                    name="form.custom_field"
                    class="input-sm"
                    placeholder={t("ws.form.customFieldPlaceholder")}
                    value={cf?.label || ""}
                    onInput={(e) => {
                      const label = e.currentTarget.value;
                      set("form.custom_field", label ? { label, rule: cf?.rule || { visible: true, required: false } } : null);
                    }}
                  />
                </td>
                {cf ? <RuleCells label={cf.label} rule={cf.rule} onChange={(r) => set("form.custom_field.rule", r)} /> : <td colSpan={2} class="muted small center">—</td>}
              </tr>
              <tr>
                <td>
                  <label for={clId} class="sr-only">
                    {t("ws.form.customList")}
                  </label>
                  <input
                    id={clId}
                    type="text"
                    name="form.custom_list"
                    class="input-sm"
                    placeholder={t("ws.form.customListPlaceholder")}
                    value={cl?.label || ""}
                    onInput={(e) => {
                      const label = e.currentTarget.value;
                      set("form.custom_list", label ? { label, options: cl?.options || [], rule: cl?.rule || { visible: true, required: false } } : null);
                    }}
                  />
                </td>
                {cl ? <RuleCells label={cl.label} rule={cl.rule} onChange={(r) => set("form.custom_list.rule", r)} /> : <td colSpan={2} class="muted small center">—</td>}
              </tr>
            </tbody>
          </table>
        </div>
        {cl && (
          <div class="field">
            <label for={optId}>{t("ws.form.options", { LIST: cl.label })}</label>
            <textarea
              id={optId}
              name="form.custom_list.options"
              rows={3}
              value={options}
              placeholder={t("ws.form.optionsPlaceholder")}
              onInput={(e) => {
                setOptions(e.currentTarget.value);
                set(
                  "form.custom_list.options",
                  e.currentTarget.value
                    .split("\n")
                    .map((x) => x.trim())
                    .filter(Boolean),
                );
              }}
            />
            <p class="field-hint">{t("ws.form.optionsHint")}</p>
          </div>
        )}
        <TextArea path="form.thanks_text" label={t("ws.form.thanks")} rows={2} />
        <Text path="form.button_text" label={t("ws.form.button")} class="field-short" />
      </Block>
    </>
  );
}
