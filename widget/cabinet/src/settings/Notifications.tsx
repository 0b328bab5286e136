// Уведомления (§4): groups per member and per «Только уведомления» e-mail, saved on every click.
import { useEffect, useRef, useState } from "preact/hooks";
import {
  canManage,
  displayName,
  GROUPS,
  listMembers,
  notificationEmails,
  saveNotificationEmails,
  updateMember,
  type Groups,
  type Member,
  type NotificationEmail,
  type NotificationGroup,
} from "../api";
import { EMAIL_RE } from "../format";
import { useI18n, type Key } from "../i18n";
import { IconInfo, IconPlus, IconTrash } from "../icons";
import type { TabProps } from "../Settings";
import { useSession } from "../state";
import { NotifySettingsCard, TeamBotCard } from "./NotifySettings";
import { Alert, errorFor, errorText, FormAlert, focusField, LoadError, Loading, Modal, SavedNote, TextField, toFormError, useSave, type FormError } from "../ui";

const GROUP_TITLE: Record<NotificationGroup, Key> = {
  services: "notif.services",
  requests: "notif.requests",
  statistics: "notif.statistics",
  news: "notif.news",
};
const GROUP_DESC: Record<NotificationGroup, Key> = {
  services: "notif.services.desc",
  requests: "notif.requests.desc",
  statistics: "notif.statistics.desc",
  news: "notif.news.desc",
};
const NONE: Groups = { services: false, requests: false, statistics: false, news: false };

