// Поля — the field editor (§8): the standard name, phone and e-mail, and custom contact fields
// such as ИНН (text, phone or e-mail). Contact requests choose from these.
import { useId, useState } from "preact/hooks";
import { useI18n, type Key } from "../../i18n";
import { IconPlus, IconTrash } from "../../icons";
import { chars, dropField, FIELD_KINDS, FIELD_LABEL_MAX, fieldId, type FieldKind } from "../../widgetSettings";
import { Block, useEditor } from "./controls";

const KIND_TITLE: Record<FieldKind, Key> = { text: "ws.fields.kind.text", phone: "ws.fields.kind.phone", email: "ws.fields.kind.email" };
const STANDARD = ["name", "phone", "email"];

export function FieldsSection() {
  const { t } = useI18n();
  const { s, set, replace } = useEditor();
  const [label, setLabel] = useState("");
  const [kind, setKind] = useState<FieldKind>("text");
  const [error, setError] = useState("");
  const base = useId();

  function add(e: Event) {
    e.preventDefault();
    const l = label.trim();
    if (!l) return setError(t("ws.fields.labelRequired"));
    if (chars(l) > FIELD_LABEL_MAX) return setError(t("ws.fields.labelLong", { N: String(FIELD_LABEL_MAX) }));
    if (s.fields.some((f) => f.label.trim().toLowerCase() === l.toLowerCase())) return setError(t("ws.fields.duplicate", { FIELD: l }));
    set("fields", [...s.fields, { id: fieldId(l, s.fields.map((f) => f.id)), label: l, kind }]);
    setLabel("");
    setError("");
  }

  return (
    <Block title={t("ws.fields.title")} lead={t("ws.fields.lead")} field="fields">
      <table class="table grid-table fields-table">
        <thead>
          <tr>
            <th scope="col">{t("ws.fields.label")}</th>
            <th scope="col">{t("ws.fields.kind")}</th>
            <th scope="col" class="actions-col">
              <span class="sr-only">{t("team.col.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {s.fields.map((f, i) => {
            const std = STANDARD.includes(f.id);
            return (
              <tr>
                <td>
                  <input
                    type="text"
                    class="input-sm"
                    name={"fields." + i + ".label"}
                    aria-label={t("ws.fields.labelOf", { FIELD: f.label || f.id })}
                    value={f.label}
                    onInput={(e) => set("fields." + i + ".label", e.currentTarget.value)}
                  />
                </td>
                <td>
                  {std ? (
                    <span class="muted small">
                      {t(KIND_TITLE[f.kind])} · {t("ws.fields.standard")}
                    </span>
                  ) : (
                    <select class="select-sm" aria-label={t("ws.fields.kindOf", { FIELD: f.label })} value={f.kind} onChange={(e) => set("fields." + i + ".kind", e.currentTarget.value)}>
                      {FIELD_KINDS.map((k) => (
                        <option value={k}>{t(KIND_TITLE[k])}</option>
                      ))}
                    </select>
                  )}
                </td>
                <td class="actions">
                  {!std && (
                    <button
                      type="button"
                      class="btn btn-ghost btn-icon btn-icon-sm btn-danger-ghost"
                      aria-label={t("ws.fields.remove", { FIELD: f.label })}
                      title={t("ws.fields.remove", { FIELD: f.label })}
                      onClick={() => replace((cur) => dropField(cur, f.id))}
                    >
                      <IconTrash />
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div class="inline-form field-add" role="group" aria-label={t("ws.fields.new")}>
        <div class="field grow">
          <label for={base + "l"}>{t("ws.fields.new")}</label>
          <input
            id={base + "l"}
            type="text"
            value={label}
            placeholder={t("ws.fields.placeholder")}
            aria-invalid={error ? true : undefined}
            onInput={(e) => {
              setLabel(e.currentTarget.value);
              setError("");
            }}
            onKeyDown={(e) => e.key === "Enter" && add(e)}
          />
          {error && <p class="field-error">{error}</p>}
        </div>
        <div class="field">
          <label for={base + "k"}>{t("ws.fields.kind")}</label>
          <select id={base + "k"} value={kind} onChange={(e) => setKind(e.currentTarget.value as FieldKind)}>
            {FIELD_KINDS.map((k) => (
              <option value={k}>{t(KIND_TITLE[k])}</option>
            ))}
          </select>
        </div>
        <button type="button" class="btn btn-secondary" onClick={add}>
          <IconPlus />
          {t("ws.fields.add")}
        </button>
      </div>
    </Block>
  );
}
