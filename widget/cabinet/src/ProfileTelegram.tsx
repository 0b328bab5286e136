// Профиль → Telegram (§4): the member links their own Telegram to the project's team bot by a
// one-time link, chooses which notification groups also come there, and unlinks.
import { useEffect, useState } from "preact/hooks";
import { GROUPS, myTelegram, setTelegramGroups, telegramLink, unlinkTelegram, type MyTelegram, type NotificationGroup } from "./api";
import { useI18n, type Key } from "./i18n";
import { useProjects } from "./state";
import { Alert, errorText, LoadError, Loading } from "./ui";

const GROUP_TITLE: Record<NotificationGroup, Key> = {
  services: "notif.services",
  requests: "notif.requests",
  statistics: "notif.statistics",
  news: "notif.news",
};

export function TelegramCard() {
  const { t } = useI18n();
  const { current } = useProjects();
  const [state, setState] = useState<MyTelegram | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [err, setErr] = useState("");
  const pid = current?.id;

  async function load() {
    if (!pid) return;
    setLoadErr(null);
    try {
      setState(await myTelegram(pid));
    } catch (e) {
      setLoadErr(e);
    }
  }
  useEffect(() => {
    setLink(null);
    load();
  }, [pid]);

  async function act(fn: () => Promise<unknown>) {
    setErr("");
    try {
      await fn();
    } catch (e) {
      setErr(errorText(e, t));
    }
  }

  if (!pid || !current) return null;
  return (
    <section class="card section telegram-card" aria-labelledby="profile-telegram">
      <div class="section-head">
        <h2 id="profile-telegram">{t("profile.telegram")}</h2>
        <p class="muted small">
          {t("profile.telegramLead")
            .split("{PROJECT}")
            .map((part, i) => (i === 0 ? part : [<span class="user-data">{current.name}</span>, part]))}
        </p>
      </div>
      {err && <Alert>{err}</Alert>}
      {loadErr ? (
        <LoadError err={loadErr} onRetry={load} />
      ) : !state ? (
        <Loading />
      ) : !state.bot_username ? (
        <p class="note">{t("profile.telegramNoBot")}</p>
      ) : state.linked ? (
        <>
          <p class="telegram-linked">
            {t("profile.telegramLinked", { NAME: state.telegram_name || "Telegram", BOT: "@" + state.bot_username })}
          </p>
          <fieldset class="accesses">
            <legend>{t("profile.telegramGroups")}</legend>
            {GROUPS.map((g) => (
              <div class="access-opt">
                <input
                  id={"tg-" + g}
                  type="checkbox"
                  checked={!!state.groups[g]}
                  onChange={(e) => act(async () => setState(await setTelegramGroups(pid, { ...state.groups, [g]: e.currentTarget.checked })))}
                />
                <label for={"tg-" + g}>
                  <span class="access-name">{t(GROUP_TITLE[g])}</span>
                </label>
              </div>
            ))}
          </fieldset>
          <div class="form-actions">
            <button type="button" class="btn btn-secondary" onClick={() =>
                act(async () => {
                  await unlinkTelegram(pid);
                  setLink(null);
                  await load();
                })
              }>
              {t("profile.telegramUnlink")}
            </button>
          </div>
        </>
      ) : (
        <>
          <p>{t("profile.telegramSteps", { BOT: "@" + state.bot_username })}</p>
          <div class="form-actions">
            {link ? (
              <a class="btn btn-primary" href={link} target="_blank" rel="noopener noreferrer">
                {t("profile.telegramOpen")}
              </a>
            ) : (
              <button type="button" class="btn btn-primary" onClick={() => act(async () => setLink((await telegramLink(pid)).url))}>
                {t("profile.telegramLink")}
              </button>
            )}
            <button type="button" class="btn btn-ghost" onClick={load}>
              {t("profile.telegramCheck")}
            </button>
          </div>
          {link && <p class="muted small">{t("profile.telegramLinkNote")}</p>}
        </>
      )}
    </section>
  );
}
