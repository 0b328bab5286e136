import assert from "node:assert/strict";
import { test } from "node:test";
import { formatOpening, isOpenAt, nextOpenNote, nextOpening, normalizeGrid, offlineNote, zonedTime, type HoursGrid } from "../src/hours";
import { strings } from "../src/i18n";

/** Mon–Fri 09:00–18:00, weekends closed. */
function officeHours(): HoursGrid {
  return Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => d < 5 && h >= 9 && h < 18));
}

// 2026-11-02 is a Monday. Moscow is UTC+3 all year.
const at = (iso: string) => new Date(iso);

test("zonedTime reads the wall clock of the project's time zone", () => {
  assert.deepEqual(zonedTime(at("2026-11-02T06:30:00Z"), "Europe/Moscow"), { weekday: 0, hour: 9, minute: 30 });
  assert.deepEqual(zonedTime(at("2026-11-01T22:15:00Z"), "Europe/Moscow"), { weekday: 0, hour: 1, minute: 15 });
  assert.deepEqual(zonedTime(at("2026-11-01T22:15:00Z"), "UTC"), { weekday: 6, hour: 22, minute: 15 });
  assert.deepEqual(zonedTime(at("2026-11-02T04:00:00Z"), "Asia/Yekaterinburg"), { weekday: 0, hour: 9, minute: 0 });
});

test("an unknown time zone does not throw", () => {
  const t = zonedTime(at("2026-11-02T06:30:00Z"), "Mars/Olympus");
  assert.ok(t.weekday >= 0 && t.weekday < 7 && t.hour >= 0 && t.hour < 24);
});

test("normalizeGrid accepts 7×24 of booleans or 0/1 and rejects anything else", () => {
  const ones = Array.from({ length: 7 }, () => Array(24).fill(1));
  assert.equal(normalizeGrid(ones)![6][23], true);
  assert.equal(normalizeGrid(null), null);
  assert.equal(normalizeGrid([[true]]), null);
  assert.equal(normalizeGrid(Array.from({ length: 7 }, () => Array(23).fill(true))), null);
  assert.equal(normalizeGrid("09-18"), null);
});

test("isOpenAt: no schedule means always open; hours are checked in the zone", () => {
  const g = officeHours();
  assert.equal(isOpenAt(null, at("2026-11-07T03:00:00Z"), "Europe/Moscow"), true);
  assert.equal(isOpenAt(g, at("2026-11-02T06:00:00Z"), "Europe/Moscow"), true); // Mon 09:00
  assert.equal(isOpenAt(g, at("2026-11-02T05:59:00Z"), "Europe/Moscow"), false); // Mon 08:59
  assert.equal(isOpenAt(g, at("2026-11-02T15:00:00Z"), "Europe/Moscow"), false); // Mon 18:00
  assert.equal(isOpenAt(g, at("2026-11-07T09:00:00Z"), "Europe/Moscow"), false); // Sat
});

test("nextOpening finds today, tomorrow and after the weekend", () => {
  const g = officeHours();
  assert.deepEqual(nextOpening(g, at("2026-11-02T04:20:00Z"), "Europe/Moscow"), { days: 0, weekday: 0, hour: 9 });
  assert.deepEqual(nextOpening(g, at("2026-11-02T16:00:00Z"), "Europe/Moscow"), { days: 1, weekday: 1, hour: 9 });
  assert.deepEqual(nextOpening(g, at("2026-11-06T19:00:00Z"), "Europe/Moscow"), { days: 3, weekday: 0, hour: 9 });
  const closed = Array.from({ length: 7 }, () => Array(24).fill(false));
  assert.equal(nextOpening(closed, at("2026-11-02T04:20:00Z"), "Europe/Moscow"), null);
});

test("formatOpening speaks Russian and English", () => {
  assert.equal(formatOpening({ days: 0, weekday: 0, hour: 9 }, "ru"), "сегодня в 09:00");
  assert.equal(formatOpening({ days: 1, weekday: 1, hour: 10 }, "ru"), "завтра в 10:00");
  assert.equal(formatOpening({ days: 3, weekday: 0, hour: 9 }, "ru"), "в понедельник в 09:00");
  assert.equal(formatOpening({ days: 2, weekday: 2, hour: 14 }, "ru"), "в среду в 14:00");
  assert.equal(formatOpening({ days: 3, weekday: 0, hour: 9 }, "en"), "on Monday at 09:00");
});

test("offlineNote is empty while open and honest while closed", () => {
  const g = officeHours();
  assert.equal(offlineNote(g, at("2026-11-02T08:00:00Z"), "Europe/Moscow", "ru"), "");
  assert.equal(
    offlineNote(g, at("2026-11-07T09:00:00Z"), "Europe/Moscow", "ru"),
    "Сейчас мы не на связи. Ответим в понедельник в 09:00.",
  );
  const closed = Array.from({ length: 7 }, () => Array(24).fill(false));
  assert.match(offlineNote(closed, at("2026-11-07T09:00:00Z"), "Europe/Moscow", "en"), /^We are offline now\. Leave a request/);
});

test("nextOpenNote: the honest line from next_open", () => {
  const now = at("2026-11-07T09:00:00Z"); // Saturday 12:00 in Moscow
  assert.equal(nextOpenNote("2026-11-09T06:00:00Z", now, "ru", "Europe/Moscow"), "Сейчас мы не на связи. Ответим в понедельник в 09:00.");
  assert.equal(nextOpenNote("2026-11-09T06:00:00Z", now, "en", "Europe/Moscow"), "We are offline now. We will answer on Monday at 09:00.");
  assert.equal(nextOpenNote("2026-11-07T14:30:00Z", now, "ru", "Europe/Moscow"), "Сейчас мы не на связи. Ответим сегодня в 17:30.");
  assert.equal(nextOpenNote("2026-11-08T06:00:00+00:00", now, "ru", "Europe/Moscow"), "Сейчас мы не на связи. Ответим завтра в 09:00.");
  // a week ahead on the same weekday is not "today"
  assert.equal(nextOpenNote("2026-11-14T06:00:00Z", now, "ru", "Europe/Moscow"), "Сейчас мы не на связи. Ответим в субботу в 09:00.");
  assert.equal(nextOpenNote(null, now, "ru"), strings.ru.offline);
  assert.equal(nextOpenNote("garbage", now, "ru"), strings.ru.offline);
  assert.equal(nextOpenNote("2026-11-01T06:00:00Z", now, "ru"), strings.ru.offline); // in the past
});
