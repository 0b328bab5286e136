// The open dialog: messages of the visitor, the operators and the system (auto-messages) as
// bubbles with read marks (✓ sent, ✓✓ read by the visitor; a messenger reply: queued, sent,
// delivered, read, or failed with the platform's reason and «Отправить ещё раз»), «Посетитель печатает…», and the
// reply box — Enter sends, Shift+Enter is a new line, at most 4000 characters, typing pings at
// most every 3 s, a failed reply keeps its client_id so «Повторить» never doubles it.
import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { sendAgain, sendReply, sendTyping, type Dialog, type Message, type RequestCard } from "../api";
import { bubbleTime, charCount, messageDay, newClientId, readByVisitor, Throttle } from "../dialogState";
import { formatDate } from "../format";
import { useI18n, type Key } from "../i18n";
import { IconAlert, IconArchive, IconBack, IconDialogs, IconReopen, IconSend, IconUser } from "../icons";
import { useSession } from "../state";
import { errorText, LoadError, Loading } from "../ui";
import { MESSAGE_MAX, type Field } from "../widgetSettings";
import { reasonText } from "../integrations";
import { requestRows } from "../systemText";
import { ChannelIcon } from "./ChannelIcon";
import { dialogTitle } from "./List";

export interface Pending {
  clientId: string;
  dialogId: string;
  text: string;
  at: string;
  state: "sending" | "failed";
  error?: string;
}

/** Unsent drafts per dialog, kept while the operator switches between dialogs. */
const drafts = new Map<string, string>();

const STANDARD: Record<string, Key> = { name: "contact.name", phone: "contact.phone", email: "contact.email" };

