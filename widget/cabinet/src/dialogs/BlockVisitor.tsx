// «Заблокировать» in the contact card: puts the dialog's visitor in the project's blacklist
// (their id, which the cabinet shows nowhere else) and, as the operator chooses, their IP,
// phone or e-mail. Needs the settings access, as the blacklist does.
import { useState } from "preact/hooks";
import { addBlacklist, ApiError, canManage, type BlacklistKind, type Dialog } from "../api";
import { formatPhone } from "../format";
import { useI18n, type Key } from "../i18n";
import { useProjects } from "../state";
import { Alert, errorText, Modal } from "../ui";

const KIND: Record<BlacklistKind, Key> = {
  visitor: "blacklist.kind.visitor",
  ip: "blacklist.kind.ip",
  phone: "blacklist.kind.phone",
  email: "blacklist.kind.email",
};

export function BlockVisitor({ dialog }: { dialog: Dialog }) {
  const { t } = useI18n();
  const { current } = useProjects();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  if (!current || !canManage(current.accesses)) return null;
  return (
    <div class="contact-block">
      {done === dialog.id ? (
        <p class="muted small" role="status">
          {t("block.done")}
        </p>
      ) : (
        <button type="button" class="btn btn-secondary btn-sm btn-danger-text" onClick={() => setOpen(true)}>
          {t("block.action")}
        </button>
      )}
      {open && (
        <BlockDialog
          pid={current.id}
          dialog={dialog}
          onClose={() => setOpen(false)}
          onDone={() => {
            setOpen(false);
            setDone(dialog.id);
          }}
        />
      )}
    </div>
  );
}

function BlockDialog({ pid, dialog, onClose, onDone }: { pid: string; dialog: Dialog; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const c = dialog.contact || {};
  const options = (
    [
      ["visitor", dialog.visitor_id],
      ["ip", dialog.ip || ""],
      ["phone", c.phone || ""],
      ["email", c.email || ""],
    ] as [BlacklistKind, string][]
  ).filter(([, v]) => v.trim());
  const [chosen, setChosen] = useState<BlacklistKind[]>(["visitor"]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  async function go() {
    setBusy(true);
    setError("");
    try {
      for (const [kind, value] of options)
        if (chosen.includes(kind))
          await addBlacklist(pid, { kind, value, note: t("block.note") }).catch((e) => {
            if (!(e instanceof ApiError && e.code === "already_listed")) throw e;
          });
      onDone();
    } catch (e) {
      setError(errorText(e, t));
      setBusy(false);
    }
  }

  return (
    <Modal title={t("block.title")} onClose={onClose}>
      <div class="modal-body stack-sm">
        {error && <Alert>{error}</Alert>}
        <p>{t("block.text")}</p>
        <fieldset class="checks">
          <legend class="sr-only">{t("block.what")}</legend>
          {options.map(([kind, value]) => (
            <label class="check">
              <input
                type="checkbox"
                checked={chosen.includes(kind)}
                disabled={kind === "visitor"}
                onChange={(e) => setChosen(e.currentTarget.checked ? [...chosen, kind] : chosen.filter((k) => k !== kind))}
              />
              <span>
                {t(KIND[kind])}: <code>{kind === "phone" ? formatPhone(value) : value}</code>
              </span>
            </label>
          ))}
        </fieldset>
      </div>
      <div class="modal-foot">
        <button type="button" class="btn btn-secondary" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button type="button" class="btn btn-danger" disabled={busy} onClick={go}>
          {t("block.action")}
        </button>
      </div>
    </Modal>
  );
}
