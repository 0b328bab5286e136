import assert from "node:assert/strict";
import { test } from "node:test";
import { translator } from "../src/i18n";
import { ledgerNote, requestRows, requestText } from "../src/systemText";

const en = translator("en");
const ru = translator("ru");

test("a widget request reads in the reader's language with every field; the visitor's words stay", () => {
  const form = {
    kind: "form" as const,
    name: "Мария",
    phone: "+79123456789",
    email: null,
    company: "Ромашка",
    custom: { label: "Адрес доставки", value: "ул. Ленина, 1" },
    list: null,
  };
  assert.equal(requestText(form, en), "Website request\nName: Мария\nPhone: +7 912 345-67-89\nCompany: Ромашка\nАдрес доставки: ул. Ленина, 1");
  assert.equal(requestText(form, ru), "Заявка с сайта\nИмя: Мария\nТелефон: +7 912 345-67-89\nКомпания: Ромашка\nАдрес доставки: ул. Ленина, 1");
  const callback = { kind: "callback" as const, phone: "+79123456789", name: null, call_first: "visitor" as const, forward: "+73430000001", group: "Сервис" };
  assert.deepEqual(requestRows(callback, en), {
    title: "Callback request",
    rows: [
      ["Phone", "+7 912 345-67-89"],
      ["Call", "the visitor first"],
      ["Forward to", "+7 343 000-00-01"],
      ["Department", "Сервис"],
    ],
  });
});

test("ledger notes", () => {
  assert.equal(ledgerNote("Пополнение баланса", en), "Balance top-up");
  assert.equal(ledgerNote("Тариф Pro на 30 дней", en), "Tariff Pro for 30 days");
  assert.equal(ledgerNote("Продление тарифа Pro+", en), "Renewal of Pro+");
  assert.equal(ledgerNote("Тариф Pro на 30 дней", ru), "Тариф Pro на 30 дней");
  assert.equal(ledgerNote("что-то своё", en), "что-то своё");
});