export function Conversation({
  pid,
  state,
  canAnswer,
  pending,
  setPending,
  typing,
  statusBusy,
  actionErr,
  onClose,
  onReopen,
  onSent,
  onBack,
  onRetryLoad,
  onOlder,
  fields,
  sideOpen,
  onToggleSide,
}: {
  pid: string;
  state: { id: string; dialog: Dialog | null; messages: Message[]; err: unknown; loading: boolean; older: string | null } | null;
  canAnswer: boolean;
  pending: Pending[];
  setPending: (fn: (p: Pending[]) => Pending[]) => void;
  typing: boolean;
  statusBusy: boolean;
  actionErr: string;
  onClose: () => void;
  onReopen: () => void;
  /** An HTTP answer about a message; `since`: when its request was made. */
  onSent: (m: Message, d: Dialog, clientId: string, since: number) => void;
  onBack: () => void;
  onRetryLoad: () => void;
  /** Loads the page of messages before those shown. */
  onOlder: () => Promise<void>;
  fields: Field[];
  sideOpen: boolean;
  onToggleSide: () => void;
}) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const log = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [olderBusy, setOlderBusy] = useState(false);
  /** Prepends the page before, keeping the messages in view where they were. */
  async function older() {
    const el = log.current;
    const from = el ? el.scrollHeight - el.scrollTop : 0;
    setOlderBusy(true);
    try {
      await onOlder();
    } catch {
      // The button stays; the operator may try again.
    } finally {
      setOlderBusy(false);
    }
    requestAnimationFrame(() => {
      if (el) el.scrollTop = el.scrollHeight - from;
    });
  }

  const d = state?.dialog || null;
  const messages = state?.messages || [];
  const mine = pending.filter((p) => state && p.dialogId === state.id);

  // Keep the newest message in view unless the operator scrolled up to read.
  useLayoutEffect(() => {
    const el = log.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, mine.length, typing, state?.id, state?.loading]);
  useEffect(() => {
    stick.current = true;
  }, [state?.id]);

  if (!state) {
    return (
      <section class="pane pane-chat is-empty" aria-label={t("dialogs.conversation")}>
        <div class="chat-placeholder">
          <div class="empty-icon">
            <IconDialogs />
          </div>
          <p class="muted">{t("dialogs.pick")}</p>
        </div>
      </section>
    );
  }

  const label = (id: string) => fields.find((f) => f.id === id)?.label || (STANDARD[id] ? t(STANDARD[id]!) : id);
  const closed = d?.status === "closed";
  const title = d ? dialogTitle(d, t) : "";

  async function send(text: string, clientId: string) {
    if (!state) return;
    const dialogId = state.id;
    setPending((p) => [
      ...p.filter((x) => x.clientId !== clientId),
      { clientId, dialogId, text, at: new Date().toISOString(), state: "sending" },
    ]);
    stick.current = true;
    try {
      const since = Date.now();
      const r = await sendReply(pid, dialogId, text, clientId);
      onSent(r.message, r.dialog, clientId, since);
    } catch (e) {
      setPending((p) => p.map((x) => (x.clientId === clientId ? { ...x, state: "failed", error: errorText(e, t) } : x)));
    }
  }

  let lastDay = "";
  let lastDialog = "";
  const rows: ComponentChildren[] = [];
  for (const m of messages) {
    const day = messageDay(m.at, user.timezone);
    if (lastDialog && m.dialog_id && m.dialog_id !== lastDialog) {
      rows.push(
        <div class="day new-dialog" role="separator">
          <span>{t("dialogs.newDialog")}</span>
        </div>,
      );
    }
    lastDialog = m.dialog_id || lastDialog;
    if (day !== lastDay) {
      rows.push(
        <div class="day" role="separator">
          <span>{formatDate(m.at, lang, user.timezone)}</span>
        </div>,
      );
      lastDay = day;
    }
    rows.push(<Bubble m={m} d={d} label={label} pid={pid} onChanged={(x, since) => d && onSent(x, d, "", since)} />);
  }

  return (
    <section class="pane pane-chat" aria-labelledby="chat-title">
      <header class="chat-head">
        <button type="button" class="btn btn-ghost btn-icon chat-back" aria-label={t("dialogs.back")} title={t("dialogs.back")} onClick={onBack}>
          <IconBack />
        </button>
        {d && <ChannelIcon channel={d.channel} />}
        <div class="chat-title">
          <h2 id="chat-title">{title || t("app.loading")}</h2>
          {d && (
            <p class="muted small">
              <span class={"status-chip status-" + d.status}>{t(closed ? "dialogs.closed" : "dialogs.open")}</span>
              {d.page_url && <span class="chat-url">{d.page_url}</span>}
            </p>
          )}
        </div>
        {d && (
          <button type="button" class="btn btn-ghost btn-icon chat-info" aria-pressed={sideOpen} aria-label={t("dialogs.side")} title={t("dialogs.side")} onClick={onToggleSide}>
            <IconUser />
          </button>
        )}
        {d && canAnswer && (
          <div class="chat-actions">
            {closed ? (
              <button type="button" class="btn btn-secondary btn-sm" disabled={statusBusy} onClick={onReopen} title={t("dialogs.reopen")}>
                <IconReopen />
                <span class="btn-label">{t("dialogs.reopen")}</span>
              </button>
            ) : (
              <button type="button" class="btn btn-secondary btn-sm" disabled={statusBusy} onClick={onClose} title={t("dialogs.close")}>
                <IconArchive />
                <span class="btn-label">{t("dialogs.close")}</span>
              </button>
            )}
          </div>
        )}
      </header>
      {actionErr && <p class="field-error chat-err">{actionErr}</p>}
      <div
        class="chat-log"
        ref={log}
        role="log"
        aria-live="polite"
        aria-label={t("dialogs.messages")}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
        }}
      >
        {state.loading && !messages.length ? (
          <Loading />
        ) : state.err && !messages.length ? (
          <LoadError err={state.err} onRetry={onRetryLoad} />
        ) : (
          <>
            {state.older && (
              <div class="chat-older">
                <button type="button" class="btn btn-ghost" disabled={olderBusy} onClick={older}>
                  {t("dialogs.older")}
                </button>
              </div>
            )}
            {rows}
            {mine.map((p) => (
              <div class={"msg msg-operator is-pending" + (p.state === "failed" ? " is-failed" : "")}>
                <div class="bubble">
                  <p class="msg-text">{p.text}</p>
                  <span class="msg-meta">
                    {p.state === "sending" ? (
                      t("dialogs.sending")
                    ) : (
                      <>
                        <IconAlert />
                        <span>{p.error || t("dialogs.notSent")}</span>
                        <button type="button" class="link-btn" onClick={() => send(p.text, p.clientId)}>
                          {t("common.retry")}
                        </button>
                        <button type="button" class="link-btn" onClick={() => setPending((list) => list.filter((x) => x.clientId !== p.clientId))}>
                          {t("dialogs.discard")}
                        </button>
                      </>
                    )}
                  </span>
                </div>
              </div>
            ))}
          </>
        )}
      </div>
      <div class="typing" role="status" aria-live="polite">
        {typing && (
          <>
            <span class="typing-dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            {t("dialogs.typing")}
          </>
        )}
      </div>
      {d && !canAnswer ? (
        <p class="note chat-note">{t("dialogs.readOnly")}</p>
      ) : d && closed ? (
        <div class="chat-note note">
          <span>{t("dialogs.closedNote")}</span>
          <button type="button" class="link-btn" disabled={statusBusy} onClick={onReopen}>
            {t("dialogs.reopen")}
          </button>
        </div>
      ) : d ? (
        <ReplyBox key={state.id} pid={pid} dialogId={state.id} onSend={(text) => send(text, newClientId())} />
      ) : null}
    </section>
  );
}

