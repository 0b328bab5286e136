import { useEffect, useMemo, useState } from "preact/hooks";
import { logout, me, UNAUTHORIZED_EVENT, updateMe, type User } from "./api";
import { I18nContext, loadLang, saveLang, translator, type Lang } from "./i18n";
import { ForgotPage, LoginPage, ResetPage } from "./Login";
import { usePath } from "./nav";
import { parseRoute } from "./routes";
import { Shell } from "./Shell";
import { SessionContext } from "./state";

type Session = { state: "loading" } | { state: "anon" } | { state: "in"; user: User };

export function App() {
  const [lang, setLangState] = useState<Lang>(loadLang);
  const [session, setSession] = useState<Session>({ state: "loading" });
  const [avatarVersion, setAvatarVersion] = useState(() => Date.now());
  const path = usePath();
  const route = parseRoute(path);

  const i18n = useMemo(
    () => ({
      lang,
      t: translator(lang),
      setLang: (l: Lang) => {
        saveLang(l);
        setLangState(l);
        // Service mails follow the cabinet language of the signed-in user.
        if (session.state === "in") updateMe({ language: l }).catch(() => {});
      },
    }),
    [lang, session.state],
  );

  async function refresh() {
    try {
      setSession({ state: "in", user: await me() });
    } catch (e) {
      setSession({ state: "anon" });
      throw e;
    }
  }

  useEffect(() => {
    document.documentElement.lang = lang;
    refresh().catch(() => {});
    // A 401 from any call means the session expired: back to the sign-in page.
    const onUnauthorized = () => setSession({ state: "anon" });
    addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, []);

  async function signOut() {
    try {
      await logout();
    } catch {
      /* the session is dropped locally either way */
    }
    setSession({ state: "anon" });
  }

  let page;
  if (route.kind === "reset") {
    page = <ResetPage />;
  } else if (session.state === "loading") {
    page = (
      <div class="splash" aria-busy="true">
        {i18n.t("app.loading")}
      </div>
    );
  } else if (session.state === "in") {
    const value = {
      user: session.user,
      setUser: (user: User) => setSession({ state: "in", user }),
      avatarVersion,
      bumpAvatar: () => setAvatarVersion(Date.now()),
    };
    page = (
      <SessionContext.Provider value={value}>
        <Shell route={route} onLogout={signOut} />
      </SessionContext.Provider>
    );
  } else {
    if (route.kind !== "forgot") document.title = i18n.t("login.title");
    page = route.kind === "forgot" ? <ForgotPage /> : <LoginPage onLogin={refresh} />;
  }
  return <I18nContext.Provider value={i18n}>{page}</I18nContext.Provider>;
}
