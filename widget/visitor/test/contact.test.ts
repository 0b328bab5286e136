import assert from "node:assert/strict";
import { test } from "node:test";
import { checkValue, confirmText, emailOk, missingRequired, phoneOk, requestRows, validateRequest } from "../src/contact";
import type { FieldDef } from "../src/config";
import { strings } from "../src/i18n";

const s = strings.ru;
const fields: FieldDef[] = [
  { id: "name", label: "Имя", kind: "text" },
  { id: "phone", label: "Телефон", kind: "phone" },
  { id: "email", label: "E-mail", kind: "email" },
  { id: "inn", label: "ИНН", kind: "text" },
];

test("phone shape", () => {
  for (const ok of ["+7 999 123-45-67", "8 (999) 123-45-67", "89991234567", "+44 20 7946 0958", "+7.999.123.45.67"]) assert.ok(phoneOk(ok), ok);
  for (const bad of ["", "12345", "+7 999 abc", "звоните", "+7 999 123-45-67 доб. 5", "1".repeat(16)]) assert.ok(!phoneOk(bad), bad);
});

test("e-mail shape", () => {
  for (const ok of ["a@b.ru", "ivan.petrov+shop@mail.example.com", "  x@y.org  "]) assert.ok(emailOk(ok), ok);
  for (const bad of ["", "a@b", "a b@c.ru", "@c.ru", "a@.ru", "a@b.r", "<a@b.ru>", "a@b@c.ru"]) assert.ok(!emailOk(bad), bad);
});

test("checkValue: empty is fine unless required; kinds are checked", () => {
  assert.equal(checkValue("text", "  ", false, s), "");
  assert.equal(checkValue("text", "  ", true, s), s.required);
  assert.equal(checkValue("phone", "123", false, s), s.badPhone);
  assert.equal(checkValue("email", "nope", true, s), s.badEmail);
  assert.equal(checkValue("email", "a@b.ru", true, s), "");
});

test("requestRows and validateRequest follow the request", () => {
  const rows = requestRows({ fields: [{ field: "phone", required: true }, { field: "inn", required: false }, { field: "gone", required: true }] }, fields);
  assert.deepEqual(rows.map((r) => r.field.id), ["phone", "inn"]);
  assert.deepEqual(validateRequest(rows, {}, s), { phone: s.required });
  assert.deepEqual(validateRequest(rows, { phone: "+7 999 123-45-67", inn: "" }, s), {});
  assert.deepEqual(validateRequest(rows, { phone: "12" }, s), { phone: s.badPhone });
  assert.deepEqual(requestRows(null, fields), []);
});

test("missingRequired decides whether the chat input is blocked", () => {
  const req = { fields: [{ field: "phone", required: true }, { field: "email", required: false }, { field: "inn", required: true }] };
  assert.deepEqual(missingRequired(req, {}), ["phone", "inn"]);
  assert.deepEqual(missingRequired(req, { phone: "+79991234567", inn: " " }), ["inn"]);
  assert.deepEqual(missingRequired(req, { phone: "+79991234567", inn: "7701234567" }), []);
  assert.deepEqual(missingRequired(null, null), []);
  assert.deepEqual(missingRequired({ fields: [{ field: "email", required: false }] }, undefined), []);
});

test("the confirmation names the visitor and the way we will contact them", () => {
  assert.equal(confirmText({ name: " Мария ", phone: "+7 912 345-67-89" }, s), "Спасибо, Мария, мы свяжемся с вами по +7 912 345-67-89.");
  assert.equal(confirmText({ email: "m@mail.ru" }, s), "Спасибо, мы свяжемся с вами по m@mail.ru.");
  assert.equal(confirmText({ name: "Mary", phone: "+44 20 7946 0958", email: "m@x.uk" }, strings.en), "Thank you, Mary, we will contact you at +44 20 7946 0958.");
  assert.equal(confirmText({ name: "Мария" }, s), "");
});
