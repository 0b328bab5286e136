import assert from "node:assert/strict";
import { test } from "node:test";
import {
  clientId,
  lastRequest,
  lastServerId,
  localMessage,
  markOwnRead,
  markTheirsRead,
  mergeMessages,
  parseDialog,
  awaitsRating,
  parseMessage,
  requestText,
  parseMessages,
  unreadCount,
  updateLocal,
  type Message,
} from "../src/messages";
import { strings } from "../src/i18n";
import type { FieldDef } from "../src/config";

const fields: FieldDef[] = [{ id: "phone", label: "Телефон", kind: "phone" }];
const msg = (id: string, at: string, from: Message["from"] = "operator", extra: Partial<Message> = {}): Message => ({
  id,
  from,
  author: null,
  text: id,
  at: "2026-11-02T10:00:" + at + "Z",
  read: false,
  contactRequest: null,
  ...extra,
});

test("parseMessage reads the API shape and rejects junk", () => {
  const m = parseMessage(
    { id: "m1", from: "operator", author: " Анна ", text: "<b>hi</b>", at: "2026-11-02T10:00:00Z", read: false, contact_request: { fields: [{ field: "phone", required: true }] } },
    fields,
  )!;
  assert.equal(m.author, "Анна");
  assert.equal(m.text, "<b>hi</b>");
  assert.deepEqual(m.contactRequest, { fields: [{ field: "phone", required: true }] });
  assert.equal(parseMessage({ id: "x" }, fields), null);
  assert.equal(parseMessage(null, fields), null);
  assert.equal(parseMessage({ id: 5, text: "t", from: "hacker" }, fields)!.from, "operator");
  assert.equal(parseMessages([{ id: "a", text: "" }, 7, { text: "no id" }], fields).length, 1);
  assert.equal(parseMessages("nope", fields).length, 0);
});

test("parseDialog keeps the pending request and string contact values", () => {
  const d = parseDialog({ id: "d1", status: "open", pending_contact_request: { fields: [{ field: "phone", required: true }] }, contact: { phone: "+7", x: 5 } }, fields)!;
  assert.equal(d.status, "open");
  assert.deepEqual(d.contact, { phone: "+7" });
  assert.ok(d.pendingRequest);
  assert.equal(parseDialog(null, fields), null);
  assert.equal(parseDialog({ id: "d", assignee: "u-1" }, fields)!.assignee, "u-1");
  assert.equal(parseDialog({ id: "d", assignee: "../x" }, fields)!.assignee, null, "only an id goes into the photo's URL");
  assert.equal(parseDialog({ id: "d", status: "weird" }, fields)!.status, "open");
});

test("merge dedups by id, orders by time and never loses a read mark", () => {
  let list = mergeMessages([], [msg("b", "02"), msg("a", "01")]);
  assert.deepEqual(list.map((m) => m.id), ["a", "b"]);
  list = mergeMessages(list, [msg("b", "02", "operator", { read: true }), msg("c", "03")]);
  assert.deepEqual(list.map((m) => m.id), ["a", "b", "c"]);
  assert.equal(list[1].read, true);
  // a late poll answer with read:false does not undo it
  list = mergeMessages(list, [msg("b", "02")]);
  assert.equal(list[1].read, true);
  // equal times keep arrival order
  list = mergeMessages(list, [msg("d", "03"), msg("e", "03")]);
  assert.deepEqual(list.map((m) => m.id), ["a", "b", "c", "d", "e"]);
});

test("a local message is replaced by the server copy (by POST answer or by echoed client_id)", () => {
  let list = mergeMessages([], [msg("a", "01")]);
  list = list.concat(localMessage("c1", "привет"), localMessage("c2", "ещё"));
  assert.equal(list[1].state, "sending");
  // the WebSocket delivers c2 first, echoing its client_id
  list = mergeMessages(list, [msg("s2", "03", "visitor", { clientId: "c2" })]);
  assert.deepEqual(list.map((m) => m.id), ["a", "s2", "local:c1"]);
  // the POST answer for c1 (no client_id in the message)
  list = mergeMessages(list, [msg("s1", "02", "visitor")], "c1");
  assert.deepEqual(list.map((m) => m.id), ["a", "s1", "s2"]);
  // the same message again (WebSocket after POST): no duplicate
  list = mergeMessages(list, [msg("s1", "02", "visitor")]);
  assert.equal(list.length, 3);
});

test("updateLocal, read marks, unread count, last ids", () => {
  let list: Message[] = [msg("a", "01", "visitor"), msg("b", "02"), msg("c", "03", "visitor"), msg("d", "04", "system", { contactRequest: { fields: [] } })];
  list = list.concat(localMessage("c9", "x"));
  list = updateLocal(list, "c9", { state: "failed", error: "нет" });
  assert.equal(list[4].state, "failed");
  assert.equal(unreadCount(list), 2);
  list = markOwnRead(list, "a");
  assert.deepEqual(list.map((m) => m.read), [true, false, false, false, false]);
  list = markOwnRead(list, "unknown");
  list = markOwnRead(list, "d");
  assert.deepEqual(list.map((m) => m.read), [true, false, true, false, false]);
  list = markTheirsRead(list);
  assert.equal(unreadCount(list), 0);
  assert.equal(lastServerId(list), "d");
  assert.equal(lastServerId([localMessage("z", "z")]), null);
  assert.equal(lastRequest(list)!.id, "d");
});

test("clientId is random", () => {
  assert.notEqual(clientId(), clientId());
  assert.ok(clientId().length >= 10);
});

test("a rating is awaited once the operator closed an answered dialog not rated yet", () => {
  const d = (raw: Record<string, unknown>) => parseDialog({ id: "d", ...raw }, fields);
  assert.equal(awaitsRating(d({ status: "closed", operator_replied: true, rating: null })), true);
  assert.equal(awaitsRating(d({ status: "open", operator_replied: true })), false, "still open");
  assert.equal(awaitsRating(d({ status: "closed", operator_replied: false })), false, "nobody answered");
  assert.equal(awaitsRating(d({ status: "closed", operator_replied: true, rating: 4 })), false, "rated");
  assert.equal(d({ rating: 9 })!.rating, null, "only 1 to 5");
  assert.equal(awaitsRating(null), false);
});

test("the visitor's own request reads in the widget's language with the fields they filled", () => {
  const form = { kind: "form", name: "Мария", phone: "+79123456789", email: null, company: null, custom: { label: "Размер", value: "XL" }, list: null };
  assert.equal(requestText(form, strings.en), "Request\nName: Мария\nPhone: +79123456789\nРазмер: XL");
  const call = { kind: "callback", phone: "+79123456789", name: null, call_first: "manager", forward: "+74950000000", group: "Продажи" };
  assert.equal(requestText(call, strings.ru), "Обратный звонок\nТелефон: +79123456789\nОтдел: Продажи", "the business's own call routing is not the visitor's");
  const m = parseMessage({ id: "m1", from: "visitor", text: "Заявка с сайта", at: "2026-11-30T10:00:00Z", request: form }, []);
  assert.deepEqual(m && m.request, form);
});
