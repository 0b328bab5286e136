// Visitor-facing strings of widget.js, Russian first (PRODUCT.md: UI texts ru, then en).

export type Lang = "ru" | "en";

export const strings = {
  ru: {
    title: "Беседа",
    subtitle: "Обычно отвечаем за пару минут",
    welcome: "Здравствуйте! Чем можем помочь? Напишите нам — ответим прямо здесь.",
    placeholder: "Напишите сообщение…",
    message: "Сообщение",
    send: "Отправить",
    open: "Открыть чат",
    close: "Закрыть чат",
    offline: "Сейчас мы не на связи. Оставьте сообщение — ответим, как только сможем.",
    offlineUntil: "Сейчас мы не на связи. Ответим {WHEN}.",
    today: "сегодня в {TIME}",
    tomorrow: "завтра в {TIME}",
    weekday: "{DAY} в {TIME}",
    days: ["в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье"],
    powered: "Работает на Беседе",
  },
  en: {
    title: "Beseda",
    subtitle: "We usually reply in a few minutes",
    welcome: "Hello! How can we help? Write to us and we will answer right here.",
    placeholder: "Type a message…",
    message: "Message",
    send: "Send",
    open: "Open chat",
    close: "Close chat",
    offline: "We are offline now. Leave a message and we will answer as soon as we can.",
    offlineUntil: "We are offline now. We will answer {WHEN}.",
    today: "today at {TIME}",
    tomorrow: "tomorrow at {TIME}",
    weekday: "on {DAY} at {TIME}",
    days: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    powered: "Powered by Beseda",
  },
};

export type Strings = (typeof strings)["ru"];

export function pickLang(value: unknown, fallback: Lang = "ru"): Lang {
  return value === "en" || value === "ru" ? value : fallback;
}

/** Replaces `{NAME}` placeholders; unknown placeholders stay as they are. */
export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{([A-Z_]+)\}/g, (m, k: string) => (k in vars ? vars[k] : m));
}
