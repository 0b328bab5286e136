// Every cabinet string, Russian first, English second. Components read them through `t()`.
import { createContext } from "preact";
import { useContext } from "preact/hooks";

export type Lang = "ru" | "en";
export const LANGS: Lang[] = ["ru", "en"];

export const ru = {
  "brand": "Беседа",
  "app.loading": "Загрузка…",
  "lang.label": "Язык интерфейса",
  "login.title": "Вход в Беседу",
  "login.subtitle": "Все обращения клиентов — в одном окне",
  "login.email": "E-mail",
  "login.password": "Пароль",
  "login.submit": "Войти",
  "login.submitting": "Входим…",
  "login.forgot": "Забыл пароль",
  "login.showPassword": "Показать пароль",
  "login.hidePassword": "Скрыть пароль",
  "login.required": "Введите e-mail и пароль.",
  "login.footer": "Сайт, WhatsApp, Telegram, Viber, VK, ОК и Авито — в одной ленте",
  "forgot.title": "Восстановление пароля",
  "forgot.text": "Укажите e-mail, с которым вы входите в Беседу, — пришлём ссылку для смены пароля.",
  "forgot.submit": "Отправить ссылку",
  "forgot.sent": "Если аккаунт с таким e-mail есть, письмо со ссылкой уже в пути.",
  "forgot.back": "Вернуться ко входу",
  "nav.label": "Главное меню",
  "nav.dashboard": "Панель",
  "nav.journal": "ЕЖЛ",
  "nav.dialogs": "Диалоги",
  "nav.settings": "Настройки",
  "page.dashboard": "Панель",
  "page.journal": "Единый журнал лидов",
  "page.dialogs": "Диалоги",
  "page.settings": "Настройки",
  "page.notFound": "Страница не найдена",
  "shell.logout": "Выйти",
  "shell.account": "Учётная запись",
  "dashboard.hello": "Здравствуйте, {NAME}!",
  "dashboard.lead": "Здесь будет сводка по обращениям, диалогам и работе операторов.",
  "dashboard.requests": "Обращения сегодня",
  "dashboard.open": "Открытые диалоги",
  "dashboard.online": "Операторы онлайн",
  "dashboard.noData": "нет данных",
  "empty.journal": "Все заявки — из чата, форм, звонков и мессенджеров — появятся здесь, со временем в часовом поясе проекта.",
  "empty.dialogs": "Здесь вы будете отвечать клиентам с сайта и из мессенджеров.",
  "empty.settings": "Проект, команда, виджет на сайте и интеграции.",
  "empty.notFound": "Такой страницы нет. Выберите раздел в меню слева.",
  "empty.soon": "Раздел в разработке",
  "error.network": "Нет связи с сервером. Проверьте подключение и попробуйте ещё раз.",
  "error.generic": "Что-то пошло не так. Попробуйте ещё раз.",
};

export type Key = keyof typeof ru;

export const en: Record<Key, string> = {
  "brand": "Beseda",
  "app.loading": "Loading…",
  "lang.label": "Interface language",
  "login.title": "Sign in to Beseda",
  "login.subtitle": "Every customer conversation in one window",
  "login.email": "E-mail",
  "login.password": "Password",
  "login.submit": "Sign in",
  "login.submitting": "Signing in…",
  "login.forgot": "Forgot password",
  "login.showPassword": "Show password",
  "login.hidePassword": "Hide password",
  "login.required": "Enter your e-mail and password.",
  "login.footer": "Website, WhatsApp, Telegram, Viber, VK, OK and Avito in one feed",
  "forgot.title": "Reset your password",
  "forgot.text": "Enter the e-mail you sign in to Beseda with and we will send you a link to set a new password.",
  "forgot.submit": "Send link",
  "forgot.sent": "If an account with this e-mail exists, a letter with the link is on its way.",
  "forgot.back": "Back to sign in",
  "nav.label": "Main menu",
  "nav.dashboard": "Dashboard",
  "nav.journal": "Leads",
  "nav.dialogs": "Dialogs",
  "nav.settings": "Settings",
  "page.dashboard": "Dashboard",
  "page.journal": "Lead journal",
  "page.dialogs": "Dialogs",
  "page.settings": "Settings",
  "page.notFound": "Page not found",
  "shell.logout": "Sign out",
  "shell.account": "Account",
  "dashboard.hello": "Hello, {NAME}!",
  "dashboard.lead": "A summary of requests, dialogs and operators' work will appear here.",
  "dashboard.requests": "Requests today",
  "dashboard.open": "Open dialogs",
  "dashboard.online": "Operators online",
  "dashboard.noData": "no data",
  "empty.journal": "Every request — from chat, forms, calls and messengers — will appear here, timed in the project's time zone.",
  "empty.dialogs": "This is where you will answer customers from your website and messengers.",
  "empty.settings": "Project, team, website widget and integrations.",
  "empty.notFound": "There is no such page. Pick a section in the menu on the left.",
  "empty.soon": "Coming soon",
  "error.network": "No connection to the server. Check your network and try again.",
  "error.generic": "Something went wrong. Please try again.",
};

export const dictionaries: Record<Lang, Record<Key, string>> = { ru, en };

export type T = (key: Key, vars?: Record<string, string>) => string;

export function translator(lang: Lang): T {
  const dict = dictionaries[lang];
  return (key, vars) => {
    const s = dict[key] ?? ru[key] ?? key;
    return vars ? s.replace(/\{([A-Z_]+)\}/g, (m, k: string) => vars[k] ?? m) : s;
  };
}

const STORAGE_KEY = "beseda.lang";

/** The stored choice, else Russian (the product is Russian first). */
export function initialLang(stored: string | null | undefined): Lang {
  return stored === "en" || stored === "ru" ? stored : "ru";
}

export function loadLang(): Lang {
  try {
    return initialLang(localStorage.getItem(STORAGE_KEY));
  } catch {
    return "ru";
  }
}

export function saveLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  document.documentElement.lang = lang;
}

export interface I18n {
  lang: Lang;
  t: T;
  setLang: (lang: Lang) => void;
}

export const I18nContext = createContext<I18n>({ lang: "ru", t: translator("ru"), setLang: () => {} });
export const useI18n = () => useContext(I18nContext);
