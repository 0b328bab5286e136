// /dialogs — the operator workspace (§10): folders «Мои» / «Общие» / «Архив» with unread
// counts, the dialog list, the open dialog with the reply box, the contact card and the
// operators panel; the online toggle and the operator's own schedule in the page head. Everything
// stays live over the WebSocket (see live.tsx); after a reconnect the lists are fetched again.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  canAnswer,
  canManage,
  canViewDialogs,
  closeDialog,
  DEFAULT_VOLUMES,
  dialogs as fetchFolder,
  FOLDERS,
  getPresence,
  isForbidden,
  olderMessages,
  openDialog,
  operators as fetchOperators,
  reopenDialog,
  setPresence,
  widgetSettings,
  type Access,
  type Dialog,
  type Folder,
  type Message,
  type Operator,
  type Presence,
} from "./api";
import { ContactCard } from "./dialogs/ContactCard";
import { Conversation, type Pending } from "./dialogs/Conversation";
import { DialogList } from "./dialogs/List";
import { OperatorsPanel, ScheduleModal } from "./dialogs/Operators";
import { applyDialog, emptyLists, findDialog, freshest, mergeMessage, unreadDialogs, type Lists } from "./dialogState";
import { useI18n, type Key } from "./i18n";
import { IconClock, IconClose, IconDialogs } from "./icons";
import { seenDialogs, useLive, useLiveStatus } from "./live";
import { navigate, usePath } from "./nav";
import type { Frame } from "./realtime";
import { dialogsPath, dialogsRoute } from "./routes";
import { play } from "./sounds";
import { useProjects, useSession } from "./state";
import { errorText, LoadError, Loading, NoProject, Refusal } from "./ui";
import type { Field } from "./widgetSettings";

const FOLDER_TITLE: Record<Folder, Key> = { mine: "dialogs.folder.mine", common: "dialogs.folder.common", archive: "dialogs.folder.archive" };
/** «Посетитель печатает…» stays this long after the last typing frame. */
const TYPING_MS = 6000;

/** The open dialog: its messages (after the customer's earlier dialogs once every older page is in). */
type OpenState = {
  id: string;
  dialog: Dialog | null;
  messages: Message[];
  err: unknown;
  loading: boolean;
  /** Pages back from here; null when the first message is in. */
  older: string | null;
  /** The customer's earlier dialogs, shown above once `older` is null. */
  history: Message[];
};

export function DialogsPage() {
  const { t } = useI18n();
  const { list, current } = useProjects();
  if (list === null) return <Loading />;
  if (!current) {
    return <NoProject icon={<IconDialogs />} />;
  }
  if (!canViewDialogs(current.accesses)) return <Refusal title={t("dialogs.forbidden")} text={t("dialogs.forbiddenText")} />;
  return <Workspace key={current.id} pid={current.id} accesses={current.accesses} />;
}

