import assert from "node:assert/strict";
import { test } from "node:test";
import type { Dialog, Message } from "../src/api";
import {
  applyDialog,
  bubbleTime,
  charCount,
  contactName,
  emptyLists,
  folderOf,
  freshest,
  listTime,
  mergeMessage,
  newClientId,
  readByVisitor,
  soundFor,
  Throttle,
  unreadDialogs,
  visitorTag,
} from "../src/dialogState";

const d = (id: string, over: Partial<Dialog> = {}): Dialog => ({
  id,
  project_id: "p",
  visitor_id: "v-" + id,
  channel: "chat",
  status: "open",
  assignee: null,
  created_at: "2026-11-20T10:00:00Z",
  last_at: "2026-11-20T10:00:00Z",
  last_text: "",
  unread: 0,
  operator_read_up_to: null,
  visitor_read_up_to: null,
  operator_replied: false,
  pending_contact_request: null,
  contact: {},
  page_url: null,
  ip: null,
  ...over,
});
const m = (id: string, from: Message["from"], at: string, over: Partial<Message> = {}): Message => ({ id, dialog_id: "d1", kind: from === "visitor" ? "visitor" : from === "operator" ? "operator" : "system", from, author: null, text: id, at, read: false, contact_request: null, ...over });

test("folders: mine (mine or nobody's), common (a colleague's), archive (closed)", () => {
  assert.equal(folderOf(d("a"), "me"), "mine");
  assert.equal(folderOf(d("a", { assignee: "me" }), "me"), "mine");
  assert.equal(folderOf(d("a", { assignee: "olga" }), "me"), "common");
  assert.equal(folderOf(d("a", { status: "closed", assignee: "me" }), "me"), "archive");
});

test("a live dialog moves between folders, newest first, and unread dialogs are counted", () => {
  let l = emptyLists();
  l = applyDialog(l, d("a", { last_at: "2026-11-20T10:00:00Z", unread: 2 }), "me");
  l = applyDialog(l, d("b", { last_at: "2026-11-20T11:00:00Z" }), "me");
  assert.deepEqual(l.mine.map((x) => x.id), ["b", "a"]);
  assert.equal(unreadDialogs(l.mine), 1);
  l = applyDialog(l, d("a", { last_at: "2026-11-20T12:00:00Z", assignee: "olga" }), "me");
  assert.deepEqual(l.mine.map((x) => x.id), ["b"]);
  assert.deepEqual(l.common.map((x) => x.id), ["a"]);
  l = applyDialog(l, d("a", { status: "closed", assignee: "olga" }), "me");
  assert.deepEqual([l.common.length, l.archive.length], [0, 1]);
});

test("messages merge without duplicates, oldest first; ✓✓ follows the visitor's read mark", () => {
  let list = [m("01", "visitor", "2026-11-20T10:00:00Z")];
  list = mergeMessage(list, m("03", "operator", "2026-11-20T10:02:00Z"));
  list = mergeMessage(list, m("02", "system", "2026-11-20T10:01:00Z"));
  list = mergeMessage(list, m("03", "operator", "2026-11-20T10:02:00Z", { read: true }));
  assert.deepEqual(list.map((x) => x.id), ["01", "02", "03"]);
  assert.equal(list[2]!.read, true);
  assert.equal(readByVisitor(m("02", "system", ""), { visitor_read_up_to: "03" }), true);
  assert.equal(readByVisitor(m("04", "operator", ""), { visitor_read_up_to: "03" }), false);
  assert.equal(readByVisitor(m("04", "operator", "", { read: true }), { visitor_read_up_to: null }), true);
  assert.equal(readByVisitor(m("01", "visitor", "", { read: true }), { visitor_read_up_to: "09" }), false);
});

test("names: the contact's name, phone or e-mail, else a visitor tag", () => {
  assert.equal(contactName(d("a", { contact: { phone: "+79990000000", name: " Мария " } })), "Мария");
  assert.equal(contactName(d("a", { contact: { email: "a@b.ru" } })), "a@b.ru");
  assert.equal(contactName(d("a", { contact: { phone: "+79123456789" } })), "+7 912 345-67-89");
  assert.equal(contactName(d("a")), null);
  assert.equal(visitorTag("0190f3a2-7c1d-4f2a"), "4F2A");
});

