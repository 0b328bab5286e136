import assert from "node:assert/strict";
import { test } from "node:test";
import { mskOffset, tzRussian } from "../src/tzNames";
import { daysLeft, formatPhone, gmtOffset, isValidDomain, normalizeDomain, proPlusPrice, rub, tzLabel, tzMatches } from "../src/format";

test("domains: domain.ru, *.domain.ru and IDN are valid; the rest is not", () => {
  for (const d of ["domain.ru", "*.domain.ru", "romashka.example", "shop.romashka.ru", "ромашка.рф", "*.ромашка.рф", "a-b.co", "xn--80aswg.xn--p1ai", "localhost", "127.0.0.1"])
    assert.ok(isValidDomain(d), d);
  for (const d of ["", "ru", "not a domain", "*.ru", "-a.ru", "a-.ru", "a..ru", "*.*.ru", "a.ru/path", "1.2.3", "256.1.1.1", "*.1.2.3.4", "*.localhost", "a_b.ru", "*domain.ru", "1.2.3.4.5"])
    assert.ok(!isValidDomain(d), d);
});

test("normalizeDomain strips the scheme, path, port and case", () => {
  assert.equal(normalizeDomain("  https://Romashka.RU/contacts?x=1 "), "romashka.ru");
  assert.equal(normalizeDomain("http://shop.romashka.ru:8080"), "shop.romashka.ru");
  assert.equal(normalizeDomain("*.Romashka.ru."), "*.romashka.ru");
  assert.equal(normalizeDomain("ромашка.рф"), "ромашка.рф");
});

test("time zone labels carry the GMT offset", () => {
  assert.equal(gmtOffset("Europe/Moscow"), "GMT+03:00");
  assert.equal(gmtOffset("UTC"), "GMT+00:00");
  assert.equal(tzLabel("Europe/Moscow"), "(GMT+03:00) Europe/Moscow");
  assert.equal(tzLabel("America/New_York").endsWith("America/New York"), true);
  assert.equal(gmtOffset("Not/AZone"), "");
  assert.ok(tzMatches("Europe/Samara", "samara"));
  assert.ok(tzMatches("America/New_York", "new_york"));
  assert.ok(tzMatches("Europe/Moscow", "+03"));
  assert.ok(!tzMatches("Europe/Moscow", "samara"));
  assert.ok(tzMatches("Europe/Moscow", "  "));
});

test("money and days left", () => {
  assert.equal(rub(2500, "ru"), "2 500 ₽");
  assert.equal(rub(3500, "en"), "3,500 ₽");
  assert.equal(rub(0, "ru"), "0 ₽");
  const now = new Date("2026-11-25T10:00:00Z");
  assert.equal(daysLeft("2026-12-02T10:00:00Z", now), 7);
  assert.equal(daysLeft("2026-12-02T09:00:00Z", now), 7);
  assert.equal(daysLeft("2026-11-20T10:00:00Z", now), 0);
  assert.equal(daysLeft(null, now), 0);
});

test("phones are shown in the Russian form, the rest as they are", () => {
  assert.equal(formatPhone("+79991234567"), "+7 999 123-45-67");
  assert.equal(formatPhone("79991234567"), "+7 999 123-45-67");
  assert.equal(formatPhone("+7 (999) 123-45-67"), "+7 999 123-45-67");
  assert.equal(formatPhone("+4930123456"), "+4930123456");
  assert.equal(formatPhone("89991234567"), "89991234567");
  assert.equal(formatPhone(null), "");
});

test("Pro+ is priced by visitor volume", () => {
  assert.equal(proPlusPrice(10000), 6000);
  assert.equal(proPlusPrice(5001), 4000);
  assert.equal(proPlusPrice(12500), 7500);
  assert.equal(proPlusPrice(0), 6000);
});

test("time zones are found by Russian city names and by «МСК+N»", () => {
  const ekb = tzRussian("Asia/Yekaterinburg", new Date("2026-11-29T12:00:00Z"));
  assert.ok(ekb.includes("Екатеринбург") && ekb.endsWith("МСК+2"), ekb);
  assert.ok(tzMatches("Asia/Yekaterinburg", "Екат", ekb));
  assert.ok(tzMatches("Asia/Yekaterinburg", "пермь", ekb));
  assert.ok(tzMatches("Asia/Yekaterinburg", "МСК+2", ekb));
  assert.ok(tzMatches("Asia/Yekaterinburg", "мск +2", ekb));
  assert.ok(tzMatches("Asia/Yekaterinburg", "msk+2", ekb));
  assert.ok(!tzMatches("Asia/Yekaterinburg", "МСК+3", ekb));
  assert.ok(!tzMatches("Asia/Omsk", "МСК+2", tzRussian("Asia/Omsk")));
  assert.equal(mskOffset("Europe/Kaliningrad", new Date("2026-11-29T12:00:00Z")), "МСК−1");
  assert.ok(tzMatches("Europe/Kaliningrad", "мск-1", tzRussian("Europe/Kaliningrad")));
  assert.equal(mskOffset("Europe/Moscow"), "МСК");
  assert.ok(tzMatches("Europe/Moscow", "МСК", tzRussian("Europe/Moscow")));
});
