// Building blocks shared by the cabinet pages: alerts, fields with server errors, the save
// button with its «Сохранено» feedback, modal dialogs, copy buttons, the time zone combobox.
import type { ComponentChildren, PartialInputHTMLAttributes } from "preact";
import { useEffect, useId, useMemo, useRef, useState } from "preact/hooks";
import { ApiError } from "./api";
import { tzLabel, tzMatches } from "./format";
import { TZ_RU, tzRussian } from "./tzNames";
import { useI18n, type Key, type T } from "./i18n";
import { IconAlert, IconCheck, IconClose, IconCopy, IconLock } from "./icons";

/**
 * An API error in the reader's language, from its code through the translations; a code the
 * cabinet does not know falls back to the server's (Russian) message for a Russian reader and
 * to a line for the status otherwise.
 */
export function errorText(err: unknown, t: T): string {
  if (err instanceof ApiError) {
    if (err.code === "network") return t("error.network");
    const key = ("err." + err.code) as Key;
    const known = t(key);
    if (known !== key) return known;
    if (err.message && t("lang.code") === "ru") return err.message;
    const byStatus = ("err.status." + err.status) as Key;
    if (t(byStatus) !== byStatus) return t(byStatus);
  }
  return t("error.generic");
}

export function Alert({ kind = "error", children }: { kind?: "error" | "ok" | "info"; children: ComponentChildren }) {
  return (
    <div class={"alert alert-" + kind} role={kind === "error" ? "alert" : "status"}>
      {kind === "ok" ? <IconCheck /> : <IconAlert />}
      <div class="alert-body">{children}</div>
    </div>
  );
}

/** A form's last error: the server's message, and the input it names (if any). */
export interface FormError {
  message: string;
  field?: string;
}

export function toFormError(err: unknown, t: T): FormError {
  return { message: errorText(err, t), field: err instanceof ApiError ? err.field : undefined };
}

/** The message for `field`, if the error names it. */
export const errorFor = (err: FormError | null, ...fields: string[]) => (err && err.field && fields.includes(err.field) ? err.message : undefined);

/** The form-level alert: shown when the error names none of the form's inputs. */
export function FormAlert({ err, fields }: { err: FormError | null; fields: string[] }) {
  if (!err || (err.field && fields.includes(err.field))) return null;
  return <Alert>{err.message}</Alert>;
}

/** Focuses the input named by a server error (after the render that marks it invalid). */
export function focusField(form: HTMLElement | null, field?: string) {
  if (!form || !field) return;
  requestAnimationFrame(() => {
    const el = form.querySelector<HTMLElement>(`[name="${CSS.escape(field)}"]`);
    el?.focus();
  });
}

type InputProps = Omit<PartialInputHTMLAttributes<HTMLInputElement>, "label" | "value" | "onInput" | "type" | "name" | "role" | "list"> & {
  label: string;
  name: string;
  value: string;
  onValue?: (v: string) => void;
  error?: string;
  hint?: ComponentChildren;
  type?: "text" | "email" | "password" | "tel" | "number" | "search";
};

/** A labelled text input with its error and hint underneath. */
export function TextField({ label, name, value, onValue, error, hint, type = "text", class: cls, ...rest }: InputProps) {
  const fieldId = useId();
  return (
    <Field id={fieldId} label={label} error={error} hint={hint} class={cls as string | undefined}>
      {(id, describedBy) => (
        <input
          {...rest}
          id={id}
          name={name}
          type={type as "text"}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onInput={onValue ? (e) => onValue(e.currentTarget.value) : undefined}
        />
      )}
    </Field>
  );
}

/**
 * A labelled control of any kind (select, combobox…): `children(id, describedBy)`, with its
 * error or hint underneath. With `aside` the label shares a row with it (a counter). `id`:
 * the control's id when the caller has one.
 */
