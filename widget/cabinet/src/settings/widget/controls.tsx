// Controls of the «Чат на сайте» settings: every input is named by its dotted settings path
// (`chat.name`), so a 422 that names it marks and focuses exactly that input.
import { createContext, type ComponentChildren } from "preact";
import { useContext, useEffect, useId, useState } from "preact/hooks";
import type { Member } from "../../api";
import { useI18n } from "../../i18n";
import { Field } from "../../ui";
import { chars, getIn, type ContactRequest, type Settings } from "../../widgetSettings";

export interface Editor {
  s: Settings;
  /** Sets the value at a dotted path. */
  set: (path: string, value: unknown) => void;
  /** Replaces the whole object (for edits that touch several places). */
  replace: (fn: (s: Settings) => Settings) => void;
  /** The server's message when it names `path`. */
  err: (path: string) => string | undefined;
  /** Members with the operator access (for operator groups). */
  operators: Member[] | null;
  goFields: () => void;
}

export const EditorContext = createContext<Editor>(null as unknown as Editor);
export const useEditor = () => useContext(EditorContext);

/** A card of the settings form with a heading and an optional lead. */
export function Block({ title, lead, children, field, aside }: { title: string; lead?: ComponentChildren; children: ComponentChildren; field?: string; aside?: ComponentChildren }) {
  const id = useId();
  const { err } = useEditor();
  const e = field ? err(field) : undefined;
  return (
    <section class={"card section ws-block" + (e ? " has-error" : "")} aria-labelledby={id} data-field={field} tabIndex={field ? -1 : undefined}>
      <div class="section-head section-head-row">
        <div>
          <h3 id={id}>{title}</h3>
          {lead && <p class="muted small">{lead}</p>}
        </div>
        {aside}
      </div>
      {e && (
        <p class="field-error block-error" role="alert">
          {e}
        </p>
      )}
      {children}
    </section>
  );
}

/** The text at `path`, its server error and length, and an id for its field. */
function useTextAt(path: string) {
  const { s, set, err } = useEditor();
  const value = String(getIn(s, path) ?? "");
  return { value, e: err(path), n: chars(value), set, fieldId: useId() };
}

/** A labelled text input bound to a path, with a live counter when it has a limit. */
export function Text({
  path,
  label,
  hint,
  max,
  placeholder,
  type = "text",
  class: cls,
  disabled,
}: {
  path: string;
  label: string;
  hint?: ComponentChildren;
  max?: number;
  placeholder?: string;
  type?: "text" | "tel" | "url";
  class?: string;
  disabled?: boolean;
}) {
  const { value, e, n, set, fieldId } = useTextAt(path);
  const over = max !== undefined && n > max;
  return (
    <Field
      id={fieldId}
      label={label}
      error={e}
      hint={hint}
      class={cls}
      aside={(id) =>
        max !== undefined && (
          <span class={"counter" + (over ? " is-over" : "")} id={id + "-count"} aria-live="polite">
            {n}/{max}
          </span>
        )
      }
    >
      {(id, describedBy) => (
        <input
          id={id}
          name={path}
          type={type as "text"}
          value={value}
          placeholder={placeholder}
          disabled={disabled}
          autoComplete="off"
          aria-invalid={e || over ? true : undefined}
          aria-describedby={[describedBy, max !== undefined ? id + "-count" : ""].filter(Boolean).join(" ") || undefined}
          onInput={(ev) => set(path, ev.currentTarget.value)}
        />
      )}
    </Field>
  );
}

export function TextArea({ path, label, hint, rows = 3, max, placeholder }: { path: string; label: string; hint?: ComponentChildren; rows?: number; max?: number; placeholder?: string }) {
  const { value, e, n, set, fieldId } = useTextAt(path);
  return (
    <Field id={fieldId} label={label} error={e} hint={hint} aside={() => max !== undefined && <span class={"counter" + (n > max ? " is-over" : "")}>{n}/{max}</span>}>
      {(id, describedBy) => (
        <textarea
          id={id}
          name={path}
          rows={rows}
          value={value}
          placeholder={placeholder}
          aria-invalid={e ? true : undefined}
          aria-describedby={describedBy}
          onInput={(ev) => set(path, ev.currentTarget.value)}
        />
      )}
    </Field>
  );
}

