// The project switcher of the sidebar, the «Создать проект» dialog, and the signed-in user's
// invitations to other projects' teams (accepted or declined here).
import { useEffect, useId, useRef, useState } from "preact/hooks";
import {
  acceptInvitation,
  createProject,
  declineInvitation,
  listInvitations,
  spheres as loadSpheres,
  timezones as loadTimezones,
  type Invitation,
  type Project,
  type Sphere,
} from "./api";
import { formatDate } from "./format";
import { useI18n, type Key, type T } from "./i18n";
import { IconCheck, IconChevron, IconFolder, IconPlus } from "./icons";
import { navigate } from "./nav";
import { isInactive, useProjects, useSession } from "./state";
import { Alert, errorFor, errorText, Field, FormAlert, focusField, Modal, TextField, TimezoneSelect, toFormError, type FormError } from "./ui";

export function ProjectSwitcher({ onCreate }: { onCreate: () => void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const { list, current, select } = useProjects();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", onDoc);
    document.addEventListener("keydown", onKey);
    requestAnimationFrame(() => box.current?.querySelector<HTMLElement>('[role^="menuitem"]')?.focus());
    return () => {
      document.removeEventListener("mousedown", onDoc);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const shown = (list || []).filter((p) => !(user.hide_inactive_projects && isInactive(p)) || p.id === current?.id);

  function onMenuKey(e: KeyboardEvent) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    e.preventDefault();
    const items = Array.from(box.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') || []);
    const i = items.indexOf(document.activeElement as HTMLElement);
    const j = (i + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
    items[j]?.focus();
  }

  return (
    <div class="proj" ref={box}>
      <button
        type="button"
        class="proj-btn"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen(!open)}
        disabled={list === null}
        title={current?.name}
      >
        <span class="proj-icon" aria-hidden="true">
          <IconFolder />
        </span>
        <span class="proj-text">
          <span class="proj-caption">{t("project.label")}</span>
          <span class="proj-name">{list === null ? t("app.loading") : current ? current.name : t("project.none")}</span>
        </span>
        <IconChevron />
      </button>
      {open && (
        <div class="proj-menu" role="menu" id={menuId} aria-label={t("project.switch")} onKeyDown={onMenuKey}>
          {shown.map((p) => (
            <button
              type="button"
              role="menuitemradio"
              aria-checked={p.id === current?.id}
              class="proj-item"
              title={p.name}
              onClick={() => {
                select(p.id);
                setOpen(false);
              }}
            >
              <span class="proj-item-name">{p.name}</span>
              {p.id === current?.id && <IconCheck />}
            </button>
          ))}
          {shown.length > 0 && <div class="proj-sep" role="separator" />}
          <button
            type="button"
            role="menuitem"
            class="proj-item proj-create"
            onClick={() => {
              setOpen(false);
              onCreate();
            }}
          >
            <IconPlus size={16} />
            <span>{t("project.create")}</span>
          </button>
        </div>
      )}
    </div>
  );
}

/** A business sphere in the reader's language (the server's list is Russian). */
export function sphereName(s: Sphere, t: T): string {
  const key = ("sphere." + s.id) as Key;
  const name = t(key);
  return name === key ? s.name : name;
}

export function CreateProjectDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const { reload, select } = useProjects();
  const [name, setName] = useState("");
  const [sphere, setSphere] = useState("");
  const [tz, setTz] = useState(user.timezone || "Europe/Moscow");
  const [spheres, setSpheres] = useState<Sphere[]>([]);
  const [zones, setZones] = useState<string[]>([]);
  const [err, setErr] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    loadSpheres().then(setSpheres, () => {});
    loadTimezones().then(setZones, () => {});
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setErr({ message: t("project.nameRequired"), field: "name" });
      return focusField(form.current, "name");
    }
    setBusy(true);
    setErr(null);
    try {
      const p: Project = await createProject({ name: name.trim(), sphere: sphere || undefined, timezone: tz || undefined });
      await reload();
      select(p.id);
      onClose();
      navigate("/settings");
    } catch (e) {
      const fe = toFormError(e, t);
      setErr(fe);
      setBusy(false);
      focusField(form.current, fe.field);
    }
  }

  return (
    <Modal title={t("project.createTitle")} onClose={onClose}>
      <form ref={form} onSubmit={submit} noValidate>
        <div class="modal-body">
          <p class="muted small modal-lead">{t("project.createLead")}</p>
          <FormAlert err={err} fields={["name", "sphere", "timezone"]} />
          <TextField label={t("project.name")} name="name" value={name} onValue={setName} error={errorFor(err, "name")} hint={t("project.nameHint")} autoFocus />
          <Field label={t("project.sphere")} error={errorFor(err, "sphere")}>
            {(id, d) => (
              <select id={id} name="sphere" value={sphere} aria-describedby={d} onChange={(e) => setSphere(e.currentTarget.value)}>
                <option value="">{t("project.sphereNone")}</option>
                {spheres.map((s) => (
                  <option value={s.id}>{sphereName(s, t)}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t("profile.timezone")} error={errorFor(err, "timezone")}>
            {(id, d) => <TimezoneSelect id={id} value={tz} zones={zones} onChange={setTz} describedBy={d} />}
          </Field>
        </div>
        <div class="modal-foot">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t("project.creating") : t("project.createSubmit")}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The invitations waiting for the user's answer, above every page; nothing when there are none. */
export function Invitations() {
  const { t, lang } = useI18n();
  const { reload, select } = useProjects();
  const [list, setList] = useState<Invitation[]>([]);
  const [note, setNote] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    listInvitations().then(setList, () => {});
  }, []);

  async function answer(inv: Invitation, accept: boolean) {
    if (busy) return;
    setBusy(true);
    try {
      if (accept) {
        await acceptInvitation(inv.project_id);
        await reload();
        select(inv.project_id);
      } else {
        await declineInvitation(inv.project_id);
      }
      setNote({ kind: "ok", text: t(accept ? "invite.accepted" : "invite.declined", { PROJECT: inv.project_name }) });
    } catch (e) {
      setNote({ kind: "error", text: errorText(e, t) });
    }
    setList((l) => l.filter((x) => x.project_id !== inv.project_id));
    setBusy(false);
  }

  if (!list.length && !note) return null;
  return (
    <section class="card stack invitations" aria-label={t("invite.title")}>
      <h2>{t("invite.title")}</h2>
      {note && <Alert kind={note.kind}>{note.text}</Alert>}
      {list.map((inv) => (
        <div class="invitation" key={inv.project_id}>
          <div>
            <strong>{t("invite.text", { PROJECT: inv.project_name })}</strong>
            <p class="muted small">
              {t("invite.details", { ACCESSES: inv.accesses.map((a) => t(("access." + a) as Key)).join(", "), DATE: formatDate(inv.expires_at, lang) })}
            </p>
          </div>
          <div class="row-actions">
            <button type="button" class="btn btn-primary" disabled={busy} onClick={() => answer(inv, true)}>
              {t("invite.accept")}
            </button>
            <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => answer(inv, false)}>
              {t("invite.decline")}
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}
