// Черный список (§2): visitors, phones, e-mails and IPs (or CIDR subnets) whose messages and
// requests are refused.
import { useEffect, useRef, useState } from "preact/hooks";
import { addBlacklist, blacklist, BLACKLIST_KINDS, removeBlacklist, type BlacklistEntry, type BlacklistKind } from "../api";
import { formatDateTime } from "../format";
import { useI18n, type Key } from "../i18n";
import { IconTrash } from "../icons";
import type { TabProps } from "../Settings";
import { useSession } from "../state";
import { Confirm, errorFor, Field, FormAlert, focusField, LoadError, Loading, SaveButton, TextField, toFormError, useSave, type FormError } from "../ui";

const KIND_LABEL: Record<BlacklistKind, Key> = {
  visitor: "blacklist.kind.visitor",
  phone: "blacklist.kind.phone",
  email: "blacklist.kind.email",
  ip: "blacklist.kind.ip",
};
const VALUE_LABEL: Record<BlacklistKind, Key> = {
  visitor: "blacklist.value.visitor",
  phone: "blacklist.value.phone",
  email: "blacklist.value.email",
  ip: "blacklist.value.ip",
};
const PLACEHOLDER: Record<BlacklistKind, string> = {
  visitor: "v_8f3a2c…",
  phone: "+7 999 123-45-67",
  email: "spam@example.com",
  ip: "203.0.113.7 / 203.0.113.0/24",
};

export function BlacklistTab({ project }: TabProps) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const [entries, setEntries] = useState<BlacklistEntry[] | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [kind, setKind] = useState<BlacklistKind>("ip");
  const [value, setValue] = useState("");
  const [note, setNote] = useState("");
  const [err, setErr] = useState<FormError | null>(null);
  const [removing, setRemoving] = useState<BlacklistEntry | null>(null);
  const save = useSave();
  const form = useRef<HTMLFormElement>(null);

  async function load() {
    setLoadErr(null);
    try {
      setEntries(await blacklist(project.id));
    } catch (e) {
      setLoadErr(e);
    }
  }
  useEffect(() => {
    load();
  }, [project.id]);

  async function submit(e: Event) {
    e.preventDefault();
    setErr(null);
    if (!value.trim()) {
      setErr({ message: t("blacklist.valueRequired"), field: "value" });
      return focusField(form.current, "value");
    }
    try {
      await save.run(async () => {
        const entry = await addBlacklist(project.id, { kind, value: value.trim(), note: note.trim() || undefined });
        setEntries((cur) => [entry, ...(cur || [])]);
        setValue("");
        setNote("");
      });
    } catch (e) {
      const fe = toFormError(e, t);
      setErr(fe);
      focusField(form.current, fe.field);
    }
  }

  return (
    <>
      <section class="card section" aria-labelledby="bl-title">
        <div class="section-head">
          <h3 id="bl-title">{t("blacklist.title")}</h3>
          <p class="muted small">{t("blacklist.lead")}</p>
        </div>
        <form ref={form} onSubmit={submit} noValidate>
          <FormAlert err={err} fields={["kind", "value", "note"]} />
          <div class="bl-form">
            <Field label={t("blacklist.kind")} error={errorFor(err, "kind")}>
              {(id) => (
                <select id={id} name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as BlacklistKind)}>
                  {BLACKLIST_KINDS.map((k) => (
                    <option value={k}>{t(KIND_LABEL[k])}</option>
                  ))}
                </select>
              )}
            </Field>
            <TextField
              label={t(VALUE_LABEL[kind])}
              name="value"
              value={value}
              onValue={setValue}
              placeholder={PLACEHOLDER[kind]}
              error={errorFor(err, "value")}
              hint={kind === "ip" ? t("blacklist.ipHint") : undefined}
              spellcheck={false}
              autoComplete="off"
            />
            <TextField label={t("blacklist.note")} name="note" value={note} onValue={setNote} placeholder={t("blacklist.notePlaceholder")} error={errorFor(err, "note")} />
            <div class="field field-button">
              <SaveButton state={save.state} label={t("blacklist.add")} savedLabel={t("blacklist.added")} busyLabel={t("common.saving")} />
            </div>
          </div>
        </form>
      </section>
      <section class="card section" aria-labelledby="bl-list">
        <div class="section-head">
          <h3 id="bl-list">{t("blacklist.listTitle")}</h3>
        </div>
        {loadErr ? (
          <LoadError err={loadErr} onRetry={load} />
        ) : entries === null ? (
          <Loading />
        ) : entries.length === 0 ? (
          <p class="note center">{t("blacklist.empty")}</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t("blacklist.col.kind")}</th>
                  <th scope="col">{t("blacklist.col.value")}</th>
                  <th scope="col">{t("blacklist.note")}</th>
                  <th scope="col">{t("blacklist.col.added")}</th>
                  <th scope="col" class="actions-col">
                    <span class="sr-only">{t("team.col.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr>
                    <td class="nowrap" data-label={t("blacklist.col.kind")}>
                      {t(KIND_LABEL[e.kind] || "blacklist.kind.visitor")}
                    </td>
                    <td data-label={t("blacklist.col.value")}>
                      <code class="value">{e.value}</code>
                    </td>
                    <td data-label={t("blacklist.note")}>{e.note || <span class="muted">—</span>}</td>
                    <td class="nowrap muted" data-label={t("blacklist.col.added")}>
                      {formatDateTime(e.created_at, lang, user.timezone)}
                    </td>
                    <td class="actions">
                      <button
                        type="button"
                        class="btn btn-ghost btn-icon btn-icon-sm btn-danger-ghost"
                        aria-label={t("blacklist.remove", { VALUE: e.value })}
                        title={t("blacklist.remove", { VALUE: e.value })}
                        onClick={() => setRemoving(e)}
                      >
                        <IconTrash />
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {removing && (
        <Confirm
          title={t("blacklist.removeTitle")}
          text={t("blacklist.removeText", { VALUE: removing.value })}
          action={t("blacklist.removeAction")}
          danger
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await removeBlacklist(project.id, removing.id);
            setEntries((cur) => (cur || []).filter((x) => x.id !== removing.id));
          }}
        />
      )}
    </>
  );
}
