import assert from "node:assert/strict";
import { test } from "node:test";
import { countVisit, hookStatus, scrollPercent, urlMatches, type KV } from "../src/hooks";
import type { HookRule } from "../src/config";

const hook = (trigger: HookRule["trigger"], value: string, showOnMobile = true): HookRule => ({ id: "h", trigger, value, showOnMobile });
const env = { mobile: false, hooksOnMobile: true, href: "https://shop.example/catalog/roses?utm=1", visits: 1 };

test("urlMatches: substring, case-insensitive, * wildcard, regex characters are literal", () => {
  assert.ok(urlMatches("catalog", env.href));
  assert.ok(urlMatches("CATALOG/roses", env.href));
  assert.ok(urlMatches("shop.example/*/roses", env.href));
  assert.ok(urlMatches("*", env.href));
  assert.ok(!urlMatches("cart", env.href));
  assert.ok(!urlMatches("shopXexample", env.href)); // the dot is not "any character"
  assert.ok(urlMatches("?utm=1", env.href));
  assert.ok(!urlMatches("", env.href));
  assert.ok(!urlMatches("   ", env.href));
});

test("scrollPercent", () => {
  assert.equal(scrollPercent(0, 800, 800), 100);
  assert.equal(scrollPercent(0, 800, 3200), 25);
  assert.equal(scrollPercent(1200, 800, 3200), 63);
  assert.equal(scrollPercent(5000, 800, 3200), 100);
});

test("hookStatus by trigger", () => {
  assert.equal(hookStatus(hook("time_on_page", "20"), env), "wait");
  assert.equal(hookStatus(hook("time_on_page", "soon"), env), "never");
  assert.equal(hookStatus(hook("scroll_depth", "50"), env), "wait");
  assert.equal(hookStatus(hook("exit_intent", ""), env), "wait");
  assert.equal(hookStatus(hook("url_pattern", "/catalog/*"), env), "now");
  assert.equal(hookStatus(hook("url_pattern", "/cart"), env), "never");
  assert.equal(hookStatus(hook("visit_count", "3"), { ...env, visits: 2 }), "never");
  assert.equal(hookStatus(hook("visit_count", "3"), { ...env, visits: 3 }), "now");
  assert.equal(hookStatus(hook("visit_count", "3"), { ...env, visits: 7 }), "now");
});

test("hooks on mobile: the project switch and the hook's own switch; no exit intent on touch", () => {
  const m = { ...env, mobile: true };
  assert.equal(hookStatus(hook("time_on_page", "5"), m), "wait");
  assert.equal(hookStatus(hook("time_on_page", "5", false), m), "never");
  assert.equal(hookStatus(hook("time_on_page", "5"), { ...m, hooksOnMobile: false }), "never");
  assert.equal(hookStatus(hook("exit_intent", ""), m), "never");
  assert.equal(hookStatus(hook("time_on_page", "5", false), env), "wait"); // desktop ignores show_on_mobile
});

class Mem implements KV {
  m: Record<string, string> = {};
  getItem(k: string) {
    return k in this.m ? this.m[k] : null;
  }
  setItem(k: string, v: string) {
    this.m[k] = v;
  }
}

test("countVisit: a new session is a new visit; reloads are not", () => {
  const local = new Mem();
  let session = new Mem();
  assert.equal(countVisit(local, session, "k"), 1);
  assert.equal(countVisit(local, session, "k"), 1); // reload
  session = new Mem();
  assert.equal(countVisit(local, session, "k"), 2);
  session = new Mem();
  assert.equal(countVisit(local, session, "k"), 3);
  assert.equal(countVisit(null, null, "k"), 1);
  const broken: KV = {
    getItem() {
      throw new Error("denied");
    },
    setItem() {},
  };
  assert.equal(countVisit(broken, broken, "k"), 1);
});
