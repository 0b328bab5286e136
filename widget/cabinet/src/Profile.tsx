// /profile — the personal account (§1): information, avatar, time zone, the project's Telegram
// bot (§4), sounds, password.
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { changePassword, DEFAULT_VOLUMES, deleteAvatar, timezones as loadTimezones, updateMe, uploadAvatar, VOLUME_KEYS, type User, type Volumes } from "./api";
import { useI18n, type Key } from "./i18n";
import { IconCamera, IconTrash } from "./icons";
import { Avatar } from "./Avatar";
import { TelegramCard } from "./ProfileTelegram";
import { useSession } from "./state";
import { Alert, errorFor, errorText, Field, FormAlert, focusField, SaveButton, TextField, TimezoneSelect, toFormError, useSave, type FormError } from "./ui";

const AVATAR_MAX = 2 * 1024 * 1024;

export function ProfilePage() {
  return (
    <div class="stack profile">
      <InfoCard />
      <TelegramCard />
      <div class="grid-2">
        <SoundsCard />
        <PasswordCard />
      </div>
    </div>
  );
}

function InfoCard() {
  const { t } = useI18n();
  const { user, setUser } = useSession();
  const [first, setFirst] = useState(user.first_name || "");
  const [last, setLast] = useState(user.last_name || "");
  const [phone, setPhone] = useState(user.phone || "");
  const [tz, setTz] = useState(user.timezone || "Europe/Moscow");
  const [hide, setHide] = useState(!!user.hide_inactive_projects);
  const [zones, setZones] = useState<string[]>([]);
  const [err, setErr] = useState<FormError | null>(null);
  const save = useSave();
  const form = useRef<HTMLFormElement>(null);
  const hideId = useId();

  useEffect(() => {
    loadTimezones().then(setZones, () => {});
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    setErr(null);
    try {
      await save.run(async () => {
        const u = await updateMe({
          first_name: first.trim(),
          last_name: last.trim(),
          phone: phone.trim() || null,
          timezone: tz,
          hide_inactive_projects: hide,
        });
        setUser(u);
        // Show what the server kept (it may normalise the phone, trim the names…).
        setFirst(u.first_name || "");
        setLast(u.last_name || "");
        setPhone(u.phone || "");
        if (u.timezone) setTz(u.timezone);
      });
    } catch (e) {
      const fe = toFormError(e, t);
      setErr(fe);
      focusField(form.current, fe.field);
    }
  }

  const fields = ["first_name", "last_name", "phone", "timezone", "hide_inactive_projects"];
  return (
    <section class="card section" aria-labelledby="profile-info">
      <div class="section-head">
        <h2 id="profile-info">{t("profile.info")}</h2>
        <p class="muted small">{t("profile.infoLead")}</p>
      </div>
      <div class="profile-grid">
        <AvatarEditor user={user} />
        <form ref={form} onSubmit={submit} noValidate class="profile-form">
          <FormAlert err={err} fields={fields} />
          <div class="row-2">
            <TextField label={t("profile.firstName")} name="first_name" autoComplete="given-name" value={first} onValue={setFirst} error={errorFor(err, "first_name")} />
            <TextField label={t("profile.lastName")} name="last_name" autoComplete="family-name" value={last} onValue={setLast} error={errorFor(err, "last_name")} />
          </div>
          <div class="row-2">
            <TextField label={t("profile.email")} name="email" type="email" value={user.email} readOnly class="is-readonly" hint={t("profile.emailHint")} />
            <TextField
              label={t("profile.phone")}
              name="phone"
              type="tel"
              autoComplete="tel"
              placeholder="+7 (999) 999-99-99"
              value={phone}
              onValue={setPhone}
              error={errorFor(err, "phone")}
            />
          </div>
          <Field label={t("profile.timezone")} error={errorFor(err, "timezone")} hint={t("profile.timezoneHint")}>
            {(id, d) => <TimezoneSelect id={id} value={tz} zones={zones} onChange={setTz} describedBy={d} invalid={!!errorFor(err, "timezone")} />}
          </Field>
          <div class="check">
            <input id={hideId} type="checkbox" name="hide_inactive_projects" checked={hide} onChange={(e) => setHide(e.currentTarget.checked)} />
            <label for={hideId}>{t("profile.hideInactive")}</label>
          </div>
          <div class="form-actions">
            <SaveButton state={save.state} />
          </div>
        </form>
      </div>
    </section>
  );
}

function AvatarEditor({ user }: { user: User }) {
  const { t } = useI18n();
  const { setUser, bumpAvatar } = useSession();
  const [preview, setPreview] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const inputId = useId();

  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  async function onFile(e: Event) {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    setError("");
    if (!["image/png", "image/jpeg", "image/webp"].includes(file.type)) return setError(t("profile.avatarType"));
    if (file.size > AVATAR_MAX) return setError(t("profile.avatarSize"));
    setPreview(URL.createObjectURL(file));
    setBusy(true);
    try {
      const u = await uploadAvatar(file);
      setUser(u);
      bumpAvatar();
    } catch (err) {
      setError(errorText(err, t));
    }
    setPreview(null);
    setBusy(false);
  }

  async function remove() {
    setBusy(true);
    setError("");
    try {
      await deleteAvatar();
      setUser({ ...user, has_avatar: false });
      bumpAvatar();
    } catch (err) {
      setError(errorText(err, t));
    }
    setBusy(false);
  }

  return (
    <div class="avatar-edit">
      <div class={"avatar-big" + (busy ? " is-busy" : "")}>
        {preview ? <img src={preview} alt={t("profile.avatarPreview")} /> : <Avatar user={user} size={112} />}
      </div>
      <input id={inputId} class="sr-only" type="file" accept="image/png,image/jpeg,image/webp" onChange={onFile} disabled={busy} />
      <label for={inputId} class="btn btn-secondary btn-sm" aria-disabled={busy}>
        <IconCamera />
        {t("profile.avatarUpload")}
      </label>
      {user.has_avatar && !preview && (
        <button type="button" class="btn btn-ghost btn-sm" onClick={remove} disabled={busy}>
          <IconTrash />
          {t("profile.avatarDelete")}
        </button>
      )}
      <p class="muted small center">{t("profile.avatarHint")}</p>
      {error && <p class="field-error center" role="alert">{error}</p>}
    </div>
  );
}

const VOLUME_LABELS: Record<keyof Volumes, Key> = {
  login: "sound.login",
  presence: "sound.presence",
  new_request: "sound.new_request",
  new_message: "sound.new_message",
  settings_saved: "sound.settings_saved",
  locked_click: "sound.locked_click",
};

function SoundsCard() {
  const { t } = useI18n();
  const { user, setUser } = useSession();
  const [vol, setVol] = useState<Volumes>({ ...DEFAULT_VOLUMES, ...(user.volumes || {}) });
  const [err, setErr] = useState("");
  const save = useSave();

  async function submit(e: Event) {
    e.preventDefault();
    setErr("");
    try {
      await save.run(async () => setUser(await updateMe({ volumes: vol })));
    } catch (e) {
      setErr(errorText(e, t));
    }
  }

  return (
    <section class="card section" aria-labelledby="profile-sounds">
      <div class="section-head">
        <h2 id="profile-sounds">{t("profile.sounds")}</h2>
        <p class="muted small">{t("profile.soundsLead")}</p>
      </div>
      <form onSubmit={submit} noValidate>
        {err && <Alert>{err}</Alert>}
        {VOLUME_KEYS.map((k) => (
          <Slider label={t(VOLUME_LABELS[k])} name={k} value={vol[k]} onValue={(v) => setVol({ ...vol, [k]: v })} />
        ))}
        <div class="form-actions">
          <SaveButton state={save.state} />
        </div>
      </form>
    </section>
  );
}

function Slider({ label, name, value, onValue }: { label: string; name: string; value: number; onValue: (v: number) => void }) {
  const id = useId();
  return (
    <div class="slider">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="range"
        min={0}
        max={100}
        step={1}
        value={value}
        style={{ "--fill": value + "%" }}
        onInput={(e) => onValue(Number(e.currentTarget.value))}
      />
      <output for={id} class="slider-value">
        {value}
      </output>
    </div>
  );
}

function PasswordCard() {
  const { t } = useI18n();
  const [old, setOld] = useState("");
  const [pw, setPw] = useState("");
  const [again, setAgain] = useState("");
  const [err, setErr] = useState<FormError | null>(null);
  const [done, setDone] = useState(false);
  const save = useSave();
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setErr(null);
    setDone(false);
    let fe: FormError | null = null;
    if (!old) fe = { message: t("password.oldRequired"), field: "old_password" };
    else if (!pw) fe = { message: t("password.newRequired"), field: "new_password" };
    else if (pw !== again) fe = { message: t("password.mismatch"), field: "new_password_again" };
    if (fe) {
      setErr(fe);
      return focusField(form.current, fe.field);
    }
    try {
      await save.run(() => changePassword(old, pw, again));
      setOld("");
      setPw("");
      setAgain("");
      setDone(true);
    } catch (e) {
      const f = toFormError(e, t);
      setErr(f);
      focusField(form.current, f.field);
    }
  }

  return (
    <section class="card section" aria-labelledby="profile-password">
      <div class="section-head">
        <h2 id="profile-password">{t("password.title")}</h2>
        <p class="muted small">{t("password.lead")}</p>
      </div>
      <form ref={form} onSubmit={submit} noValidate>
        {done && <Alert kind="ok">{t("password.changed")}</Alert>}
        <FormAlert err={err} fields={["old_password", "new_password", "new_password_again"]} />
        <TextField label={t("password.old")} name="old_password" type="password" autoComplete="current-password" value={old} onValue={setOld} error={errorFor(err, "old_password")} />
        <TextField
          label={t("password.new")}
          name="new_password"
          type="password"
          autoComplete="new-password"
          value={pw}
          onValue={setPw}
          error={errorFor(err, "new_password")}
          hint={t("password.hint")}
        />
        <TextField
          label={t("password.again")}
          name="new_password_again"
          type="password"
          autoComplete="new-password"
          value={again}
          onValue={setAgain}
          error={errorFor(err, "new_password_again")}
        />
        <div class="form-actions">
          <SaveButton state={save.state} label={t("password.submit")} savedLabel={t("password.changedShort")} />
        </div>
      </form>
    </section>
  );
}