/** A whole number (seconds, minutes) bound to a path. */
export function NumberInput({ path, label, min, max, suffix, disabled }: { path: string; label: string; min?: number; max?: number; suffix?: string; disabled?: boolean }) {
  const { s, set, err } = useEditor();
  const v = getIn(s, path);
  const e = err(path);
  const fieldId = useId();
  return (
    <Field id={fieldId} label={label} error={e} class="field-num">
      {(id, describedBy) => (
        <div class="num-row">
          <input
            id={id}
            name={path}
            type="number"
            inputMode="numeric"
            min={min}
            max={max}
            step={1}
            value={typeof v === "number" ? String(v) : ""}
            disabled={disabled}
            aria-invalid={e ? true : undefined}
            aria-describedby={describedBy}
            onInput={(ev) => {
              const raw = ev.currentTarget.value;
              const n = parseInt(raw, 10);
              set(path, Number.isFinite(n) ? n : 0);
            }}
          />
          {suffix && <span class="muted small">{suffix}</span>}
        </div>
      )}
    </Field>
  );
}

/** A checkbox bound to a boolean path. */
export function Check({ path, label, hint, disabled }: { path: string; label: ComponentChildren; hint?: ComponentChildren; disabled?: boolean }) {
  const { s, set } = useEditor();
  const id = useId();
  return (
    <div class="check check-block">
      <input id={id} type="checkbox" name={path} checked={getIn(s, path) === true} disabled={disabled} onChange={(e) => set(path, e.currentTarget.checked)} />
      <label for={id}>
        <span>{label}</span>
        {hint && <span class="muted small check-hint">{hint}</span>}
      </label>
    </div>
  );
}

/** «Включить таб»: a switch bound to a boolean path. */
export function Switch({ path, label }: { path: string; label: string }) {
  const { s, set } = useEditor();
  const on = getIn(s, path) === true;
  return (
    <button type="button" role="switch" aria-checked={on} name={path} class={"switch" + (on ? " is-on" : "")} onClick={() => set(path, !on)}>
      <span class="switch-track" aria-hidden="true">
        <span class="switch-knob" />
      </span>
      <span>{label}</span>
    </button>
  );
}

