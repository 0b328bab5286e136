import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiError, login, requestPasswordReset } from "./api";
import { useI18n, type T } from "./i18n";
import { IconAlert, IconCheck, IconEye, Logo } from "./icons";
import { LangSwitch } from "./LangSwitch";
import { linkClick } from "./nav";

export function errorText(err: unknown, t: T): string {
  if (err instanceof ApiError) {
    if (err.message) return err.message;
    if (err.code === "network") return t("error.network");
  }
  return t("error.generic");
}

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

export function Alert({ kind = "error", children }: { kind?: "error" | "ok"; children: ComponentChildren }) {
  return (
    <div class={"alert alert-" + kind} role={kind === "error" ? "alert" : "status"}>
      {kind === "error" ? <IconAlert /> : <IconCheck />}
      <span>{children}</span>
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
  const { t } = useI18n();
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
      await requestPasswordReset(email.trim());
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
