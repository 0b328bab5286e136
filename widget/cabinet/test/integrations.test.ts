import assert from "node:assert/strict";
import { test } from "node:test";
import type { Integration } from "../src/api";
import { translator } from "../src/i18n";
import { checkForm, formValues, reasonText, statusLine, storedSecret, toChange, FIELDS } from "../src/integrations";

const tg = (over: Partial<Integration> = {}): Integration => ({
  kind: "telegram",
  enabled: false,
  enabled_at: null,
  show_operator_name: false,
  webhook_url: null,
  settings: {},
  status: { webhook_registered: false, last_inbound_at: null, last_error: null },
  ...over,
});

test("the field names are the ones beseda_channels expects", () => {
  assert.deepEqual(
    FIELDS.vk.map((f) => f.name),
    ["community_id", "confirmation_code", "access_token", "secret_key"],
  );
  assert.deepEqual(FIELDS.telegram.map((f) => [f.name, f.secret]), [["token", true], ["username", false]]);
  assert.deepEqual(FIELDS.viber.map((f) => f.name), ["token"]);
});

test("a saved secret starts empty and an empty one is left out of the change", () => {
  const saved = tg({ settings: { token: "12…xY", username: "shop_bot" } });
  assert.deepEqual(formValues(saved), { token: "", username: "shop_bot" });
  assert.equal(storedSecret(saved, FIELDS.telegram[0]!), "12…xY");
  assert.equal(storedSecret(saved, FIELDS.telegram[1]!), null);
  assert.deepEqual(toChange("telegram", { token: " ", username: " @shop_bot " }, true, true), {
    enabled: true,
    show_operator_name: true,
    settings: { username: "shop_bot" },
  });
  assert.deepEqual(toChange("vk", { community_id: "1", confirmation_code: "", access_token: "k", secret_key: "" }, false, false).settings, {
    community_id: "1",
    confirmation_code: "",
    access_token: "k",
  });
});

test("the form is checked before asking the server", () => {
  assert.deepEqual(checkForm(tg(), { token: "", username: "shop_bot" }), { field: "token", key: "int.required" });
  assert.equal(checkForm(tg({ settings: { token: "12…xY" } }), { token: "", username: "shop_bot" }), null, "a stored token counts");
  assert.deepEqual(checkForm(tg(), { token: "1:x", username: "shop" }), { field: "username", key: "int.badUsername" });
  assert.equal(checkForm(tg(), { token: "1:x", username: "@Shop_Bot" }), null);
  for (const good of ["ShopBot", "TestNameBot", "abbot"]) assert.equal(checkForm(tg(), { token: "1:x", username: good }), null, good);
  for (const bad of ["bot", "shop-bot", "магазин_bot", "a_very_long_name_of_a_shop_is_bot"]) {
    assert.deepEqual(checkForm(tg(), { token: "1:x", username: bad }), { field: "username", key: "int.badUsername" }, bad);
  }
  const vk = tg({ kind: "vk" });
  assert.equal(checkForm(vk, { community_id: "1", confirmation_code: "c", access_token: "k", secret_key: "" }), null, "the secret key is optional");
  assert.deepEqual(checkForm(vk, { community_id: "1", confirmation_code: "", access_token: "k" }), { field: "confirmation_code", key: "int.required" });
});

test("failure reasons and the status line in words", () => {
  const ru = translator("ru");
  const en = translator("en");
  assert.equal(reasonText("blocked_by_user", ru), "клиент заблокировал бота");
  assert.equal(reasonText("permanent failure: token_revoked", en), "the token is invalid or revoked");
  assert.equal(reasonText("temporary failure: network: connection refused", en), "no connection to the messenger");
  assert.equal(reasonText("telegram_502: Bad Gateway", en), "the messenger does not answer");
  assert.equal(reasonText("something_new", en), "something_new", "an unknown reason as it is");
  assert.deepEqual(statusLine(tg(), en), { tone: "off", text: "Sync is off." });
  assert.equal(statusLine(tg({ enabled: true, status: { webhook_registered: true, last_inbound_at: null, last_error: null } }), ru).tone, "ok");
  assert.equal(statusLine(tg({ kind: "vk", enabled: true }), en).text, "Connected. Paste the address in the community's Callback API settings.");
  const failed = statusLine(tg({ status: { webhook_registered: false, last_inbound_at: null, last_error: "permanent failure: token_revoked" } }), ru);
  assert.deepEqual(failed, { tone: "error", text: "Ошибка: токен недействителен или отозван" });
});