/** A radio group bound to a path. */
export function Radios<V extends string>({ path, label, options }: { path: string; label: string; options: { value: V; label: string; hint?: string }[] }) {
  const { s, set } = useEditor();
  const name = useId();
  const value = getIn(s, path);
  return (
    <fieldset class="radios" data-field={path}>
      <legend>{label}</legend>
      <div class="seg">
        {options.map((o) => (
          <label class={"seg-opt" + (value === o.value ? " on" : "")}>
            <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => set(path, o.value)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * A contact request (§8): which fields of the field editor to ask for and which of them are
 * required. `null` means no request.
 */
export function ContactRequestEditor({ path, label }: { path: string; label?: string }) {
  const { t } = useI18n();
  const { s, set, err, goFields } = useEditor();
  const r = (getIn(s, path) as ContactRequest | null) || null;
  const id = useId();
  const e = err(path);
  const on = !!r;
  const has = (f: string) => r?.fields.find((x) => x.field === f);
  function toggle(field: string, asked: boolean) {
    const list = (r?.fields || []).filter((x) => x.field !== field);
    set(path, { fields: asked ? [...list, { field, required: false }] : list });
  }
  function require(field: string, required: boolean) {
    set(path, { fields: (r?.fields || []).map((x) => (x.field === field ? { ...x, required } : x)) });
  }
  return (
    <div class={"cr" + (on ? " is-on" : "")} data-field={path} tabIndex={-1}>
      <div class="check">
        <input
          id={id}
          type="checkbox"
          checked={on}
          onChange={(ev) => set(path, ev.currentTarget.checked ? { fields: s.fields.some((f) => f.id === "phone") ? [{ field: "phone", required: false }] : [] } : null)}
        />
        <label for={id}>{label || t("ws.cr.title")}</label>
      </div>
      {on && (
        <div class="cr-body">
          <table class="table grid-table cr-table">
            <RulesHead middle={t("ws.cr.ask")} />
            <tbody>
              {s.fields.map((f) => {
                const x = has(f.id);
                return (
                  <tr>
                    <td>{f.label}</td>
                    <td class="center">
                      <input type="checkbox" aria-label={t("ws.cr.askField", { FIELD: f.label })} checked={!!x} onChange={(ev) => toggle(f.id, ev.currentTarget.checked)} />
                    </td>
                    <td class="center">
                      <input
                        type="checkbox"
                        aria-label={t("ws.cr.requiredField", { FIELD: f.label })}
                        checked={!!x?.required}
                        disabled={!x}
                        onChange={(ev) => require(f.id, ev.currentTarget.checked)}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p class="muted small">
            {t("ws.cr.hint")}{" "}
            <button type="button" class="link-btn" onClick={goFields}>
              {t("ws.cr.editFields")}
            </button>
          </p>
        </div>
      )}
      {e && <p class="field-error">{e}</p>}
    </div>
  );
}

/** The head of a «field · asked (or shown) · required» table. */
export function RulesHead({ middle }: { middle: string }) {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        <th scope="col">{t("ws.cr.field")}</th>
        <th scope="col" class="center">
          {middle}
        </th>
        <th scope="col" class="center">
          {t("ws.cr.required")}
        </th>
      </tr>
    </thead>
  );
}

/** Several lines of free text as a list (one item a line; empty lines are dropped). */
export function LinesInput({ path, label, hint, placeholder }: { path: string; label: string; hint?: string; placeholder?: string }) {
  const { s, set, err } = useEditor();
  const list = (getIn(s, path) as string[]) || [];
  const [text, setText] = useState(list.join("\n"));
  const e = err(path);
  const parse = (v: string) => v.split("\n").map((l) => l.trim()).filter(Boolean);
  // Follow the list when it changes from outside (a reset, a reload).
  useEffect(() => {
    if (parse(text).join("\n") !== list.join("\n")) setText(list.join("\n"));
  }, [list.join("\n")]);
  const fieldId = useId();
  return (
    <Field id={fieldId} label={label} error={e} hint={hint}>
      {(id, describedBy) => (
        <textarea
          id={id}
          name={path}
          rows={3}
          spellcheck={false}
          placeholder={placeholder}
          value={text}
          aria-invalid={e ? true : undefined}
          aria-describedby={describedBy}
          onInput={(ev) => {
            setText(ev.currentTarget.value);
            set(path, parse(ev.currentTarget.value));
          }}
        />
      )}
    </Field>
  );
}

/** One input of a list item (an address, a group) bound to its dotted path. */
export function ItemInput({
  path,
  label,
  value,
  placeholder,
  type = "text",
  invalid,
  class: cls,
  aside,
}: {
  path: string;
  label: string;
  value: string;
  placeholder?: string;
  type?: "text" | "tel";
  invalid?: boolean;
  class?: string;
  aside?: ComponentChildren;
}) {
  const { set } = useEditor();
  const fieldId = useId();
  return (
    <Field id={fieldId} label={label} class={cls} aside={aside === undefined ? undefined : () => aside}>
      {(id) => (
        <input
          id={id}
          type={type as "text"}
          name={path}
          value={value}
          placeholder={placeholder}
          aria-invalid={invalid ? true : undefined}
          onInput={(e) => set(path, e.currentTarget.value)}
        />
      )}
    </Field>
  );
}
