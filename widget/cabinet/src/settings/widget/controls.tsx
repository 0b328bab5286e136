// Controls of the «Чат на сайте» settings: every input is named by its dotted settings path
// (`chat.name`), so a 422 that names it marks and focuses exactly that input.
import { createContext, type ComponentChildren } from "preact";
import { useContext, useEffect, useId, useState } from "preact/hooks";
import type { Member } from "../../api";
import { useI18n } from "../../i18n";
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
  const { s, set, err } = useEditor();
  const id = useId();
  const value = String(getIn(s, path) ?? "");
  const e = err(path);
  const n = chars(value);
  const over = max !== undefined && n > max;
  return (
    <div class={"field" + (cls ? " " + cls : "")}>
      <div class="label-row">
        <label for={id}>{label}</label>
        {max !== undefined && (
          <span class={"counter" + (over ? " is-over" : "")} id={id + "-count"} aria-live="polite">
            {n}/{max}
          </span>
        )}
      </div>
      <input
        id={id}
        name={path}
        type={type as "text"}
        value={value}
        placeholder={placeholder}
        disabled={disabled}
        autoComplete="off"
        aria-invalid={e || over ? true : undefined}
        aria-describedby={[e ? id + "-err" : hint ? id + "-hint" : "", max !== undefined ? id + "-count" : ""].filter(Boolean).join(" ") || undefined}
        onInput={(ev) => set(path, ev.currentTarget.value)}
      />
      {e ? (
        <p class="field-error" id={id + "-err"}>
          {e}
        </p>
      ) : hint ? (
        <p class="field-hint" id={id + "-hint"}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function TextArea({ path, label, hint, rows = 3, max, placeholder }: { path: string; label: string; hint?: ComponentChildren; rows?: number; max?: number; placeholder?: string }) {
  const { s, set, err } = useEditor();
  const id = useId();
  const value = String(getIn(s, path) ?? "");
  const e = err(path);
  const n = chars(value);
  return (
    <div class="field">
      <div class="label-row">
        <label for={id}>{label}</label>
        {max !== undefined && <span class={"counter" + (n > max ? " is-over" : "")}>{n}/{max}</span>}
      </div>
      <textarea
        id={id}
        name={path}
        rows={rows}
        value={value}
        placeholder={placeholder}
        aria-invalid={e ? true : undefined}
        aria-describedby={e ? id + "-err" : hint ? id + "-hint" : undefined}
        onInput={(ev) => set(path, ev.currentTarget.value)}
      />
      {e ? (
        <p class="field-error" id={id + "-err"}>
          {e}
        </p>
      ) : hint ? (
        <p class="field-hint" id={id + "-hint"}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A whole number (seconds, minutes) bound to a path. */
export function NumberInput({ path, label, min, max, suffix, disabled }: { path: string; label: string; min?: number; max?: number; suffix?: string; disabled?: boolean }) {
  const { s, set, err } = useEditor();
  const id = useId();
  const v = getIn(s, path);
  const e = err(path);
  return (
    <div class="field field-num">
      <label for={id}>{label}</label>
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
          aria-describedby={e ? id + "-err" : undefined}
          onInput={(ev) => {
            const raw = ev.currentTarget.value;
            const n = parseInt(raw, 10);
            set(path, Number.isFinite(n) ? n : 0);
          }}
        />
        {suffix && <span class="muted small">{suffix}</span>}
      </div>
      {e && (
        <p class="field-error" id={id + "-err"}>
          {e}
        </p>
      )}
    </div>
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
            <thead>
              <tr>
                <th scope="col">{t("ws.cr.field")}</th>
                <th scope="col" class="center">
                  {t("ws.cr.ask")}
                </th>
                <th scope="col" class="center">
                  {t("ws.cr.required")}
                </th>
              </tr>
            </thead>
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

/** Several lines of free text as a list (one item a line; empty lines are dropped). */
export function LinesInput({ path, label, hint, placeholder }: { path: string; label: string; hint?: string; placeholder?: string }) {
  const { s, set, err } = useEditor();
  const id = useId();
  const list = (getIn(s, path) as string[]) || [];
  const [text, setText] = useState(list.join("\n"));
  const e = err(path);
  const parse = (v: string) => v.split("\n").map((l) => l.trim()).filter(Boolean);
  // Follow the list when it changes from outside (a reset, a reload).
  useEffect(() => {
    if (parse(text).join("\n") !== list.join("\n")) setText(list.join("\n"));
  }, [list.join("\n")]);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name={path}
        rows={3}
        spellcheck={false}
        placeholder={placeholder}
        value={text}
        aria-invalid={e ? true : undefined}
        aria-describedby={e ? id + "-err" : hint ? id + "-hint" : undefined}
        onInput={(ev) => {
          setText(ev.currentTarget.value);
          set(path, parse(ev.currentTarget.value));
        }}
      />
      {e ? (
        <p class="field-error" id={id + "-err"}>
          {e}
        </p>
      ) : hint ? (
        <p class="field-hint" id={id + "-hint"}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