export function NotificationsTab({ project, accesses }: TabProps) {
  const { t } = useI18n();
  const { user } = useSession();
  const [members, setMembers] = useState<Member[] | null>(null);
  const [emails, setEmails] = useState<NotificationEmail[] | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [err, setErr] = useState("");
  const [adding, setAdding] = useState(false);
  const save = useSave();
  const manager = canManage(accesses);

  async function load() {
    setLoadErr(null);
    try {
      const [m, e] = await Promise.all([listMembers(project.id), notificationEmails(project.id)]);
      setMembers(m);
      setEmails(e);
    } catch (e) {
      setLoadErr(e);
    }
  }
  useEffect(() => {
    load();
  }, [project.id]);

  const isMe = (m: Member) => (user.id ? m.user_id === user.id : m.email === user.email);

  async function toggleMember(m: Member, g: NotificationGroup, on: boolean) {
    const notifications = { ...NONE, ...m.notifications, [g]: on };
    const before = members!;
    setMembers(before.map((x) => (x.user_id === m.user_id ? { ...x, notifications } : x)));
    setErr("");
    try {
      await save.run(async () => {
        const updated = await updateMember(project.id, m.user_id, { notifications });
        setMembers((cur) => (cur || []).map((x) => (x.user_id === updated.user_id ? updated : x)));
      });
    } catch (e) {
      setMembers(before);
      setErr(errorText(e, t));
    }
  }

  async function putEmails(next: NotificationEmail[]) {
    const before = emails!;
    setEmails(next);
    setErr("");
    try {
      await save.run(async () => {
        const r = await saveNotificationEmails(project.id, next);
        if (r && Array.isArray(r.emails)) setEmails(r.emails);
      });
      return true;
    } catch (e) {
      setEmails(before);
      setErr(errorText(e, t));
      return false;
    }
  }

  if (loadErr) return <LoadError err={loadErr} onRetry={load} />;
  if (!members || !emails) return <Loading />;
  const nobodyGetsRequests = !members.some((m) => m.notifications?.requests) && !emails.some((e) => e.groups?.requests);

  return (
    <>
    {manager && <NotifySettingsCard pid={project.id} />}
    {manager && <TeamBotCard pid={project.id} />}
    <section class="card section" aria-labelledby="notif-title">
      <div class="section-head section-head-row">
        <div>
          <h3 id="notif-title">{t("notif.title")}</h3>
          <p class="muted small">{t("notif.lead")}</p>
        </div>
        <SavedNote state={save.state} />
      </div>
      {err && <Alert>{err}</Alert>}
      <div class="table-wrap">
        <table class="table grid-table">
          <thead>
            <tr>
              <th scope="col">{t("notif.recipient")}</th>
              {GROUPS.map((g, i) => (
                <th scope="col" class="center">
                  <span class="group-head" title={t(GROUP_DESC[g])}>
                    <span class="group-num">{i + 1}</span>
                    {t(GROUP_TITLE[g])}
                    <IconInfo />
                  </span>
                </th>
              ))}
              <th scope="col" class="actions-col">
                <span class="sr-only">{t("team.col.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <tr class="group-row">
              <th scope="rowgroup" colSpan={6}>
                {t("notif.team")}
              </th>
            </tr>
            {members.map((m) => {
              const name = displayName(m);
              const editable = manager || isMe(m);
              return (
                <tr>
                  <th scope="row" class="person-cell">
                    <span class="person-name">{name}</span>
                    {name !== m.email && <span class="muted small">{m.email}</span>}
                  </th>
                  {GROUPS.map((g) => (
                    <td class="center">
                      <input
                        type="checkbox"
                        class="grid-check"
                        aria-label={t(GROUP_TITLE[g]) + " — " + name}
                        checked={!!m.notifications?.[g]}
                        disabled={!editable}
                        onChange={(e) => toggleMember(m, g, e.currentTarget.checked)}
                      />
                    </td>
                  ))}
                  <td />
                </tr>
              );
            })}
            <tr class="group-row">
              <th scope="rowgroup" colSpan={6}>
                {t("notif.only")}
                <span class="muted small group-row-note">{t("notif.onlyLead")}</span>
              </th>
            </tr>
            {emails.length === 0 && (
              <tr>
                <td colSpan={6} class="muted small">
                  {t("notif.onlyEmpty")}
                </td>
              </tr>
            )}
            {emails.map((row) => (
              <tr>
                <th scope="row" class="person-cell">
                  <span class="person-name">{row.email}</span>
                </th>
                {GROUPS.map((g) => (
                  <td class="center">
                    <input
                      type="checkbox"
                      class="grid-check"
                      aria-label={t(GROUP_TITLE[g]) + " — " + row.email}
                      checked={!!row.groups?.[g]}
                      disabled={!manager}
                      onChange={(e) => putEmails(emails.map((x) => (x.email === row.email ? { ...x, groups: { ...NONE, ...x.groups, [g]: e.currentTarget.checked } } : x)))}
                    />
                  </td>
                ))}
                <td class="actions">
                  {manager && (
                    <button
                      type="button"
                      class="btn btn-ghost btn-icon btn-icon-sm btn-danger-ghost"
                      aria-label={t("notif.removeEmail", { EMAIL: row.email })}
                      title={t("notif.removeEmail", { EMAIL: row.email })}
                      onClick={() => putEmails(emails.filter((x) => x.email !== row.email))}
                    >
                      <IconTrash />
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="section-foot">
        {manager && (
          <button type="button" class="btn btn-secondary" onClick={() => setAdding(true)}>
            <IconPlus />
            {t("notif.addEmail")}
          </button>
        )}
        <p class={"note" + (nobodyGetsRequests ? " note-warn" : "")}>
          <IconInfo /> {t("notif.fallback")}
        </p>
      </div>
      {adding && (
        <AddEmailDialog
          existing={emails.map((e) => e.email.toLowerCase())}
          onClose={() => setAdding(false)}
          onAdd={(row) => putEmails([...emails, row])}
        />
      )}
    </section>
    </>
  );
}

function AddEmailDialog({ existing, onClose, onAdd }: { existing: string[]; onClose: () => void; onAdd: (row: NotificationEmail) => Promise<boolean> }) {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [groups, setGroups] = useState<Groups>({ services: false, requests: false, statistics: true, news: false });
  const [err, setErr] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: Event) {
    e.preventDefault();
    const v = email.trim();
    let fe: FormError | null = null;
    if (!EMAIL_RE.test(v)) fe = { message: t("notif.emailInvalid"), field: "email" };
    else if (existing.includes(v.toLowerCase())) fe = { message: t("notif.emailDuplicate"), field: "email" };
    if (fe) {
      setErr(fe);
      return focusField(form.current, "email");
    }
    setBusy(true);
    setErr(null);
    try {
      if (await onAdd({ email: v, groups })) onClose();
      else setBusy(false);
    } catch (e) {
      setErr(toFormError(e, t));
      setBusy(false);
    }
  }

  return (
    <Modal title={t("notif.addEmailTitle")} onClose={onClose}>
      <form ref={form} onSubmit={submit} noValidate>
        <div class="modal-body">
          <p class="muted small modal-lead">{t("notif.addEmailLead")}</p>
          <FormAlert err={err} fields={["email"]} />
          <TextField label={t("profile.email")} name="email" type="email" autoFocus value={email} onValue={setEmail} error={errorFor(err, "email")} />
          <fieldset class="accesses">
            <legend>{t("notif.groups")}</legend>
            {GROUPS.map((g) => (
              <div class="access-opt">
                <input id={"ne-" + g} type="checkbox" checked={groups[g]} onChange={(e) => setGroups({ ...groups, [g]: e.currentTarget.checked })} />
                <label for={"ne-" + g}>
                  <span class="access-name">{t(GROUP_TITLE[g])}</span>
                  <span class="muted small">{t(GROUP_DESC[g])}</span>
                </label>
              </div>
            ))}
          </fieldset>
        </div>
        <div class="modal-foot">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {t("notif.addEmailSubmit")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
