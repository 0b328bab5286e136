// The project's notification settings (§4): after how many minutes an unanswered customer's
// message is reported to «Обращения клиентов».
import { useEffect, useState } from "preact/hooks";
import { notifySettings, saveNotifySettings } from "../api";
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