function Workspace({ pid, accesses }: { pid: string; accesses: Access[] }) {
  const { t } = useI18n();
  const { user } = useSession();
  const me = user.id || "";
  const path = usePath();
  const { folder, id: openId } = dialogsRoute(path);
  const answer = canAnswer(accesses);
  const rt = useLive();
  const live = useLiveStatus(rt);

  const [lists, setLists] = useState<Lists | null>(null);
  const [more, setMore] = useState<Record<Folder, string | null>>({ mine: null, common: null, archive: null });
  const [moreBusy, setMoreBusy] = useState(false);
  const [listErr, setListErr] = useState<unknown>(null);
  const [open, setOpen] = useState<OpenState | null>(null);
  const [pending, setPending] = useState<Pending[]>([]);
  const [typing, setTyping] = useState<Record<string, number>>({});
  const [presence, setPresenceState] = useState<Presence | null | "hidden">(null);
  const [presenceBusy, setPresenceBusy] = useState(false);
  const [presenceErr, setPresenceErr] = useState("");
  const [ops, setOps] = useState<Operator[] | null | "hidden">(null);
  const [fields, setFields] = useState<Field[]>([]);
  const [statusBusy, setStatusBusy] = useState(false);
  const [actionErr, setActionErr] = useState("");
  const [scheduleOpen, setScheduleOpen] = useState(false);
  const [sideOpen, setSideOpen] = useState(false);

  const openRef = useRef(open);
  // When the last frame about each message came: an HTTP answer older than it keeps its delivery state.
  const frameAt = useRef(new Map<string, number>());
  openRef.current = open;
  const listsRef = useRef(lists);
  listsRef.current = lists;
  const reopenTimer = useRef<number>(0);

  // ---- loading

  async function loadLists() {
    try {
      const [mine, common, archive] = await Promise.all(FOLDERS.map((f) => fetchFolder(pid, f)));
      const next: Lists = { mine: mine!.dialogs, common: common!.dialogs, archive: archive!.dialogs };
      setMore({ mine: mine!.next, common: common!.next, archive: archive!.next });
      for (const f of FOLDERS) next[f].forEach((d) => seenDialogs.add(d.id));
      setLists(next);
      setListErr(null);
    } catch (e) {
      setListErr(e);
    }
  }

  /** The folder's next page, after what the list shows. */
  async function loadMore(f: Folder) {
    const cursor = more[f];
    if (!cursor || moreBusy) return;
    setMoreBusy(true);
    try {
      const page = await fetchFolder(pid, f, cursor);
      page.dialogs.forEach((d) => seenDialogs.add(d.id));
      setLists((l) => l && { ...l, [f]: [...l[f], ...page.dialogs.filter((d) => !l[f].some((x) => x.id === d.id))] });
      setMore((m) => ({ ...m, [f]: page.next }));
    } catch (e) {
      setListErr(e);
    } finally {
      setMoreBusy(false);
    }
  }

  /** The open dialog's page of messages before those shown. */
  async function loadOlder() {
    const cur = openRef.current;
    if (!cur || !cur.older) return;
    const page = await olderMessages(pid, cur.id, cur.older);
    setOpen((o) =>
      o && o.id === cur.id
        ? { ...o, older: page.older, messages: [...(page.older ? [] : o.history), ...page.messages, ...o.messages.filter((m) => !page.messages.some((x) => x.id === m.id))] }
        : o,
    );
  }

  async function loadDialog(id: string, quiet = false) {
    if (!quiet)
      setOpen({ id, dialog: findDialog(listsRef.current || emptyLists(), id) || null, messages: [], err: null, loading: true, older: null, history: [] });
    try {
      const r = await openDialog(pid, id);
      if (openRef.current && openRef.current.id !== id) return;
      // The server marked the visitor's messages read if we answer dialogs.
      const dialog = answer ? { ...r.dialog, unread: 0 } : r.dialog;
      setOpen({ id, dialog, messages: [...(r.older ? [] : r.history), ...r.messages], err: null, loading: false, older: r.older, history: r.history });
      seenDialogs.add(id);
      setLists((l) => (l ? applyDialog(l, dialog, me) : l));
    } catch (e) {
      if (openRef.current && openRef.current.id !== id) return;
      setOpen((o) => (o && o.id === id ? { ...o, err: e, loading: false } : o));
    }
  }

  async function loadOperators() {
    try {
      setOps(await fetchOperators(pid));
    } catch (e) {
      setOps((o) => (isForbidden(e) ? "hidden" : Array.isArray(o) ? o : []));
    }
  }

  useEffect(() => {
    loadLists();
    loadOperators();
    if (answer) {
      getPresence(pid).then(setPresenceState, (e) => setPresenceState(isForbidden(e) ? "hidden" : null));
    } else {
      setPresenceState("hidden");
    }
    // Labels of custom contact fields (ИНН…) come from the widget settings, which only the
    // settings access may read; the others see the field ids.
    if (canManage(accesses)) widgetSettings(pid).then((s) => setFields(s.fields || []), () => {});
    return () => clearTimeout(reopenTimer.current);
  }, [pid]);

  useEffect(() => {
    // Pending replies stay (each knows its dialog): a failed one is still there to retry.
    setActionErr("");
    if (openId) loadDialog(openId);
    else setOpen(null);
  }, [openId]);

  // ---- live frames

  useEffect(() => {
    if (!rt) return;
    let first = true;
    return rt.onFrame((f: Frame) => {
      switch (f.type) {
        case "subscribed":
          // Anything may have happened while the socket was down: fetch again.
          if (!first || listsRef.current) {
            loadLists();
            loadOperators();
            if (openRef.current) loadDialog(openRef.current.id, true);
          }
          first = false;
          break;
        case "message": {
          frameAt.current.set(f.message.id, Date.now());
          const o = openRef.current;
          const viewing = !!o && o.id === f.dialog.id;
          const dialog = viewing && answer && f.message.from === "visitor" && document.visibilityState === "visible" ? { ...f.dialog, unread: 0 } : f.dialog;
          setLists((l) => (l ? applyDialog(l, dialog, me) : l));
          if (f.message.from === "visitor") setTyping((ty) => omit(ty, f.dialog.id));
          if (viewing) {
            setOpen((cur) => (cur && cur.id === f.dialog.id ? { ...cur, dialog: freshest(cur.dialog, dialog), messages: mergeMessage(cur.messages, f.message) } : cur));
            if (f.message.from === "operator") setPending((p) => dropEcho(p, f.message));
            // Opening the dialog again is what marks the visitor's message read (✓✓ for them).
            if (answer && f.message.from === "visitor" && document.visibilityState === "visible") {
              clearTimeout(reopenTimer.current);
              reopenTimer.current = window.setTimeout(() => openRef.current?.id === f.dialog.id && loadDialog(f.dialog.id, true), 400);
            }
          }
          break;
        }
        case "dialog":
          setLists((l) => (l ? applyDialog(l, f.dialog, me) : l));
          setOpen((cur) => (cur && cur.id === f.dialog.id ? { ...cur, dialog: freshest(cur.dialog, f.dialog) } : cur));
          break;
        case "typing":
          setTyping((ty) => ({ ...ty, [f.dialog_id]: Date.now() + TYPING_MS }));
          break;
        case "read":
          if (f.by === "visitor") {
            const upd = (d: Dialog) => (d.id === f.dialog_id ? { ...d, visitor_read_up_to: maxId(d.visitor_read_up_to, f.up_to) } : d);
            setLists((l) => l && { mine: l.mine.map(upd), common: l.common.map(upd), archive: l.archive.map(upd) });
            setOpen((cur) => (cur && cur.dialog && cur.id === f.dialog_id ? { ...cur, dialog: upd(cur.dialog) } : cur));
          }
          break;
        case "presence":
          setOps((list) => (Array.isArray(list) ? list.map((o) => (o.user_id === f.user_id ? { ...o, online: f.online } : o)) : list));
          if (f.user_id === me) setPresenceState((p) => (p && p !== "hidden" ? { ...p, online: f.online } : p));
          break;
      }
    });
  }, [rt, pid, me, answer]);

  // A tab that comes back into view reads what arrived meanwhile.
  useEffect(() => {
    const on = () => {
      const o = openRef.current;
      if (document.visibilityState === "visible" && o && answer && o.dialog && o.dialog.unread > 0) loadDialog(o.id, true);
    };
    document.addEventListener("visibilitychange", on);
    return () => document.removeEventListener("visibilitychange", on);
  }, [answer]);

  // Typing marks expire by themselves.
  useEffect(() => {
    const ids = Object.keys(typing);
    if (!ids.length) return;
    const next = Math.min(...ids.map((k) => typing[k]!)) - Date.now();
    const h = setTimeout(() => setTyping((ty) => Object.fromEntries(Object.entries(ty).filter(([, until]) => until > Date.now() + 50))), Math.max(50, next));
    return () => clearTimeout(h);
  }, [typing]);

  // ---- actions

  async function togglePresence() {
    if (!presence || presence === "hidden" || presenceBusy) return;
    const online = !presence.online;
    setPresenceBusy(true);
    setPresenceErr("");
    try {
      const p = await setPresence(pid, online);
      setPresenceState(p);
      const vol = (user.volumes || DEFAULT_VOLUMES).presence;
      play(p.online ? "presence" : "presence_off", vol);
      setOps((list) => (Array.isArray(list) ? list.map((o) => (o.user_id === me ? { ...o, online: p.online } : o)) : list));
    } catch (e) {
      if (isForbidden(e)) setPresenceState("hidden");
      else setPresenceErr(errorText(e, t));
    } finally {
      setPresenceBusy(false);
    }
  }

  async function setStatus(kind: "close" | "reopen") {
    if (!open?.dialog) return;
    setStatusBusy(true);
    setActionErr("");
    try {
      const d = await (kind === "close" ? closeDialog : reopenDialog)(pid, open.dialog.id);
      setOpen((cur) => (cur && cur.id === d.id ? { ...cur, dialog: freshest(cur.dialog, d) } : cur));
      setLists((l) => (l ? applyDialog(l, d, me) : l));
    } catch (e) {
      setActionErr(errorText(e, t));
    } finally {
      setStatusBusy(false);
    }
  }

  function onSent(m: Message, d: Dialog, clientId: string, since: number) {
    setPending((p) => p.filter((x) => x.clientId !== clientId));
    const framed = (frameAt.current.get(m.id) || 0) >= since;
    setOpen((cur) => (cur && cur.id === d.id ? { ...cur, dialog: freshest(cur.dialog, d), messages: mergeMessage(cur.messages, m, framed) } : cur));
    setLists((l) => (l ? applyDialog(l, d, me) : l));
  }

  // ---- render

  const counts = useMemo(() => (lists ? { mine: unreadDialogs(lists.mine), common: unreadDialogs(lists.common), archive: unreadDialogs(lists.archive) } : null), [lists]);
  const mineUnread = counts?.mine || 0;
  useEffect(() => {
    document.title = (mineUnread ? `(${mineUnread}) ` : "") + t("page.dialogs") + " · " + t("brand");
  });

  if (listErr && !lists) {
    if (isForbidden(listErr)) return <Refusal title={t("dialogs.forbidden")} text={t("dialogs.forbiddenText")} />;
    return <LoadError err={listErr} onRetry={loadLists} />;
  }

  const myOp = Array.isArray(ops) ? ops.find((o) => o.user_id === me) : undefined;
  const online = presence && presence !== "hidden" ? presence.online : false;
  const select = (id: string) => navigate(dialogsPath(folder, id));

  return (
    <div class={"dialogs" + (openId ? " has-open" : "")}>
      <div class="dialogs-head">
        <div class="folder-tabs" role="tablist" aria-label={t("dialogs.folders")}>
          {FOLDERS.map((f) => (
            <a
              role="tab"
              href={dialogsPath(f)}
              aria-selected={f === folder}
              class={f === folder ? "on" : ""}
              onClick={(e) => {
                if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                e.preventDefault();
                navigate(dialogsPath(f));
              }}
            >
              {t(FOLDER_TITLE[f])}
              {counts && counts[f] > 0 && (
                <span class="count" aria-label={t("dialogs.unreadN", { N: String(counts[f]) })}>
                  {counts[f]}
                </span>
              )}
            </a>
          ))}
        </div>
        <div class="dialogs-tools">
          {live !== "live" && (
            <span class={"live-note" + (live === "connecting" ? " is-quiet" : "")} role="status">
              <span class="live-dot" aria-hidden="true" />
              {t(live === "refused" ? "dialogs.live.refused" : live === "offline" ? "dialogs.live.offline" : "dialogs.live.connecting")}
            </span>
          )}
          {answer && myOp !== undefined && (
            <button type="button" class="btn btn-secondary btn-sm" onClick={() => setScheduleOpen(true)}>
              <IconClock />
              {t("dialogs.mySchedule")}
            </button>
          )}
          {presence && presence !== "hidden" && (
            <button
              type="button"
              role="switch"
              aria-checked={online}
              class={"presence" + (online ? " is-on" : "")}
              disabled={presenceBusy}
              onClick={togglePresence}
              title={t(online ? "dialogs.goOffline" : "dialogs.goOnline")}
            >
              <span class="presence-track" aria-hidden="true">
                <span class="presence-knob" />
              </span>
              <span class="presence-label">{t(online ? "dialogs.online" : "dialogs.offline")}</span>
            </button>
          )}
        </div>
      </div>
      {presenceErr && <p class="field-error dialogs-err">{presenceErr}</p>}
      {presence && presence !== "hidden" && !online && (
        <p class="note dialogs-offline">
          <IconClock />
          <span>{myOp?.schedule ? t("dialogs.offlineScheduled") : t("dialogs.offlineNote")}</span>
        </p>
      )}
      <div class={"workspace card" + (sideOpen ? " side-open" : "")}>
        <DialogList
          lists={lists}
          folder={folder}
          selected={openId}
          typing={typing}
          onSelect={select}
          more={more[folder] !== null}
          moreBusy={moreBusy}
          onMore={() => loadMore(folder)}
          emptyKey={folder === "mine" ? (online || !answer ? "dialogs.empty.mine" : "dialogs.empty.mineOffline") : folder === "common" ? "dialogs.empty.common" : "dialogs.empty.archive"}
        />
        <Conversation
          pid={pid}
          state={open}
          canAnswer={answer}
          pending={pending}
          setPending={setPending}
          typing={!!(open && typing[open.id])}
          statusBusy={statusBusy}
          actionErr={actionErr}
          onClose={() => setStatus("close")}
          onReopen={() => setStatus("reopen")}
          onSent={onSent}
          onBack={() => navigate(dialogsPath(folder))}
          sideOpen={sideOpen}
          onToggleSide={() => setSideOpen((v) => !v)}
          onRetryLoad={() => open && loadDialog(open.id)}
          onOlder={loadOlder}
          fields={fields}
        />
        <aside
          class="pane pane-side"
          aria-label={t("dialogs.side")}
          onKeyDown={(e) => {
            if (e.key === "Escape" && sideOpen) setSideOpen(false);
          }}
        >
          {sideOpen && (
            <button type="button" class="btn btn-ghost btn-icon btn-icon-sm side-close" aria-label={t("common.close")} title={t("common.close")} onClick={() => setSideOpen(false)}>
              <IconClose />
            </button>
          )}
          {open?.dialog && <ContactCard dialog={open.dialog} fields={fields} />}
          {ops !== "hidden" && <OperatorsPanel operators={ops} me={me} />}
        </aside>
      </div>
      {scheduleOpen && myOp && (
        <ScheduleModal
          pid={pid}
          operators={[myOp]}
          own
          onClose={() => setScheduleOpen(false)}
          onSaved={(list) => setOps(list)}
        />
      )}
    </div>
  );
}

function omit<T>(o: Record<string, T>, k: string): Record<string, T> {
  if (!(k in o)) return o;
  const c = { ...o };
  delete c[k];
  return c;
}

const maxId = (a: string | null, b: string) => (a && a > b ? a : b);

/** The optimistic copy of a reply the server has now echoed back (by its client_id, else by its text). */
function dropEcho(p: Pending[], m: Message): Pending[] {
  const i = m.client_id ? p.findIndex((x) => x.clientId === m.client_id) : p.findIndex((x) => x.state === "sending" && x.text.trim() === m.text.trim());
  return i < 0 ? p : p.filter((_, j) => j !== i);
}