test("list times are in the user's zone: time today, «вчера», a date before", () => {
  const now = new Date("2026-11-20T20:30:00Z"); // 23:30 in Moscow
  assert.equal(listTime("2026-11-20T20:05:00Z", "ru", "Europe/Moscow", now), "23:05");
  assert.equal(listTime("2026-11-20T20:05:00Z", "ru", "Asia/Yekaterinburg", now), "01:05", "already the 21st there");
  assert.equal(listTime("2026-11-20T18:30:00Z", "ru", "Asia/Yekaterinburg", now), "вчера", "23:30 on the 20th there");
  assert.equal(listTime("2026-11-19T08:00:00Z", "ru", "Europe/Moscow", now), "вчера");
  assert.equal(listTime("2026-11-19T08:00:00Z", "en", "Europe/Moscow", now), "yesterday");
  assert.match(listTime("2026-11-02T08:00:00Z", "ru", "Europe/Moscow", now), /^2 нояб/);
  assert.match(listTime("2025-11-02T08:00:00Z", "ru", "Europe/Moscow", now), /2025/);
  assert.equal(bubbleTime("2026-11-20T20:05:00Z", "ru", "Europe/Moscow", now), "23:05");
  assert.equal(listTime("garbage", "ru", "Europe/Moscow", now), "");
});

test("typing pings at most every 3 s; client ids are random; characters are code points", () => {
  const th = new Throttle(3000);
  assert.equal(th.take(1000), true);
  assert.equal(th.take(2500), false);
  assert.equal(th.take(3999), false);
  assert.equal(th.take(4000), true);
  th.reset();
  assert.equal(th.take(4001), true);
  const a = newClientId();
  assert.match(a, /^[A-Za-z0-9_-]{1,64}$/);
  assert.notEqual(a, newClientId());
  assert.equal(charCount("😀ж"), 2);
});

test("sounds: a new request for a fresh dialog, a new message after, none for colleagues' or own", () => {
  const seen = new Set<string>();
  const now = Date.parse("2026-11-20T10:01:00Z");
  const fresh = d("a", { created_at: "2026-11-20T10:00:30Z" });
  const msg = (from: Message["from"]) => m("x", from, "2026-11-20T10:01:00Z");
  assert.equal(soundFor({ type: "message", dialog: fresh, message: msg("visitor") }, "me", seen, now), "new_request");
  assert.equal(soundFor({ type: "message", dialog: fresh, message: msg("visitor") }, "me", seen, now), "new_message");
  assert.equal(soundFor({ type: "message", dialog: fresh, message: msg("operator") }, "me", seen, now), null);
  const theirs = d("b", { assignee: "olga", created_at: "2026-11-20T10:00:30Z" });
  assert.equal(soundFor({ type: "message", dialog: theirs, message: msg("visitor") }, "me", seen, now), null);
  const old = d("c", { created_at: "2026-11-19T10:00:00Z" });
  assert.equal(soundFor({ type: "message", dialog: old, message: msg("visitor") }, "me", seen, now), "new_message");
  assert.equal(soundFor({ type: "lead" }, "me", seen, now), "new_request");
  assert.equal(soundFor({ type: "typing" }, "me", seen, now), null);
});

test("racing snapshots: read marks only move forward, an older snapshot keeps the newer last message", () => {
  const held = d("a", { visitor_read_up_to: "05", last_at: "2026-11-20T10:05:00Z", last_text: "new", unread: 1 });
  const stale = d("a", { visitor_read_up_to: null, operator_read_up_to: "03", last_at: "2026-11-20T10:04:00Z", last_text: "old", unread: 0, assignee: "me" });
  const m = freshest(held, stale);
  assert.deepEqual([m.visitor_read_up_to, m.operator_read_up_to, m.last_text, m.unread, m.assignee], ["05", "03", "new", 1, "me"]);
  const l = applyDialog(applyDialog(emptyLists(), held, "me"), stale, "me");
  assert.equal(l.mine[0]!.visitor_read_up_to, "05");
  assert.equal(freshest(null, stale), stale);
});
