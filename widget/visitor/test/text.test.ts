import assert from "node:assert/strict";
import { test } from "node:test";
import { clock, contrast, coordinates, MAX_MESSAGE, normalizeMessage, safeColor, safeUrl, textOn } from "../src/text";
import { fill } from "../src/i18n";

test("normalizeMessage trims, unifies newlines and caps the length", () => {
  assert.equal(normalizeMessage("  привет  "), "привет");
  assert.equal(normalizeMessage("a\r\nb\rc"), "a\nb\nc");
  assert.equal(normalizeMessage("a  \n\n\n\n\nb"), "a\n\nb");
  assert.equal(normalizeMessage(" \n\t "), "");
  assert.equal(normalizeMessage("x".repeat(MAX_MESSAGE + 10)).length, MAX_MESSAGE);
  assert.equal(normalizeMessage("<img src=x onerror=alert(1)>"), "<img src=x onerror=alert(1)>");
});

test("clock pads hours and minutes", () => {
  assert.equal(clock(new Date(2026, 0, 1, 9, 5)), "09:05");
  assert.equal(clock(new Date(2026, 0, 1, 23, 59)), "23:59");
});

test("safeColor lets only hex colours into CSS", () => {
  assert.equal(safeColor("#2563EB"), "#2563eb");
  assert.equal(safeColor("#abc"), "#abc");
  assert.equal(safeColor("red"), null);
  assert.equal(safeColor("#123;background:url(x)"), null);
  assert.equal(safeColor(42), null);
});

test("textOn picks the readable text colour for an accent", () => {
  assert.equal(textOn("#2563eb"), "#ffffff");
  assert.equal(textOn("#000000"), "#ffffff");
  assert.equal(textOn("#ffd60a"), "#111827");
  assert.equal(textOn("#fff"), "#111827");
  assert.ok(Math.abs(contrast("#000", "#fff") - 21) < 1e-9);
});

test("fill replaces known placeholders only", () => {
  assert.equal(fill("Меня зовут {NAME}, {X}", { NAME: "Анна" }), "Меня зовут Анна, {X}");
});

test("safeUrl lets only http(s) links into href", () => {
  assert.equal(safeUrl("https://vk.com/shop"), "https://vk.com/shop");
  assert.equal(safeUrl(" http://t.me/x "), "http://t.me/x");
  assert.equal(safeUrl("javascript:alert(1)"), null);
  assert.equal(safeUrl("https://x.ru/\"onmouseover=1"), null);
  assert.equal(safeUrl("//evil.example"), null);
  assert.equal(safeUrl(5), null);
});

test("coordinates tell map points from address texts", () => {
  assert.deepEqual(coordinates("56.839920, 60.599666"), [56.83992, 60.599666]);
  assert.deepEqual(coordinates("55.633574,37.432901"), [55.633574, 37.432901]);
  assert.equal(coordinates("ул. Ленина, 1"), null);
  assert.equal(coordinates("95.1, 10"), null);
});
