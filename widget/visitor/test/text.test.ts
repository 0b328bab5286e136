import assert from "node:assert/strict";
import { test } from "node:test";
import { clock, contrast, MAX_MESSAGE, normalizeMessage, safeColor, textOn } from "../src/text";
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
