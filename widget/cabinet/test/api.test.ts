import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiError, displayName, initials, toApiError } from "../src/api";
import { translator } from "../src/i18n";
import { errorText } from "../src/Login";

test("toApiError reads the error envelope", () => {
  const e = toApiError(401, { error: { code: "invalid_credentials", message: "Неверный e-mail или пароль" } });
  assert.ok(e instanceof ApiError);
  assert.equal(e.status, 401);
  assert.equal(e.code, "invalid_credentials");
  assert.equal(e.message, "Неверный e-mail или пароль");
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