export function Field({
  id: given,
  label,
  error,
  hint,
  class: cls,
  aside,
  children,
}: {
  label: string;
  error?: string;
  hint?: ComponentChildren;
  id?: string;
  class?: string;
  aside?: (id: string) => ComponentChildren;
  children: (id: string, describedBy?: string) => ComponentChildren;
}) {
  const own = useId();
  const id = given || own;
  return (
    <div class={"field" + (cls ? " " + cls : "")}>
      {aside ? (
        <div class="label-row">
          <label for={id}>{label}</label>
          {aside(id)}
        </div>
      ) : (
        <label for={id}>{label}</label>
      )}
      {children(id, error ? id + "-err" : hint ? id + "-hint" : undefined)}
      {error ? (
        <p class="field-error" id={id + "-err"}>
          {error}
        </p>
      ) : hint ? (
        <p class="field-hint" id={id + "-hint"}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export type SaveState = "idle" | "busy" | "saved";

/** Runs a save and shows «Сохранено» for a moment after it succeeds. */
export function useSave() {
  const [state, setState] = useState<SaveState>("idle");
  const timer = useRef<number>(0);
  useEffect(() => () => clearTimeout(timer.current), []);
  async function run(fn: () => Promise<unknown>): Promise<boolean> {
    if (state === "busy") return false;
    clearTimeout(timer.current);
    setState("busy");
    try {
      await fn();
    } catch (e) {
      setState("idle");
      throw e;
    }
    setState("saved");
    timer.current = window.setTimeout(() => setState("idle"), 2500);
    return true;
  }
  return { state, run, reset: () => setState("idle") };
}

export function SaveButton({ state, label, busyLabel, savedLabel, disabled }: { state: SaveState; label?: string; busyLabel?: string; savedLabel?: string; disabled?: boolean }) {
  const { t } = useI18n();
  return (
    <button class={"btn btn-primary" + (state === "saved" ? " is-saved" : "")} type="submit" disabled={disabled || state === "busy"} aria-busy={state === "busy"}>
      {state === "saved" && <IconCheck />}
      {state === "busy" ? busyLabel || t("common.saving") : state === "saved" ? savedLabel || t("common.saved") : label || t("common.save")}
    </button>
  );
}

/** A quiet inline «Сохранено» for lists that save on every change. */
export function SavedNote({ state }: { state: SaveState }) {
  const { t } = useI18n();
  return (
    <span class={"saved-note" + (state === "idle" ? " is-hidden" : "")} role="status" aria-live="polite">
      {state === "busy" ? t("common.saving") : state === "saved" ? (
        <>
          <IconCheck /> {t("common.saved")}
        </>
      ) : (
        ""
      )}
    </span>
  );
}

/** A modal <dialog>: Esc, the close button and a click on the backdrop call onClose. */
export function Modal({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    return () => {
      if (d.open) d.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={"modal" + (wide ? " modal-wide" : "")}
      aria-labelledby={id}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onMouseDown={(e) => {
        if (e.target === ref.current) onClose();
      }}
    >
      <div class="modal-box">
        <div class="modal-head">
          <h2 id={id}>{title}</h2>
          <button type="button" class="btn btn-ghost btn-icon" aria-label={t("common.close")} title={t("common.close")} onClick={onClose}>
            <IconClose />
          </button>
        </div>
        {children}
      </div>
    </dialog>
  );
}

/** A confirmation with a danger (or primary) action. */
export function Confirm({
  title,
  text,
  action,
  danger,
  onConfirm,
  onClose,
}: {
  title: string;
  text: ComponentChildren;
  action: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  async function go() {
    setBusy(true);
    setError("");
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(errorText(e, t));
      setBusy(false);
    }
  }
  return (
    <Modal title={title} onClose={onClose}>
      <div class="modal-body">
        {error && <Alert>{error}</Alert>}
        <p>{text}</p>
      </div>
      <div class="modal-foot">
        <button type="button" class="btn btn-secondary" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button type="button" class={"btn " + (danger ? "btn-danger" : "btn-primary")} disabled={busy} onClick={go}>
          {action}
        </button>
      </div>
    </Modal>
  );
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    /* no permission or no secure context: fall back to a selection */
  }
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.style.position = "fixed";
  ta.style.opacity = "0";
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

/** Copies `text`; the label turns into «Скопировано» for a moment. */
export function useCopy() {
  const [copied, setCopied] = useState(false);
  const timer = useRef<number>(0);
  useEffect(() => () => clearTimeout(timer.current), []);
  return {
    copied,
    copy: async (text: string) => {
      if (await copyText(text)) {
        setCopied(true);
        clearTimeout(timer.current);
        timer.current = window.setTimeout(() => setCopied(false), 2000);
      }
    },
  };
}

export function CopyButton({ text, label, ariaLabel, small }: { text: string; label?: string; ariaLabel?: string; small?: boolean }) {
  const { t } = useI18n();
  const { copied, copy } = useCopy();
  return (
    <button
      type="button"
      class={"btn btn-secondary" + (small ? " btn-sm" : "") + (copied ? " is-saved" : "")}
      aria-label={copied ? t("common.copied") : ariaLabel}
      onClick={() => copy(text)}
    >
      {copied ? <IconCheck /> : <IconCopy />}
      {copied ? t("common.copied") : label || t("common.copy")}
    </button>
  );
}

/** A project page's panel when the user has no project yet, with the page's icon. */
export function NoProject({ icon }: { icon: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <section class="card empty">
      <div class="empty-icon">{icon}</div>
      <h2>{t("project.emptyTitle")}</h2>
      <p class="muted">{t("project.emptyText")}</p>
    </section>
  );
}

/** Two local dates bounding a period («С» … «По»); each limits the other. */
export function DateRange({ from, to, onChange }: { from: string; to: string; onChange: (end: "from" | "to", value: string) => void }) {
  const { t } = useI18n();
  return (
    <>
      <label class="filter-date">
        <span class="muted small">{t("journal.from")}</span>
        <input type="date" name="from" value={from} max={to || undefined} onChange={(e) => onChange("from", e.currentTarget.value)} />
      </label>
      <label class="filter-date">
        <span class="muted small">{t("journal.to")}</span>
        <input type="date" name="to" value={to} min={from || undefined} onChange={(e) => onChange("to", e.currentTarget.value)} />
      </label>
    </>
  );
}

/** A panel that explains why a page is not available. */
export function Refusal({ title, text }: { title: string; text: string }) {
  return (
    <section class="card empty refusal" role="region" aria-label={title}>
      <div class="empty-icon refusal-icon">
        <IconLock />
      </div>
      <h2>{title}</h2>
      <p class="muted">{text}</p>
    </section>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <div class="loading" role="status" aria-busy="true">
      <span class="spinner" aria-hidden="true" />
      {t("app.loading")}
    </div>
  );
}

export function LoadError({ err, onRetry }: { err: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <Alert>
      {errorText(err, t)}
      {onRetry && (
        <button type="button" class="link-btn" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </Alert>
  );
}

/**
 * A searchable select of IANA time zones (ARIA 1.2 combobox): type to filter, arrows to move,
 * Enter or a click to choose, Esc to leave the value as it was.
 */
export function TimezoneSelect({
  id,
  value,
  zones,
  onChange,
  describedBy,
  invalid,
  name = "timezone",
}: {
  id: string;
  value: string;
  zones: string[];
  onChange: (tz: string) => void;
  describedBy?: string;
  invalid?: boolean;
  name?: string;
}) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const all = useMemo(() => (zones.includes(value) || !value ? zones : [value, ...zones]), [zones, value]);
  const list = useMemo(() => (open ? all.filter((z) => tzMatches(z, query, tzRussian(z))) : []), [open, all, query]);
  const listId = id + "-list";

  const inputRef = useRef<HTMLInputElement>(null);
  const [pos, setPos] = useState<Record<string, string>>({});

  // The list is position: fixed next to the input, so dialogs and cards never clip it; it
  // opens upwards when there is more room above.
  useEffect(() => {
    if (!open) return;
    const place = () => {
      const r = inputRef.current?.getBoundingClientRect();
      if (!r) return;
      const below = innerHeight - r.bottom - 12;
      const above = r.top - 12;
      const up = below < 220 && above > below;
      const max = Math.max(120, Math.min(280, up ? above : below));
      setPos({
        left: r.left + "px",
        width: r.width + "px",
        maxHeight: max + "px",
        ...(up ? { bottom: innerHeight - r.top + 6 + "px" } : { top: r.bottom + 6 + "px" }),
      });
    };
    place();
    addEventListener("resize", place);
    addEventListener("scroll", place, true);
    return () => {
      removeEventListener("resize", place);
      removeEventListener("scroll", place, true);
    };
  }, [open]);

  // Keep the active option in view by scrolling the list only (never the page or a dialog).
  useEffect(() => {
    const box = listRef.current;
    const el = box?.children[active] as HTMLElement | undefined;
    if (!box || !el) return;
    if (el.offsetTop < box.scrollTop) box.scrollTop = el.offsetTop - 6;
    else if (el.offsetTop + el.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = el.offsetTop + el.offsetHeight - box.clientHeight + 6;
  }, [open, active, list, pos]);

  function openList() {
    setQuery("");
    setActive(Math.max(0, all.indexOf(value)));
    setOpen(true);
  }
  function choose(tz: string) {
    onChange(tz);
    setOpen(false);
    setQuery("");
  }
  function onKey(e: KeyboardEvent) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) return openList();
      const d = e.key === "ArrowDown" ? 1 : -1;
      setActive((a) => Math.min(Math.max(a + d, 0), Math.max(list.length - 1, 0)));
    } else if (e.key === "Enter") {
      if (open) {
        e.preventDefault();
        if (list[active]) choose(list[active]!);
      }
    } else if (e.key === "Escape") {
      if (open) {
        e.preventDefault();
        e.stopPropagation();
        setOpen(false);
      }
    }
  }
  return (
    <div class="combo">
      <input
        ref={inputRef}
        id={id}
        name={name}
        type="text"
        role="combobox"
        autoComplete="off"
        spellcheck={false}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && list[active] ? listId + "-" + active : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid ? true : undefined}
        placeholder={open ? tzLabel(value) : t("tz.placeholder")}
        value={open ? query : value ? tzLabel(value) : ""}
        onFocus={openList}
        onClick={() => !open && openList()}
        onBlur={() => setOpen(false)}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          setActive(0);
          if (!open) setOpen(true);
        }}
        onKeyDown={onKey}
      />
      <span class="combo-caret" aria-hidden="true" />
      {open && (
        <ul class="combo-list" id={listId} role="listbox" ref={listRef} aria-label={t("tz.list")} style={pos}>
          {list.length === 0 && <li class="combo-empty">{t("tz.none")}</li>}
          {list.map((z, i) => (
            <li
              id={listId + "-" + i}
              role="option"
              aria-selected={z === value}
              class={(i === active ? "active " : "") + (z === value ? "selected" : "")}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(z);
              }}
              onMouseMove={() => i !== active && setActive(i)}
            >
              {tzLabel(z)}
              {lang === "ru" && TZ_RU[z] && <span class="combo-sub">{tzRussian(z)}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Access chips in a fixed order. */
export function Chip({ children, tone }: { children: ComponentChildren; tone?: string }) {
  return <span class={"chip" + (tone ? " chip-" + tone : "")}>{children}</span>;
}

export function Tabs<K extends string>({
  label,
  tabs,
  current,
  onSelect,
  hrefOf,
}: {
  label: string;
  tabs: { id: K; title: Key }[];
  current: K;
  onSelect: (k: K) => void;
  hrefOf?: (k: K) => string;
}) {
  const { t } = useI18n();
  const refs = useRef<(HTMLAnchorElement | null)[]>([]);
  // On a narrow screen the bar scrolls sideways: keep the current tab in sight.
  useEffect(() => {
    const el = refs.current[tabs.findIndex((x) => x.id === current)];
    if (el && el.scrollIntoView) el.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [current]);
  function onKey(e: KeyboardEvent, i: number) {
    const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    const j = (i + d + tabs.length) % tabs.length;
    onSelect(tabs[j]!.id);
    refs.current[j]?.focus();
  }
  return (
    <div class="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab, i) => (
        <a
          ref={(el) => {
            refs.current[i] = el;
          }}
          role="tab"
          href={hrefOf ? hrefOf(tab.id) : "#"}
          id={"tab-" + tab.id}
          aria-selected={tab.id === current}
          aria-controls={"panel-" + tab.id}
          tabIndex={tab.id === current ? 0 : -1}
          class={tab.id === current ? "on" : ""}
          onClick={(e) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
            e.preventDefault();
            onSelect(tab.id);
          }}
          onKeyDown={(e) => onKey(e, i)}
        >
          {t(tab.title)}
        </a>
      ))}
    </div>
  );
}
