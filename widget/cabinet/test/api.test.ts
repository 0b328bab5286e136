import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiError, displayName, initials, isForbidden, toApiError } from "../src/api";
import { translator } from "../src/i18n";
import { errorText } from "../src/Login";

test("toApiError reads the error envelope", () => {
  const e = toApiError(401, { error: { code: "invalid_credentials", message: "Неверный e-mail или пароль" } });
  assert.ok(e instanceof ApiError);
  assert.equal(e.status, 401);
  assert.equal(e.code, "invalid_credentials");
  assert.equal(e.message, "Неверный e-mail или пароль");
});

test("toApiError keeps the field to highlight", () => {
  const e = toApiError(422, { error: { code: "invalid_domain", message: "Домен «x» указан неверно", field: "domains" } });
  assert.equal(e.field, "domains");
  assert.equal(toApiError(422, { error: { code: "x", message: "y", field: 3 } }).field, undefined);
  assert.ok(isForbidden(toApiError(403, { error: { code: "forbidden", message: "Нет доступа" } })));
  assert.ok(!isForbidden(toApiError(404, null)));
});

test("toApiError copes with bodies that are not the envelope", () => {
  assert.equal(toApiError(502, null).code, "http_502");
  assert.equal(toApiError(500, { error: "boom" }).code, "http_500");
  const e = toApiError(400, { error: { code: 7 } });
  assert.equal(e.code, "http_400");
  assert.equal(e.message, "");
});

test("errorText shows the server's message, else a translated fallback", () => {
  const ru = translator("ru");
  const en = translator("en");
  assert.equal(errorText(new ApiError(401, "invalid_credentials", "Неверный пароль"), ru), "Неверный пароль");
  assert.equal(errorText(new ApiError(0, "network", ""), ru), ru("error.network"));
  assert.equal(errorText(new ApiError(500, "http_500", ""), en), "Something went wrong. Please try again.");
  assert.equal(errorText(new TypeError("x"), ru), ru("error.generic"));
});

test("displayName and initials", () => {
  assert.equal(displayName({ email: "a@b.ru", first_name: "Анна", last_name: "Петрова" }), "Анна Петрова");
  assert.equal(displayName({ email: "a@b.ru", first_name: " ", last_name: "" }), "a@b.ru");
  assert.equal(initials({ email: "a@b.ru", first_name: "анна", last_name: "Петрова" }), "АП");
  assert.equal(initials({ email: "admin@beseda.local" }), "A");
});

test("the reference texts are in the dictionaries, every key in both languages", () => {
  const ru = translator("ru");
  assert.equal(ru("settings.forbidden"), "Нет доступа к настройкам проекта");
  assert.equal(ru("journal.forbidden"), "Нет доступа к журналу");
  assert.equal(ru("journal.empty"), "Обращений пока нет");
  assert.equal(ru("notif.fallback"), "Если ни у кого не включены обращения клиентов, их получает администратор.");
  assert.deepEqual(
    (["sound.login", "sound.presence", "sound.new_request", "sound.new_message", "sound.settings_saved", "sound.locked_click"] as const).map((k) => ru(k)),
    ["Вход в систему", "Переход в онлайн/офлайн", "Новая заявка", "Новое сообщение", "Сохранение настроек", "Клик по заблокированному экрану"],
  );
  assert.deepEqual(
    (["access.admin", "access.settings", "access.analytics", "access.operator"] as const).map((k) => ru(k)),
    ["Администратор", "Настройка проекта", "Аналитика", "Оператор"],
  );
  assert.equal(ru("tariff.onlyAdmin"), "Только администратор проекта");
  assert.equal(ru("trial.blocker.no_domain").startsWith("Укажите домен сайта"), true);
});
