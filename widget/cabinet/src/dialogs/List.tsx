// The dialog list of a folder: contact or visitor, channel, last text (as text), time in the
// user's time zone, unread badge, «печатает…» while the visitor types.
import type { Dialog, Folder } from "../api";
import { contactName, listTime, visitorTag, type Lists } from "../dialogState";
import { useI18n, type Key } from "../i18n";
import { dialogsPath } from "../routes";
import { useSession } from "../state";
import { Loading } from "../ui";
import { ChannelIcon } from "./ChannelIcon";

export function dialogTitle(d: Dialog, t: (k: Key, v?: Record<string, string>) => string): string {
  return contactName(d) || t("dialogs.visitor", { TAG: visitorTag(d.visitor_id) });
}

export function DialogList({
  lists,
  folder,
  selected,
  typing,
  onSelect,
  more,
  moreBusy,
  onMore,
  emptyKey,
}: {
  lists: Lists | null;
  folder: Folder;
  selected: string | null;
  typing: Record<string, number>;
  onSelect: (id: string) => void;
  /** The folder has dialogs past those shown. */
  more: boolean;
  moreBusy: boolean;
  onMore: () => void;
  emptyKey: Key;
}) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const items = lists ? lists[folder] : null;
  return (
    <nav class="pane pane-list" aria-label={t("dialogs.list")}>
      {items === null ? (
        <Loading />
      ) : items.length === 0 ? (
        <div class="list-empty">
          <p>{t(emptyKey)}</p>
        </div>
      ) : (
        <ul class="dlist">
          {items.map((d) => {
            const title = dialogTitle(d, t);
            // A closed dialog (Архив) shows its last text, never an old «печатает…».
            const isTyping = !!typing[d.id] && d.status !== "closed" && folder !== "archive";
            return (
              <li>
                <a
                  href={dialogsPath(folder, d.id)}
                  class={"drow" + (d.id === selected ? " is-on" : "") + (d.unread > 0 ? " is-unread" : "")}
                  aria-current={d.id === selected ? "true" : undefined}
                  onClick={(e) => {
                    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                    e.preventDefault();
                    onSelect(d.id);
                  }}
                >
                  <ChannelIcon channel={d.channel} />
                  <span class="drow-main">
                    <span class="drow-top">
                      <span class="drow-name">{title}</span>
                      <time class="drow-time" dateTime={d.last_at}>
                        {listTime(d.last_at, lang, user.timezone)}
                      </time>
                    </span>
                    <span class="drow-bottom">
                      <span class={"drow-text" + (isTyping ? " is-typing" : "")}>{isTyping ? t("dialogs.typingShort") : d.last_text || "—"}</span>
                      {d.unread > 0 && (
                        <span class="badge" aria-label={t("dialogs.unreadMessages", { N: String(d.unread) })}>
                          {d.unread > 99 ? "99+" : d.unread}
                        </span>
                      )}
                    </span>
                  </span>
                </a>
              </li>
            );
          })}
          {more && (
            <li class="dlist-more">
              <button type="button" class="btn btn-ghost" disabled={moreBusy} onClick={onMore}>
                {t("dialogs.more")}
              </button>
            </li>
          )}
        </ul>
      )}
    </nav>
  );
}
