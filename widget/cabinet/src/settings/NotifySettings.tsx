// The project's notification settings (§4): after how many minutes an unanswered customer's
// message is reported to «Обращения клиентов», and the team's Telegram bot.
import { useEffect, useState } from "preact/hooks";
import { deleteTeamBot, notifySettings, saveNotifySettings, saveTeamBot, teamBot, type TeamBot } from "../api";
import { useI18n } from "../i18n";
import { errorFor, FormAlert, LoadError, Loading, SaveButton, TextField, toFormError, useSave, type FormError } from "../ui";

export function NotifySettingsCard({ pid }: { pid: string }) {
  const { t } = useI18n();
  const [minutes, setMinutes] = useState<string | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [err, setErr] = useState<FormError | null>(null);
  const save = useSave();

  async function load() {
    setLoadErr(null);
    try {
      setMinutes(String((await notifySettings(pid)).unanswered_minutes));
    } catch (e) {
      setLoadErr(e);
    }
  }
  useEffect(() => {
    load();
  }, [pid]);

  async function submit(e: Event) {
    e.preventDefault();
    const n = Number(minutes);
    if (!Number.isInteger(n) || n < 1 || n > 60) {
      setErr({ message: t("notif.minutesRange"), field: "unanswered_minutes" });
      return;
    }
    setErr(null);
    try {
      await save.run(async () => setMinutes(String((await saveNotifySettings(pid, { unanswered_minutes: n })).unanswered_minutes)));
    } catch (e) {
      setErr(toFormError(e, t));
    }
  }

  if (loadErr) return <LoadError err={loadErr} onRetry={load} />;
  if (minutes === null) return <Loading />;
  return (
    <section class="card section" aria-labelledby="notif-settings-title">
      <div class="section-head">
        <h3 id="notif-settings-title">{t("notif.settingsTitle")}</h3>
      </div>
      <form class="inline-form" onSubmit={submit} noValidate>
        <FormAlert err={err} fields={["unanswered_minutes"]} />
        <TextField
          label={t("notif.minutes")}
          hint={t("notif.minutesHint")}
          name="unanswered_minutes"
          type="number"
          min={1}
          max={60}
          inputMode="numeric"
          value={minutes}
          onValue={setMinutes}
          error={errorFor(err, "unanswered_minutes")}
        />
        <SaveButton state={save.state} />
      </form>
    </section>
  );
}

/** The team's Telegram bot (§4): its token (checked by Telegram, shown masked), how many members linked it. */
export function TeamBotCard({ pid }: { pid: string }) {
  const { t } = useI18n();
  const [bot, setBot] = useState<TeamBot | null | undefined>(undefined);
  const [token, setToken] = useState("");
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [err, setErr] = useState<FormError | null>(null);
  const save = useSave();

  async function load() {
    setLoadErr(null);
    try {
      setBot(await teamBot(pid));
    } catch (e) {
      setLoadErr(e);
    }
  }
  useEffect(() => {
    load();
  }, [pid]);

  async function submit(e: Event) {
    e.preventDefault();
    if (!token.trim()) {
      setErr({ message: t("teambot.tokenRequired"), field: "token" });
      return;
    }
    setErr(null);
    try {
      await save.run(async () => {
        setBot(await saveTeamBot(pid, token.trim()));
        setToken("");
      });
    } catch (e) {
      setErr(toFormError(e, t));
    }
  }

  async function remove() {
    setErr(null);
    try {
      await deleteTeamBot(pid);
      setBot(null);
    } catch (e) {
      setErr(toFormError(e, t));
    }
  }

  if (loadErr) return <LoadError err={loadErr} onRetry={load} />;
  if (bot === undefined) return <Loading />;
  return (
    <section class="card section" aria-labelledby="teambot-title">
      <div class="section-head">
        <h3 id="teambot-title">{t("teambot.title")}</h3>
        <p class="muted small">{t("teambot.lead")}</p>
      </div>
      {bot && (
        <p class="teambot-status">
          <strong>@{bot.username}</strong> · <span class="muted">{bot.token}</span> · {t("teambot.linked", { N: String(bot.linked_members) })}
          <button type="button" class="btn btn-ghost btn-danger-ghost" onClick={remove}>
            {t("teambot.disconnect")}
          </button>
        </p>
      )}
      <form class="inline-form" onSubmit={submit} noValidate>
        <FormAlert err={err} fields={["token"]} />
        <TextField
          label={bot ? t("teambot.newToken") : t("teambot.token")}
          hint={t("teambot.tokenHint")}
          name="token"
          autoComplete="off"
          value={token}
          onValue={setToken}
          error={errorFor(err, "token")}
        />
        <SaveButton state={save.state} label={t("teambot.connect")} />
      </form>
    </section>
  );
}
