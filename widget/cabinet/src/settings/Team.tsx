// Команда (§3): members with their accesses, search and filter, add, edit, remove, transfer
// the administrator's role; below, the operators' working hours (§10).
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { ACCESSES, addMember, displayName, type Added, listMembers, removeMember, transferAdmin, updateMember, type Access, type Member } from "../api";
import { formatPhone } from "../format";
import { useI18n, type Key } from "../i18n";
import { IconCrown, IconEdit, IconPlus, IconSearch, IconTrash } from "../icons";
import type { TabProps } from "../Settings";
import { SchedulesCard } from "./Schedules";
import { useSession } from "../state";
import { Alert, Chip, Confirm, errorFor, FormAlert, focusField, LoadError, Loading, Modal, TextField, toFormError, type FormError } from "../ui";

export const ACCESS_LABEL: Record<Access, Key> = {
  admin: "access.admin",
  settings: "access.settings",
  analytics: "access.analytics",
  operator: "access.operator",
};
const ACCESS_DESC: Record<Access, Key> = {
  admin: "access.admin.desc",
  settings: "access.settings.desc",
  analytics: "access.analytics.desc",
  operator: "access.operator.desc",
};
/** Assignable in the add and edit dialogs (the administrator is transferred, not assigned). */
const ASSIGNABLE: Access[] = ["settings", "analytics", "operator"];

export const sortAccesses = (a: Access[]) => ACCESSES.filter((x) => a.includes(x));

export function AccessChips({ accesses }: { accesses: Access[] }) {
  const { t } = useI18n();
  return (
    <span class="chips">
      {sortAccesses(accesses).map((a) => (
        <Chip tone={a}>{t(ACCESS_LABEL[a])}</Chip>
      ))}
    </span>
  );
}

