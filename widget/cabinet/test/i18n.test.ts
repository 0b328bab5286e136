import assert from "node:assert/strict";
import { test } from "node:test";
import { en, initialLang, ru, translator } from "../src/i18n";

test("ru and en have the same keys and the same placeholders", () => {
  assert.deepEqual(Object.keys(en).sort(), Object.keys(ru).sort());
  const ph = (s: string) => (s.match(/\{[A-Z_]+\}/g) || []).sort();
  for (const k of Object.keys(ru) as (keyof typeof ru)[]) {
    assert.deepEqual(ph(en[k]), ph(ru[k]), k);
    assert.ok(en[k].trim() && ru[k].trim(), k);
  }
});

test("the login page speaks Russian first", () => {
  const t = translator(initialLang(null));
  assert.equal(t("login.title"), "Вход в Беседу");
  assert.equal(t("login.email"), "E-mail");
  assert.equal(t("login.password"), "Пароль");
  assert.equal(t("login.submit"), "Войти");
  assert.equal(t("login.forgot"), "Забыл пароль");
  assert.deepEqual(
    (["nav.dashboard", "nav.journal", "nav.dialogs", "nav.settings"] as const).map((k) => t(k)),
    ["Панель", "ЕЖЛ", "Диалоги", "Настройки"],
  );
});

test("translator fills placeholders and language choice is validated", () => {
  assert.equal(translator("en")("dashboard.hello", { NAME: "Anna" }), "Hello, Anna!");
  assert.equal(initialLang("en"), "en");
  assert.equal(initialLang("de"), "ru");
});

test("an invitation speaks both languages", () => {
  const ru = translator("ru");
  const en = translator("en");
  assert.equal(ru("invite.text", { PROJECT: "Ромашка" }), "Вас пригласили в команду проекта «Ромашка»");
  assert.equal(en("invite.text", { PROJECT: "Ромашка" }), "You are invited to the team of the project “Ромашка”");
  assert.deepEqual([ru("invite.accept"), ru("invite.decline")], ["Принять", "Отклонить"]);
  assert.deepEqual([en("invite.accept"), en("invite.decline")], ["Accept", "Decline"]);
  assert.match(ru("team.addLead"), /приглашение/);
  assert.match(en("team.addLead"), /invitation/);
});
