import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";
import { confirmPasswordReset, login, requestPasswordReset } from "./api";
import { useI18n } from "./i18n";
import { IconEye, Logo } from "./icons";
import { LangSwitch } from "./LangSwitch";
import { linkClick } from "./nav";
import { Alert, errorFor, errorText, FormAlert, focusField, TextField, toFormError, type FormError } from "./ui";

export { Alert, errorText };

function AuthLayout({ children }: { children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <div class="auth">
      <div class="auth-top">
        <div class="brand">
          <Logo size={32} />
          <span>{t("brand")}</span>
        </div>
        <LangSwitch />
      </div>
      <main class="auth-main">
        <div class="card auth-card">{children}</div>
        <p class="auth-foot">{t("login.footer")}</p>
      </main>
    </div>
  );
}

export function LoginPage({ onLogin }: { onLogin: () => Promise<void> }) {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!email.trim() || !password) return setError(t("login.required"));
    setBusy(true);
    setError("");
    try {
      await login(email.trim(), password);
      await onLogin();
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
    }
  }

  return (
    <AuthLayout>
      <h1>{t("login.title")}</h1>
      <p class="muted">{t("login.subtitle")}</p>
      <form onSubmit={submit} noValidate>
        {error && <Alert>{error}</Alert>}
        <label class="field">
          <span>{t("login.email")}</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            inputMode="email"
            autoFocus
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <div class="field">
          <div class="field-row">
            <label for="password">{t("login.password")}</label>
            <a href="/forgot" onClick={linkClick}>
              {t("login.forgot")}
            </a>
          </div>
          <div class="pw">
            <input
              id="password"
              type={(show ? "text" : "password") as "text" /* preact 11 types reject the union */}
              name="password"
              autoComplete="current-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            <button
              type="button"
              class="pw-eye"
              aria-label={show ? t("login.hidePassword") : t("login.showPassword")}
              title={show ? t("login.hidePassword") : t("login.showPassword")}
              onClick={() => setShow(!show)}
            >
              <IconEye off={show} />
            </button>
          </div>
        </div>
        <button class="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? t("login.submitting") : t("login.submit")}
        </button>
      </form>
    </AuthLayout>
  );
}

export function ForgotPage() {
  const { t, lang } = useI18n();
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [sent, setSent] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy || !email.trim()) return;
    setBusy(true);
    setError("");
    try {
      await requestPasswordReset(email.trim(), lang);
      setSent(true);
    } catch (err) {
      setError(errorText(err, t));
    }
    setBusy(false);
  }

  return (
    <AuthLayout>
      <h1>{t("forgot.title")}</h1>
      <p class="muted">{t("forgot.text")}</p>
      {sent ? (
        <Alert kind="ok">{t("forgot.sent")}</Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          {error && <Alert>{error}</Alert>}
          <label class="field">
            <span>{t("login.email")}</span>
            <input type="email" autoComplete="username" autoFocus value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
          <button class="btn btn-primary btn-block" type="submit" disabled={busy}>
            {t("forgot.submit")}
          </button>
        </form>
      )}
      <p class="back">
        <a href="/" onClick={linkClick}>
          ← {t("forgot.back")}
        </a>
      </p>
    </AuthLayout>
  );
}

/** /reset?token=… from the password-reset mail: set a new password. */
export function ResetPage() {
  const { t } = useI18n();
  const params = new URLSearchParams(location.search);
  const token = params.get("token") || "";
  // The link of a new account's welcome mail sets its first password.
  const welcome = params.get("welcome") === "1";
  const title = welcome ? t("welcome.title") : t("reset.title");
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<FormError | null>(null);
  const [done, setDone] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  if (!done) document.title = title;

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!password) {
      setErr({ message: t("reset.required"), field: "password" });
      return focusField(form.current, "password");
    }
    if (password !== again) {
      setErr({ message: t("password.mismatch"), field: "password_again" });
      return focusField(form.current, "password_again");
    }
    setBusy(true);
    setErr(null);
    try {
      await confirmPasswordReset(token, password, again);
      setDone(true);
    } catch (e) {
      const fe = toFormError(e, t);
      setErr(fe);
      focusField(form.current, fe.field);
    }
    setBusy(false);
  }

  return (
    <AuthLayout>
      <h1>{title}</h1>
      {done ? (
        <>
          <p class="muted">{t("reset.doneText")}</p>
          <Alert kind="ok">{t("reset.done")}</Alert>
          <a class="btn btn-primary btn-block" href="/" onClick={linkClick}>
            {t("reset.toLogin")}
          </a>
        </>
      ) : !token ? (
        <>
          <p class="muted">{t("reset.text")}</p>
          <Alert>{t("reset.noToken")}</Alert>
          <p class="back">
            <a href="/forgot" onClick={linkClick}>
              {t("reset.again")}
            </a>
          </p>
        </>
      ) : (
        <>
          <p class="muted">{welcome ? t("welcome.text") : t("reset.text")}</p>
          <form ref={form} onSubmit={submit} noValidate>
            <FormAlert err={err} fields={["password", "password_again"]} />
            <TextField
              label={t("password.new")}
              name="password"
              type="password"
              autoComplete="new-password"
              autoFocus
              value={password}
              onValue={setPassword}
              error={errorFor(err, "password")}
              hint={t("password.hint")}
            />
            <TextField
              label={t("password.again")}
              name="password_again"
              type="password"
              autoComplete="new-password"
              value={again}
              onValue={setAgain}
              error={errorFor(err, "password_again")}
            />
            <button class="btn btn-primary btn-block" type="submit" disabled={busy}>
              {t("reset.submit")}
            </button>
          </form>
          <p class="back">
            <a href="/" onClick={linkClick}>
              ← {t("forgot.back")}
            </a>
          </p>
        </>
      )}
    </AuthLayout>
  );
}