export function TeamTab(props: TabProps & { onAccessesChanged: () => void }) {
  const { project, accesses, onAccessesChanged } = props;
  const { t } = useI18n();
  const { user } = useSession();
  const [q, setQ] = useState("");
  const [filter, setFilter] = useState<"" | Access>("");
  const [members, setMembers] = useState<Member[] | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [dialog, setDialog] = useState<null | { kind: "add" } | { kind: "edit" | "remove" | "transfer"; member: Member }>(null);
  const [notice, setNotice] = useState("");
  const searchId = useId();
  const filterId = useId();
  const seq = useRef(0);
  const [version, setVersion] = useState(0);
  const isAdmin = accesses.includes("admin");

  async function load() {
    const n = ++seq.current;
    try {
      const m = await listMembers(project.id, q.trim(), filter);
      if (n === seq.current) {
        setMembers(m);
        setErr(null);
        setVersion((v) => v + 1);
      }
    } catch (e) {
      if (n === seq.current) setErr(e);
    }
  }
  useEffect(() => {
    const h = setTimeout(load, q ? 250 : 0);
    return () => clearTimeout(h);
  }, [project.id, q, filter]);

  const close = () => setDialog(null);
  const isMe = (m: Member) => (user.id ? m.user_id === user.id : m.email === user.email);

  return (
    <>
      <section class="card section" aria-labelledby="team-title">
        <div class="section-head">
          <h3 id="team-title">{t("team.title")}</h3>
          <p class="muted small">{t("team.lead")}</p>
        </div>
        <div class="toolbar">
          <div class="search">
            <IconSearch />
            <label for={searchId} class="sr-only">
              {t("team.search")}
            </label>
            <input id={searchId} type="search" placeholder={t("team.searchPlaceholder")} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
          </div>
          <label for={filterId} class="sr-only">
            {t("team.filter")}
          </label>
          <select id={filterId} class="select-inline" value={filter} onChange={(e) => setFilter(e.currentTarget.value as Access | "")}>
            <option value="">{t("team.allAccesses")}</option>
            {ACCESSES.map((a) => (
              <option value={a}>{t(ACCESS_LABEL[a])}</option>
            ))}
          </select>
          <span class="grow" />
          <button type="button" class="btn btn-primary" onClick={() => setDialog({ kind: "add" })}>
            <IconPlus />
            {t("team.add")}
          </button>
        </div>
        {notice && <Alert kind="ok">{notice}</Alert>}
        {err ? (
          <LoadError err={err} onRetry={load} />
        ) : members === null ? (
          <Loading />
        ) : members.length === 0 ? (
          <p class="note center">{q || filter ? t("team.noMatches") : t("team.empty")}</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t("team.col.member")}</th>
                  <th scope="col">{t("team.col.phone")}</th>
                  <th scope="col">{t("team.col.accesses")}</th>
                  <th scope="col" class="actions-col">
                    <span class="sr-only">{t("team.col.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => {
                  const name = displayName(m);
                  return (
                    <tr>
                      <td data-label={t("team.col.member")}>
                        <div class="person">
                          <span class="avatar avatar-sm" aria-hidden="true">
                            {(m.first_name || m.email)[0]!.toUpperCase()}
                            {(m.last_name || "")[0]?.toUpperCase() || ""}
                          </span>
                          <span class="person-text">
                            <span class="person-name">
                              {name}
                              {isMe(m) && <span class="muted"> · {t("team.you")}</span>}
                            </span>
                            {name !== m.email && <span class="muted small">{m.email}</span>}
                          </span>
                        </div>
                      </td>
                      <td class="nowrap" data-label={t("team.col.phone")}>
                        {formatPhone(m.phone) || <span class="muted">—</span>}
                      </td>
                      <td data-label={t("team.col.accesses")}>
                        <AccessChips accesses={m.accesses} />
                      </td>
                      <td class="actions">
                        <button type="button" class="btn btn-ghost btn-icon btn-icon-sm" aria-label={t("team.edit", { NAME: name })} title={t("team.edit", { NAME: name })} onClick={() => setDialog({ kind: "edit", member: m })}>
                          <IconEdit />
                        </button>
                        {isAdmin && !m.accesses.includes("admin") && (
                          <button
                            type="button"
                            class="btn btn-ghost btn-icon btn-icon-sm"
                            aria-label={t("team.transfer", { NAME: name })}
                            title={t("team.transfer", { NAME: name })}
                            onClick={() => setDialog({ kind: "transfer", member: m })}
                          >
                            <IconCrown />
                          </button>
                        )}
                        {!m.accesses.includes("admin") && (
                          <button
                            type="button"
                            class="btn btn-ghost btn-icon btn-icon-sm btn-danger-ghost"
                            aria-label={t("team.remove", { NAME: name })}
                            title={t("team.remove", { NAME: name })}
                            onClick={() => setDialog({ kind: "remove", member: m })}
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
          </div>
        )}
        {dialog?.kind === "add" && (
          <AddMemberDialog
            projectId={project.id}
            onClose={close}
            onAdded={(m) => {
              setNotice(t("team.added", { EMAIL: m.email }));
              load();
            }}
          />
        )}
        {dialog?.kind === "edit" && (
          <EditAccessDialog
            projectId={project.id}
            member={dialog.member}
            onClose={close}
            onSaved={() => {
              setNotice("");
              load();
              if (isMe(dialog.member)) onAccessesChanged();
            }}
          />
        )}
        {dialog?.kind === "remove" && (
          <Confirm
            title={t("team.removeTitle")}
            text={t("team.removeText", { NAME: displayName(dialog.member), PROJECT: project.name })}
            action={t("team.removeAction")}
            danger
            onClose={close}
            onConfirm={async () => {
              await removeMember(project.id, dialog.member.user_id);
              setNotice("");
              await load();
            }}
          />
        )}
        {dialog?.kind === "transfer" && (
          <Confirm
            title={t("team.transferTitle")}
            text={t("team.transferText", { NAME: displayName(dialog.member) })}
            action={t("team.transferAction")}
            onClose={close}
            onConfirm={async () => {
              await transferAdmin(project.id, dialog.member.user_id);
              setNotice(t("team.transferred", { NAME: displayName(dialog.member) }));
              await load();
              onAccessesChanged();
            }}
          />
        )}
      </section>
      <SchedulesCard project={project} accesses={accesses} setProject={props.setProject} reloadKey={version} />
    </>
  );
}

function AccessCheckboxes({ value, onChange, locked, error }: { value: Access[]; onChange: (a: Access[]) => void; locked?: Access[]; error?: string }) {
  const { t } = useI18n();
  const base = useId();
  const list: Access[] = [...(locked || []), ...ASSIGNABLE];
  return (
    <fieldset class="accesses" aria-describedby={error ? base + "-err" : undefined} aria-invalid={error ? true : undefined}>
      <legend>{t("team.accesses")}</legend>
      {list.map((a) => {
        const id = base + a;
        const isLocked = locked?.includes(a);
        return (
          <div class="access-opt">
            <input
              id={id}
              type="checkbox"
              name="accesses"
              value={a}
              checked={value.includes(a)}
              disabled={isLocked}
              onChange={(e) => onChange(e.currentTarget.checked ? sortAccesses([...value, a]) : value.filter((x) => x !== a))}
            />
            <label for={id}>
              <span class="access-name">{t(ACCESS_LABEL[a])}</span>
              <span class="muted small">{t(ACCESS_DESC[a])}</span>
            </label>
          </div>
        );
      })}
      {error && (
        <p class="field-error" id={base + "-err"}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

function AddMemberDialog({ projectId, onClose, onAdded }: { projectId: string; onClose: () => void; onAdded: (m: Added) => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [first, setFirst] = useState("");
  const [last, setLast] = useState("");
  const [phone, setPhone] = useState("");
  const [acc, setAcc] = useState<Access[]>([]);
  const [err, setErr] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    let fe: FormError | null = null;
    if (!email.trim()) fe = { message: t("team.emailRequired"), field: "email" };
    else if (!first.trim()) fe = { message: t("team.firstRequired"), field: "first_name" };
    else if (!last.trim()) fe = { message: t("team.lastRequired"), field: "last_name" };
    else if (!acc.length) fe = { message: t("team.accessRequired"), field: "accesses" };
    if (fe) {
      setErr(fe);
      return focusField(form.current, fe.field);
    }
    setBusy(true);
    setErr(null);
    try {
      const m = await addMember(projectId, { email: email.trim(), first_name: first.trim(), last_name: last.trim(), phone: phone.trim() || undefined, accesses: acc });
      onAdded(m);
      onClose();
    } catch (e) {
      const f = toFormError(e, t);
      setErr(f);
      setBusy(false);
      focusField(form.current, f.field);
    }
  }

  return (
    <Modal title={t("team.addTitle")} onClose={onClose} wide>
      <form ref={form} onSubmit={submit} noValidate>
        <div class="modal-body">
          <p class="muted small modal-lead">{t("team.addLead")}</p>
          <FormAlert err={err} fields={["email", "first_name", "last_name", "phone", "accesses"]} />
          <div class="row-2">
            <TextField label={t("profile.email")} name="email" type="email" autoFocus value={email} onValue={setEmail} error={errorFor(err, "email")} />
            <TextField label={t("profile.phone")} name="phone" type="tel" placeholder="+7 (999) 999-99-99" value={phone} onValue={setPhone} error={errorFor(err, "phone")} hint={t("common.optional")} />
          </div>
          <div class="row-2">
            <TextField label={t("profile.firstName")} name="first_name" value={first} onValue={setFirst} error={errorFor(err, "first_name")} />
            <TextField label={t("profile.lastName")} name="last_name" value={last} onValue={setLast} error={errorFor(err, "last_name")} />
          </div>
          <AccessCheckboxes value={acc} onChange={setAcc} error={errorFor(err, "accesses")} />
        </div>
        <div class="modal-foot">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {t("team.addSubmit")}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function EditAccessDialog({ projectId, member, onClose, onSaved }: { projectId: string; member: Member; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const isAdmin = member.accesses.includes("admin");
  const [acc, setAcc] = useState<Access[]>(member.accesses);
  const [err, setErr] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!acc.length) return setErr({ message: t("team.accessRequired"), field: "accesses" });
    setBusy(true);
    setErr(null);
    try {
      await updateMember(projectId, member.user_id, { accesses: acc });
      onSaved();
      onClose();
    } catch (e) {
      setErr(toFormError(e, t));
      setBusy(false);
    }
  }

  return (
    <Modal title={t("team.editTitle", { NAME: displayName(member) })} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <div class="modal-body">
          <p class="muted small modal-lead">{member.email}</p>
          <FormAlert err={err} fields={["accesses"]} />
          <AccessCheckboxes value={acc} onChange={setAcc} locked={isAdmin ? ["admin"] : undefined} error={errorFor(err, "accesses")} />
          {isAdmin && <p class="note">{t("team.adminNote")}</p>}
        </div>
        <div class="modal-foot">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