/** A customer's request form or callback request: its title and every field they filled. */
function RequestBody({ card }: { card: RequestCard }) {
  const { t } = useI18n();
  const { title, rows } = requestRows(card, t);
  return (
    <div class="msg-request">
      <strong>{title}</strong>
      <dl>
        {rows.map(([label, value]) => (
          <div>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** Who a message of our side is from, by its kind. */
function systemLabel(m: Message): Key {
  if (m.kind === "welcome" || m.kind === "hook") return "dialogs.greeting";
  if (m.kind === "auto_message") return "dialogs.auto";
  return "dialogs.operator";
}

function Bubble({
  m,
  d,
  label,
  pid,
  onChanged,
}: {
  m: Message;
  d: Dialog | null;
  label: (id: string) => string;
  pid: string;
  onChanged: (m: Message, since: number) => void;
}) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState("");
  const read = d ? readByVisitor(m, d) : m.read;
  const who =
    m.kind === "request" ? (m.request ? null : t("dialogs.request")) : m.from === "visitor" ? null : m.from === "system" ? t(systemLabel(m)) : m.author || t("dialogs.operator");
  const failed = m.delivery?.state === "failed" ? m.delivery.reason : null;
  async function again() {
    setBusy(true);
    setErr("");
    try {
      const since = Date.now();
      onChanged(await sendAgain(pid, m.dialog_id, m.id), since);
    } catch (e) {
      setErr(errorText(e, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class={"msg msg-" + m.from + " kind-" + m.kind + (failed !== null ? " is-failed" : "")}>
      <div class="bubble">
        {who && <span class="msg-author">{who}</span>}
        {m.request ? <RequestBody card={m.request} /> : <p class="msg-text">{m.text}</p>}
        {(m.attachments || []).map((a) =>
          a.url ? (
            <a class="msg-file" href={a.url} target="_blank" rel="noopener noreferrer">
              {a.name || a.kind}
            </a>
          ) : (
            <span class="msg-file">{a.name || a.kind}</span>
          ),
        )}
        {m.contact_request && m.contact_request.fields.length > 0 && (
          <p class="msg-cr">
            {t("dialogs.contactRequest")}: {m.contact_request.fields.map((f) => label(f.field) + (f.required ? "*" : "")).join(", ")}
          </p>
        )}
        <span class="msg-meta">
          <time dateTime={m.at}>{bubbleTime(m.at, lang, user.timezone)}</time>
          {failed !== null ? (
            <>
              <IconAlert />
              <span class="delivery-failed">
                {t("dialogs.failed")}: {reasonText(failed, t)}
              </span>
              <button type="button" class="link-btn" disabled={busy} onClick={again}>
                {t("dialogs.sendAgain")}
              </button>
              {err && <span class="field-error">{err}</span>}
            </>
          ) : m.delivery?.state === "queued" ? (
            <span class="marks" role="img" aria-label={t("dialogs.queued")} title={t("dialogs.queued")}>
              ⏱
            </span>
          ) : m.delivery?.state === "sent" ? (
            <span class="marks" role="img" aria-label={t("dialogs.sent")} title={t("dialogs.sent")}>
              ✓
            </span>
          ) : m.delivery?.state === "delivered" ? (
            <span class="marks" role="img" aria-label={t("dialogs.delivered")} title={t("dialogs.delivered")}>
              ✓✓
            </span>
          ) : m.delivery ? (
            <DeliveryMarks read />
          ) : (
            m.from !== "visitor" && <DeliveryMarks read={read} />
          )}
        </span>
      </div>
    </div>
  );
}

function DeliveryMarks({ read }: { read: boolean }) {
  const { t } = useI18n();
  return (
    <span class={"marks" + (read ? " is-read" : "")} role="img" aria-label={t(read ? "dialogs.read" : "dialogs.delivered")} title={t(read ? "dialogs.read" : "dialogs.delivered")}>
      {read ? "✓✓" : "✓"}
    </span>
  );
}

function ReplyBox({ pid, dialogId, onSend }: { pid: string; dialogId: string; onSend: (text: string) => void }) {
  const { t } = useI18n();
  const [text, setText] = useState(() => drafts.get(dialogId) || "");
  const [hint, setHint] = useState("");
  const throttle = useRef(new Throttle(3000));
  const ta = useRef<HTMLTextAreaElement>(null);
  const n = charCount(text);
  const over = n > MESSAGE_MAX;

  useEffect(() => {
    ta.current?.focus();
  }, [dialogId]);
  useLayoutEffect(() => {
    // Grow with the text up to the CSS max-height.
    const el = ta.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = el.scrollHeight + 2 + "px";
  }, [text]);

  function update(v: string) {
    setText(v);
    setHint("");
    if (v) drafts.set(dialogId, v);
    else drafts.delete(dialogId);
    if (v.trim() && throttle.current.take(Date.now())) sendTyping(pid, dialogId).catch(() => {});
  }

  function submit() {
    const v = text.trim();
    if (!v) return;
    if (over) {
      setHint(t("dialogs.tooLong", { N: String(MESSAGE_MAX) }));
      return;
    }
    onSend(v);
    setText("");
    drafts.delete(dialogId);
    throttle.current.reset();
  }

  return (
    <form
      class="reply"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label for="reply-text" class="sr-only">
        {t("dialogs.reply")}
      </label>
      <textarea
        id="reply-text"
        ref={ta}
        rows={1}
        value={text}
        placeholder={t("dialogs.replyPlaceholder")}
        aria-describedby="reply-count"
        aria-invalid={over ? true : undefined}
        onInput={(e) => update(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing && !e.ctrlKey && !e.altKey && !e.metaKey) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <div class="reply-foot">
        <span id="reply-count" class={"reply-count" + (over ? " is-over" : n > MESSAGE_MAX * 0.9 ? " is-near" : "")}>
          {n} / {MESSAGE_MAX}
        </span>
        {hint && <span class="field-error">{hint}</span>}
        <span class="reply-keys muted small">{t("dialogs.keys")}</span>
        <button type="submit" class="btn btn-primary btn-sm" disabled={!text.trim() || over}>
          <IconSend />
          {t("dialogs.send")}
        </button>
      </div>
    </form>
  );
}
