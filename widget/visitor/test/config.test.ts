import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_COLOR, normalizeConfig } from "../src/config";

test("no config (404) gives Russian defaults", () => {
  const c = normalizeConfig(null);
  assert.equal(c.title, "Беседа");
  assert.equal(c.lang, "ru");
  assert.equal(c.color, DEFAULT_COLOR);
  assert.equal(c.side, "right");
  assert.equal(c.timeZone, "Europe/Moscow");
  assert.equal(c.chatHours, null);
  assert.match(c.welcome, /^Здравствуйте!/);
});

test("English fallback comes from the loader's data-lang", () => {
  assert.equal(normalizeConfig(undefined, "en").title, "Beseda");
});

test("a full config is taken over", () => {
  const hours = Array.from({ length: 7 }, () => Array(24).fill(true));
  const c = normalizeConfig({
    title: "  Цветы на Ленина ",
    language: "en",
    color: "#0F766E",
    side: "left",
    time_zone: "Asia/Yekaterinburg",
    chat: { welcome_message: "Hi!", hours },
  });
  assert.equal(c.title, "Цветы на Ленина");
  assert.equal(c.lang, "en");
  assert.equal(c.subtitle, "We usually reply in a few minutes");
  assert.equal(c.color, "#0f766e");
  assert.equal(c.side, "left");
  assert.equal(c.timeZone, "Asia/Yekaterinburg");
  assert.equal(c.welcome, "Hi!");
  assert.equal(c.chatHours!.length, 7);
});

test("malformed fields fall back one by one", () => {
  const c = normalizeConfig({ title: 5, language: "de", color: "javascript:1", side: "top", chat: "yes", time_zone: "" });
  assert.equal(c.title, "Беседа");
  assert.equal(c.lang, "ru");
  assert.equal(c.color, DEFAULT_COLOR);
  assert.equal(c.side, "right");
  assert.equal(c.timeZone, "Europe/Moscow");
  assert.equal(c.chatHours, null);
});
