import { LANGS, useI18n } from "./i18n";

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div class="lang" role="group" aria-label={t("lang.label")}>
      {LANGS.map((l) => (
        <button type="button" class={l === lang ? "on" : ""} aria-pressed={l === lang} onClick={() => setLang(l)} lang={l}>
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
