// Strings of the notification settings (§4): «N minutes», the team's Telegram bot in the
// project's settings, and a member's own Telegram in the Profile. Russian first; merged into
// the dictionaries of i18n.ts.

export const teambotRu = {
  "notif.settingsTitle": "Когда сообщать",
  "notif.minutes": "Сообщение без ответа, минут",
  "notif.minutesHint": "Через столько минут без ответа оператора приходит уведомление «Клиент ждёт ответа» (от 1 до 60).",
  "notif.minutesRange": "Укажите от 1 до 60 минут.",
};

export const teambotEn: Record<keyof typeof teambotRu, string> = {
  "notif.settingsTitle": "When to notify",
  "notif.minutes": "Message without an answer, minutes",
  "notif.minutesHint": "After this many minutes without an operator's answer the “A customer is waiting” notification comes (1 to 60).",
  "notif.minutesRange": "Enter 1 to 60 minutes.",
};
