import assert from "node:assert/strict";
import { test } from "node:test";
import { translator } from "../src/i18n";
import { ledgerNote, leadText } from "../src/systemText";

const en = translator("en");
const ru = translator("ru");

test("the request form's and the callback's lines read in English; the visitor's words stay", () => {
  assert.equal(leadText("Заявка с сайта\nКомпания: Ромашка\nАдрес доставки: ул. Ленина, 1", en), "Request from the website\nCompany: Ромашка\nАдрес доставки: ул. Ленина, 1");
  assert.equal(
    leadText("Обратный звонок на +79123456789; звонок сначала менеджеру; переадресация на +73430000001; отдел «Сервис»", en),
    "Callback to +79123456789; the manager is called first; forwarded to +73430000001; department «Сервис»",
  );
  assert.equal(leadText("Обратный звонок на +79123456789; звонок сначала посетителю", en), "Callback to +79123456789; the visitor is called first");
  assert.equal(leadText("Здравствуйте, нужен букет", en), "Здравствуйте, нужен букет");
  assert.equal(leadText("Заявка с сайта\nКомпания: Ромашка", ru), "Заявка с сайта\nКомпания: Ромашка");
});

test("ledger notes", () => {
  assert.equal(ledgerNote("Пополнение баланса", en), "Balance top-up");
  assert.equal(ledgerNote("Тариф Pro на 30 дней", en), "Tariff Pro for 30 days");
  assert.equal(ledgerNote("Продление тарифа Pro+", en), "Renewal of Pro+");
  assert.equal(ledgerNote("Тариф Pro на 30 дней", ru), "Тариф Pro на 30 дней");
  assert.equal(ledgerNote("что-то своё", en), "что-то своё");
});
