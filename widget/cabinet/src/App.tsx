import { useEffect, useMemo, useState } from "preact/hooks";
import { logout, me, type User } from "./api";
import { I18nContext, loadLang, saveLang, translator, type Lang } from "./i18n";
import { ForgotPage, LoginPage } from "./Login";
import { usePath } from "./nav";
import { parseRoute } from "./routes";
import { Shell } from "./Shell";

type Session = { state: "loading" } | { state: "anon" } | { state: "in"; user: User };

export function App() {
  const [lang, setLangState] = useState<Lang>(loadLang);
  const [session, setSession] = useState<Session>({ state: "loading" });
  const path = usePath();
  const route = parseRoute(path);

  const i18n = useMemo(
    () => ({
      lang,
      t: translator(lang),
      setLang: (l: Lang) => {
        saveLang(l);
        setLangState(l);
      },
    }),
    [lang],
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
  if (session.state === "loading") {
    page = (
      <div class="splash" aria-busy="true">
        {i18n.t("app.loading")}
      </div>
    );
  } else if (session.state === "in") {
    page = <Shell user={session.user} route={route} onLogout={signOut} />;
  } else {
    if (route.kind !== "forgot") document.title = i18n.t("login.title");
    page = route.kind === "forgot" ? <ForgotPage /> : <LoginPage onLogin={refresh} />;
  }
  return <I18nContext.Provider value={i18n}>{page}</I18nContext.Provider>;
}
