// widget.js — loaded by loader.js on interaction; mounts the panel (chat, request form, callback,
// contacts) into the loader's shadow root. Text from anyone is only ever set with textContent.
import { ApiError, createApi, type Api } from "./api";
import type { BesedaBoot, BesedaWidget } from "./boot";
import { FORM_KEYS, normalizeConfig, shouldRender, useIcons, visibleTabs, type ContactRequest, type FieldKind, type Hook, type TabId } from "./config";
import { checkValue, confirmText, missingRequired, requestRows } from "./contact";
import { nextOpenNote, nextOpenWhen } from "./hours";
import { fill, pickLang, strings, type Lang } from "./i18n";
import {
  clientId,
  isLocal,
  lastRequest,
  lastServerId,
  localMessage,
  markOwnRead,
  markTheirsRead,
  mergeMessages,
  parseDialog,
  parseMessage,
  parseMessages,
  awaitsRating,
  requestText,
  unreadCount,
  updateLocal,
  type Dialog,
  type Message,
} from "./messages";
import { panelCss } from "./panel-style";
import { clock, coordinates, MAX_MESSAGE, normalizeMessage } from "./text";

const ICON_SEND =
  '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"/></svg>';
const ICON_DOWN =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true"><path d="M6 9l6 6 6-6"/></svg>';
const NETWORKS: Record<string, [string, string]> = {
  vk: ["VK", "#0077ff"],
  whatsapp: ["WA", "#25d366"],
  viber: ["Vb", "#7360f2"],
  ok: ["OK", "#ee8208"],
  telegram: ["TG", "#229ed9"],
  youtube: ["YT", "#ff0000"],
};

type Tag = keyof HTMLElementTagNameMap;
function el<K extends Tag>(tag: K, cls?: string, text?: string | null, attrs?: Record<string, string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  return e;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Fld {
  key: string;
  kind: FieldKind | "select";
  required: boolean;
  input: HTMLInputElement | HTMLSelectElement;
  err: HTMLElement;
  wrap: HTMLElement;
}

/** A mounted panel; `destroy` removes it with its sockets and timers (language switch, preview). */
interface Instance extends BesedaWidget {
  destroy(): void;
}

function mount(boot: BesedaBoot, lang: Lang, relang: (l: Lang) => void): Instance {
  const { root, host, launcher, mobile } = boot;
  // The visitor's own language choice wins over the project's default.
  const cfg = normalizeConfig(Object.assign({}, boot.raw, { language: lang }), lang);
  const s = strings[cfg.lang];
  const api = boot.preview ? previewApi() : createApi(boot.api, boot.project, s.network);
  let gone = false;

  // ---- state
  let dialog: Dialog | null = null;
  let msgs: Message[] = [];
  let contact: Record<string, string> = {};
  let introAt = new Date().toISOString();
  let hookIntro: Hook | null = null;
  let seenHook: unknown;
  let introDone = false; // the intro's contact request was answered before any dialog existed
  let held: Record<string, string> | null = null; // …and its values, sent once the dialog exists
  let skipped = ""; // key of a non-blocking contact request the visitor skipped
  let outbox: { cid: string; text: string; hookId?: string; tries: number }[] = [];
  let pumping = false;
  let paused = false; // waiting for the contact form (409 contact_required)
  let active: TabId;
  let tabs: TabId[] = [];
  const icons = useIcons(cfg, !!api.token());

  const style = el("style", undefined, panelCss);
  root.append(style);

  // ---- field helper (request form, callback, contact requests)
  function field(scope: string, key: string, label: string, kind: Fld["kind"], required: boolean, options?: string[]): Fld {
    const id = "bsd-" + scope + "-" + key.replace(/[^\w-]/g, "_");
    const wrap = el("div", "bsd-field");
    const lab = el("label", undefined, label);
    lab.htmlFor = id;
    if (required) lab.append(el("span", "bsd-req", " *", { "aria-hidden": "true" }));
    let input: HTMLInputElement | HTMLSelectElement;
    if (options) {
      input = el("select");
      input.append(el("option", undefined, s.choose, { value: "" }));
      for (const o of options) input.append(el("option", undefined, o, { value: o }));
    } else {
      input = el("input");
      input.type = kind === "phone" ? "tel" : kind === "email" ? "email" : "text";
      const ac = key === "name" ? "name" : key === "company" ? "organization" : kind === "phone" ? "tel" : kind === "email" ? "email" : "";
      if (ac) input.autocomplete = ac as AutoFill;
      input.maxLength = 200;
    }
    input.id = id;
    input.setAttribute("aria-describedby", id + "-e");
    if (required) input.setAttribute("aria-required", "true");
    const err = el("span", "bsd-err", null, { id: id + "-e" });
    wrap.append(lab, input, err);
    const f: Fld = { key, kind, required, input, err, wrap };
    input.addEventListener("input", () => setErr(f, ""));
    return f;
  }
  function setErr(f: Fld, msg: string) {
    f.err.textContent = msg;
    if (msg) f.input.setAttribute("aria-invalid", "true");
    else f.input.removeAttribute("aria-invalid");
  }
  /** Checks every field, shows the messages, focuses the first wrong one. */
  function check(fs: Fld[]): boolean {
    let first: Fld | null = null;
    for (const f of fs) {
      const v = f.input.value;
      const msg = f.kind === "select" ? (f.required && !v ? s.required : "") : checkValue(f.kind, v, f.required, s);
      setErr(f, msg);
      if (msg && !first) first = f;
    }
    if (first) first.input.focus();
    return !first;
  }
  function values(fs: Fld[]): Record<string, string> {
    const v: Record<string, string> = {};
    for (const f of fs) if (f.input.value.trim()) v[f.key] = f.input.value.trim();
    return v;
  }
  /** A 422 with `field` goes under that field; anything else into `where`. */
  function showError(e: unknown, fs: Fld[], where: HTMLElement) {
    const err = e instanceof ApiError ? e : new ApiError(0, "network", s.network);
    const key = (err.field || "").replace(/^values\./, "");
    const f = fs.find((x) => x.key === key);
    if (f) {
      setErr(f, err.message);
      f.input.focus();
    } else where.textContent = err.message;
  }
  function button(cls: string, text: string, type: "button" | "submit" = "button") {
    const b = el("button", cls, text);
    b.type = type;
    return b;
  }

  // ---- panel skeleton
  const panel = el("div", "bsd-panel", null, { role: "dialog", id: "beseda-panel" });
  panel.hidden = true;
  const head = el("div", "bsd-head");
  const row = el("div", "bsd-row");
  const headFace = el("span", "bsd-face bsd-face-l", null, { "aria-hidden": "true" });
  headFace.hidden = true;
  let headFaceOf = "";
  const hd = el("div", "bsd-hd");
  const title = el("h2", "bsd-title", cfg.title || s.title, { id: "bsd-title" });
  const sub = el("p", "bsd-sub");
  hd.append(title, sub);
  const closeBtn = button("bsd-x", "");
  closeBtn.innerHTML = ICON_DOWN; // static markup
  closeBtn.setAttribute("aria-label", s.close);
  closeBtn.title = s.close;
  const langBtn = button("bsd-x bsd-lang", s.otherLangShort);
  langBtn.setAttribute("aria-label", s.otherLang);
  langBtn.title = s.otherLang;
  langBtn.addEventListener("click", () => relang(cfg.lang === "en" ? "ru" : "en"));
  row.append(headFace, hd, langBtn, closeBtn);
  const tablist = el("div", "bsd-tabs", null, { role: "tablist", "aria-label": s.tabs });
  head.append(row, tablist);
  panel.setAttribute("aria-labelledby", "bsd-title");
  panel.append(head);

  const tabBtn: Partial<Record<TabId, HTMLButtonElement>> = {};
  const panes: Partial<Record<TabId, HTMLElement>> = {};
  for (const t of cfg.tabOrder) {
    const b = button("bsd-tab", cfg[t].name);
    b.id = "bsd-tab-" + t;
    b.setAttribute("role", "tab");
    b.setAttribute("aria-controls", "bsd-pane-" + t);
    b.addEventListener("click", () => select(t));
    tablist.append(b);
    tabBtn[t] = b;
    const p = el("section", "bsd-pane", null, { role: "tabpanel", id: "bsd-pane-" + t, "aria-labelledby": b.id });
    p.hidden = true;
    panes[t] = p;
    panel.append(p);
  }
  tablist.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(active);
    const n = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : e.key === "Home" ? 0 : e.key === "End" ? tabs.length - 1 : -2;
    if (n === -2) return;
    e.preventDefault();
    select(tabs[(n + tabs.length) % tabs.length]);
    tabBtn[active]!.focus();
  });
  panel.append(el("div", "bsd-foot", s.powered));

  // ---- chat pane
  const log = el("div", "bsd-log", null, { role: "log", "aria-live": "polite", "aria-label": cfg.chat.name });
  const typing = el("div", "bsd-typing", null, { "aria-live": "polite" });
  const note = el("p", "bsd-note", null, { role: "status" });
  const form = el("form", "bsd-form");
  const input = el("textarea", "bsd-input");
  input.rows = 1;
  input.maxLength = MAX_MESSAGE;
  input.setAttribute("aria-label", s.message);
  const count = el("span", "bsd-count", null, { "aria-live": "polite" });
  const send = button("bsd-send", "", "submit");
  send.innerHTML = ICON_SEND; // static markup
  send.setAttribute("aria-label", s.send);
  send.title = s.send;
  form.append(input, count, send);
  panes.chat!.append(log, typing, note, form);
  let errText = "";

  const nodes: Record<string, HTMLElement> = {};
  let card: HTMLElement | null = null;
  let cardKey = "";
  // The confirmation shown where the answered contact request was.
  let thank: HTMLElement | null = null;
  let thankKey = "";
  // ОКО: the rating card of a dialog, asked when the operator closed it or the visitor closes
  // the panel after an answer; "not now" and a sent rating put it away.
  let rateCard: HTMLElement | null = null;
  let rateFor = "";
  let rateDone: HTMLElement | null = null;
  let askedOnClose = false;
  const rateSkipped: Record<string, 1> = {};
  const wantsRating = () =>
    !!dialog && dialog.answered && dialog.rating == null && !rateSkipped[dialog.id] && (awaitsRating(dialog) || askedOnClose);

  /** The local first bubble: the hook that opened the chat, else the welcome message. */
  const introId = () => (hookIntro ? "hook:" + hookIntro.id : "welcome");
  function intro(): Message | null {
    const text = hookIntro ? hookIntro.text : cfg.chat.welcome;
    if (!text || msgs.some((m) => m.from !== "visitor" && !isLocal(m) && m.text === text)) return null;
    const req = introDone ? null : hookIntro ? hookIntro.contactRequest : cfg.chat.welcomeRequest;
    const first = msgs[0];
    const at = first && !isLocal(first) && Date.parse(first.at) < Date.parse(introAt) ? first.at : introAt;
    return { id: introId(), from: "operator", author: null, text, at, read: true, contactRequest: req };
  }
  /** The contact request waiting for an answer, and the key it is known by. */
  function pending(): [ContactRequest | null, string] {
    if (dialog) {
      const m = lastRequest(msgs);
      return [dialog.pendingRequest, m ? m.id : introId()];
    }
    const i = intro();
    return [i && i.contactRequest, introId()];
  }
  function blocked(): boolean {
    return missingRequired(pending()[0], dialog ? dialog.contact : contact).length > 0;
  }
  const chatOpen = () => cfg.chat.enabled;
  /** Outside hours the visitor may still write into a dialog that is open (answered later). */
  const canWrite = () => chatOpen() || (!!dialog && dialog.status === "open");

  /** The operator's photo (their initial until it loads, or without one). */
  function face(into: HTMLElement, userId: string | null, name: string) {
    into.textContent = (name.trim()[0] || "•").toUpperCase();
    if (!userId) return;
    const img = el("img", undefined, null, { alt: "", src: api.avatar(userId) });
    img.onload = () => ((into.textContent = ""), into.append(img));
  }
  /** The name of the operator answering: the author of their last message. */
  function operatorName(): string {
    for (let i = msgs.length - 1; i >= 0; i--) if (msgs[i].from === "operator" && msgs[i].author) return msgs[i].author!;
    return s.operator;
  }

  function msgNode(m: Message): HTMLElement {
    const mine = m.from === "visitor";
    const n = el("div", "bsd-msg " + (mine ? "bsd-me" : "bsd-op"));
    if (m.from === "operator" && m.author) {
      const who = el("div", "bsd-who");
      const f = el("span", "bsd-face", null, { "aria-hidden": "true" });
      face(f, dialog && dialog.assignee, m.author);
      who.append(f, m.author);
      n.append(who);
    }
    n.append(el("div", undefined, m.request ? requestText(m.request, s) : m.text));
    n.append(el("div", "bsd-meta"));
    return n;
  }
  function updateMeta(n: HTMLElement, m: Message) {
    // The photo, once it is known who took the dialog.
    const f = n.querySelector(".bsd-face") as HTMLElement | null;
    const op = dialog && dialog.assignee;
    if (f && op && f.getAttribute("data-of") !== op) f.setAttribute("data-of", op), face(f, op, m.author || "");
    const meta = n.lastChild as HTMLElement;
    n.classList.toggle("bsd-failed", m.state === "failed");
    meta.textContent = "";
    const t = el("time", undefined, clock(new Date(m.at)));
    t.dateTime = m.at;
    meta.append(t);
    if (m.from !== "visitor") return;
    if (m.state === "failed") {
      meta.append(el("span", undefined, s.failed));
      const r = button("bsd-link", s.retry);
      r.addEventListener("click", () => retry(m.clientId!));
      meta.append(r);
    } else if (m.state === "sending") meta.append(el("span", undefined, "…", { title: s.sending, "aria-label": s.sending }));
    else meta.append(el("span", undefined, m.read ? "✓✓" : "✓", { title: m.read ? s.read : s.sent, "aria-label": m.read ? s.read : s.sent }));
  }

  async function postContact(v: Record<string, string>) {
    const seen = dialogFrames;
    const res = await api.call("POST", "/contact", { values: v });
    const d = parseDialog(res && res.dialog, cfg.fields);
    if (d) answeredDialog(d, seen);
    if (dialog && !missingRequired(dialog.pendingRequest, dialog.contact).length) dialog.pendingRequest = null;
  }

  function contactCard(req: ContactRequest): HTMLElement {
    const rows = requestRows(req, cfg.fields);
    const c = el("form", "bsd-card");
    c.noValidate = true;
    c.append(el("p", undefined, s.contactTitle));
    const fs = rows.map((r) => field("c", r.field.id, r.field.label, r.field.kind, r.required));
    const known = dialog ? dialog.contact : contact;
    for (const f of fs) {
      f.input.value = known[f.key] || "";
      c.append(f.wrap);
    }
    const cerr = el("p", "bsd-err", null, { role: "alert" });
    const ok = button("bsd-btn", s.send, "submit");
    c.append(cerr, ok);
    const required = rows.some((r) => r.required);
    if (!required) {
      const skip = button("bsd-btn2", s.contactSkip);
      skip.addEventListener("click", () => {
        skipped = cardKey;
        render();
        input.focus();
      });
      c.append(skip);
    }
    c.addEventListener("submit", async (e) => {
      e.preventDefault();
      cerr.textContent = "";
      if (!check(fs)) return;
      ok.disabled = true;
      try {
        const v = values(fs);
        if (dialog) await postContact(v);
        else {
          // No dialog yet (the welcome's or a hook's request): the server takes contacts for a
          // dialog, so they go right after the first message starts one.
          held = v;
          introDone = true;
        }
        Object.assign(contact, v);
        const text = confirmText(v, s);
        if (thank) thank.remove();
        thank = text ? el("div", "bsd-msg bsd-op bsd-ok", text, { role: "status" }) : null;
        thankKey = cardKey;
        paused = false;
        errText = "";
        render();
        input.focus();
        pump();
      } catch (err) {
        showError(err, fs, cerr);
      } finally {
        ok.disabled = false;
      }
    });
    return c;
  }

  function ratingCard(d: Dialog): HTMLElement {
    const c = el("form", "bsd-card bsd-rate");
    c.noValidate = true;
    const t = el("p", undefined, s.rateTitle, { id: "bsd-rate-t" });
    const stars = el("div", "bsd-stars", null, { role: "radiogroup", "aria-labelledby": "bsd-rate-t" });
    let score = 0;
    const labels: HTMLLabelElement[] = [];
    const paint = (n: number) => labels.forEach((l, i) => l.classList.toggle("bsd-on", i < n));
    for (let n = 1; n <= 5; n++) {
      const id = "bsd-star-" + n;
      const r = el("input", "bsd-sr", null, { type: "radio", name: "bsd-score", value: String(n), id });
      const l = el("label", undefined, null, { for: id, title: s.rateStar[n - 1] });
      l.append(el("span", undefined, "★", { "aria-hidden": "true" }), el("span", "bsd-sr", n + " — " + s.rateStar[n - 1]));
      r.addEventListener("change", () => ((score = n), paint(n), (cerr.textContent = "")));
      l.addEventListener("mouseenter", () => paint(n));
      l.addEventListener("mouseleave", () => paint(score));
      labels.push(l);
      stars.append(r, l);
    }
    const comment = el("textarea", "bsd-rate-c", null, { "aria-label": s.rateComment, placeholder: s.rateComment });
    comment.maxLength = 1000;
    comment.rows = 2;
    const cerr = el("p", "bsd-err", null, { role: "alert" });
    const ok = button("bsd-btn", s.rateSend, "submit");
    const later = button("bsd-btn2", s.rateLater);
    later.addEventListener("click", () => {
      rateSkipped[d.id] = 1;
      render();
      input.focus();
    });
    c.append(t, stars, comment, cerr, ok, later);
    c.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!score) return void (cerr.textContent = s.rateChoose);
      ok.disabled = true;
      try {
        await api.call("POST", "/rating", { dialog_id: d.id, score, comment: comment.value });
        if (dialog && dialog.id === d.id) dialog.rating = score;
        rateDone = el("div", "bsd-msg bsd-op bsd-ok", s.rateThanks, { role: "status" });
        render();
      } catch (err) {
        cerr.textContent = err instanceof ApiError ? err.message : s.network;
      } finally {
        ok.disabled = false;
      }
    });
    return c;
  }

  let stick = true;
  log.addEventListener("scroll", () => (stick = log.scrollHeight - log.scrollTop - log.clientHeight < 40));

  function renderLog() {
    const list = msgs.slice();
    const i = intro();
    if (i) list.unshift(i);
    const keep: Record<string, 1> = {};
    let prev: Node | null = null;
    const place = (n: HTMLElement) => {
      const want = prev ? prev.nextSibling : log.firstChild;
      if (want !== n) log.insertBefore(n, want);
      prev = n;
    };
    const [req, key] = pending();
    const showCard = !!req && skipped !== key && (!!dialog || !introDone);
    if (!showCard || key !== cardKey) {
      if (card) card.remove();
      card = null;
    }
    for (const m of list) {
      const k = m.clientId ? "c:" + m.clientId : m.id;
      keep[k] = 1;
      let n = nodes[k];
      if (!n) n = nodes[k] = msgNode(m);
      updateMeta(n, m);
      place(n);
      if (showCard && m.id === key) {
        if (!card) (card = contactCard(req!)), (cardKey = key);
        place(card);
      }
      if (thank && m.id === thankKey) place(thank);
    }
    if (thank && !thank.parentNode) place(thank);
    if (rateDone) place(rateDone);
    const rate = wantsRating();
    if (!rate || !dialog || rateFor !== dialog.id) {
      if (rateCard) rateCard.remove();
      rateCard = null;
    }
    if (rate && dialog) {
      if (!rateCard) (rateCard = ratingCard(dialog)), (rateFor = dialog.id);
      place(rateCard);
    }
    if (showCard && !card && req) {
      card = contactCard(req);
      cardKey = key;
      place(card);
    }
    for (const k in nodes)
      if (!keep[k]) {
        nodes[k].remove();
        delete nodes[k];
      }
    if (stick) log.scrollTop = log.scrollHeight;
  }

  function renderInput() {
    const b = blocked();
    const off = !chatOpen();
    input.disabled = b || !canWrite();
    input.placeholder = b ? s.blockedPlaceholder : s.placeholder;
    const len = input.value.length;
    count.textContent = len > MAX_MESSAGE - 500 ? len + "/" + MAX_MESSAGE : "";
    count.classList.toggle("bsd-bad", len >= MAX_MESSAGE);
    send.disabled = input.disabled || !normalizeMessage(input.value);
    note.textContent = errText || (off ? nextOpenNote(cfg.chat.nextOpen, new Date(), cfg.lang) : "");
    note.classList.toggle("bsd-bad", !!errText);
  }

  function render() {
    renderTabs();
    renderLog();
    renderInput();
    badge();
  }

  // ---- tabs and header
  const hasDialog = () => !!dialog || msgs.length > 0;
  function renderTabs() {
    tabs = visibleTabs(cfg, hasDialog());
    if (!tabs.length) return;
    for (const t of cfg.tabOrder) tabBtn[t]!.hidden = tabs.indexOf(t) < 0;
    tablist.hidden = tabs.length < 2;
    if (!active || tabs.indexOf(active) < 0) select(tabs[0]);
    const on = chatOpen();
    // The header tells the truth: online, or offline with when we answer.
    const when = nextOpenWhen(cfg.chat.nextOpen, new Date(), cfg.lang);
    // Once an operator has the dialog: their photo and name.
    const op = dialog && dialog.assignee;
    headFace.hidden = !op;
    if (op && op !== headFaceOf) face(headFace, op, operatorName());
    headFaceOf = op || "";
    title.textContent = op ? operatorName() : on ? cfg.title || s.title : s.titleOff;
    sub.textContent = on ? s.online : when ? fill(s.answerAt, { WHEN: when }) : s.offNote;
    panel.classList.toggle("bsd-off", !on);
  }
  function select(t: TabId) {
    active = t;
    for (const x of cfg.tabOrder) {
      const on = x === t;
      tabBtn[x]!.setAttribute("aria-selected", String(on));
      tabBtn[x]!.tabIndex = on ? 0 : -1;
      panes[x]!.hidden = !on;
    }
    if (t === "chat") {
      stick = true;
      log.scrollTop = log.scrollHeight;
      markRead();
    }
    badge();
  }
  function focusFirst(includeChat: boolean) {
    const p = panes[active];
    if (!p) return;
    const target =
      active === "chat" ? (includeChat && !input.disabled ? input : null) : (p.querySelector("input,select,a,button:not([hidden])") as HTMLElement | null);
    if (target) target.focus({ preventScroll: true });
  }

  // ---- request form (Заявка)
  {
    const f = cfg.form;
    const p = panes.form!;
    // The fields scroll; the button stays in view below them.
    const fm = el("form", "bsd-fm");
    const wrap = el("div", "bsd-scroll");
    const foot = el("div", "bsd-actions");
    fm.append(wrap, foot);
    fm.noValidate = true;
    if (f.title) wrap.append(el("h3", "bsd-h", f.title));
    const labels: Record<string, string> = { name: s.name, phone: s.phone, email: s.email, company: s.company };
    const fs: Fld[] = [];
    let rid = "";
    for (const k of FORM_KEYS)
      if (f.fields[k].visible) fs.push(field("f", k, labels[k], k === "phone" ? "phone" : k === "email" ? "email" : "text", f.fields[k].required));
    if (f.custom && f.custom.rule.visible) fs.push(field("f", "custom", f.custom.label, "text", f.custom.rule.required));
    if (f.list && f.list.rule.visible) fs.push(field("f", "list", f.list.label, "select", f.list.rule.required, f.list.options));
    fs.forEach((x) => wrap.append(x.wrap));
    if (fs.some((x) => x.required)) wrap.append(el("p", "bsd-hint", s.requiredNote));
    const ferr = el("p", "bsd-err", null, { role: "alert" });
    const ok = button("bsd-btn", f.button || s.send, "submit");
    foot.append(ferr, ok);
    const done = el("div", "bsd-scroll bsd-done", null, { role: "status" });
    done.hidden = true;
    const again = button("bsd-btn2", s.again);
    const thanks = el("p");
    done.append(thanks, again);
    again.addEventListener("click", () => {
      fs.forEach((x) => (x.input.value = ""));
      done.hidden = true;
      fm.hidden = false;
      focusFirst(false);
    });
    fm.addEventListener("submit", async (e) => {
      e.preventDefault();
      ferr.textContent = "";
      if (!check(fs)) return;
      ok.disabled = true;
      try {
        rid = rid || clientId(); // the same id on a retry: one lead
        const v = values(fs);
        await api.call("POST", "/requests", { request_id: rid, values: v, page_url: location.href });
        rid = "";
        thanks.textContent = f.thanks || confirmText(v, s) || s.thanks;
        fm.hidden = true;
        done.hidden = false;
        again.focus();
      } catch (err) {
        showError(err, fs, ferr);
      } finally {
        ok.disabled = false;
      }
    });
    p.append(fm, done);
  }

  // ---- callback (Обратный звонок)
  {
    const c = cfg.callback;
    const p = panes.callback!;
    const fm = el("form", "bsd-fm");
    const wrap = el("div", "bsd-scroll");
    const foot = el("div", "bsd-actions");
    fm.append(wrap, foot);
    fm.noValidate = true;
    if (c.title) wrap.append(el("h3", "bsd-h", c.title));
    if (c.text) wrap.append(el("p", "bsd-text", c.text));
    const fs = [field("cb", "phone", s.phone, "phone", true), field("cb", "name", s.name, "text", false)];
    let rid = "";
    if (c.groups.length) fs.push(field("cb", "group", s.group, "select", false, c.groups));
    fs.forEach((x) => wrap.append(x.wrap));
    const ferr = el("p", "bsd-err", null, { role: "alert" });
    const ok = button("bsd-btn", s.callMe, "submit");
    foot.append(ferr, ok);
    const done = el("div", "bsd-scroll bsd-done", null, { role: "status" });
    done.hidden = true;
    const thanks = el("p");
    done.append(thanks);
    fm.addEventListener("submit", async (e) => {
      e.preventDefault();
      ferr.textContent = "";
      if (!check(fs)) return;
      ok.disabled = true;
      try {
        rid = rid || clientId();
        await api.call("POST", "/callbacks", { request_id: rid, ...values(fs) });
        rid = "";
        const name = fs[1].input.value.trim();
        thanks.textContent = fill(name ? s.callThanksNamed : s.callThanks, { PHONE: fs[0].input.value.trim(), NAME: name });
        fm.hidden = true;
        done.hidden = false;
        done.tabIndex = -1;
        done.focus();
      } catch (err) {
        showError(err, fs, ferr);
      } finally {
        ok.disabled = false;
      }
    });
    p.append(fm, done);
  }

  // ---- contacts
  function socialLinks(): HTMLElement {
    const box = el("div", "bsd-soc");
    for (const so of cfg.contacts.socials) {
      const [glyph, color] = NETWORKS[so.network] || [so.network.slice(0, 2).toUpperCase(), "#475569"];
      const a = el("a", "bsd-ic", glyph, { href: so.url, target: "_blank", rel: "noopener noreferrer", "aria-label": s.networks[so.network] || so.network });
      a.title = a.getAttribute("aria-label")!;
      a.style.background = color;
      box.append(a);
    }
    return box;
  }
  {
    const ct = cfg.contacts;
    const wrap = el("div", "bsd-scroll");
    if (ct.addresses.length) {
      wrap.append(el("h3", "bsd-h", s.addresses));
      const ul = el("ul", "bsd-addr");
      for (const a of ct.addresses) {
        const li = el("li");
        li.append(el("b", undefined, a.address));
        if (a.info) li.append(el("span", undefined, a.info));
        const xy = coordinates(a.address);
        const href = xy
          ? "https://yandex.ru/maps/?pt=" + xy[1] + "," + xy[0] + "&z=16&l=map"
          : "https://yandex.ru/maps/?text=" + encodeURIComponent(a.address);
        li.append(el("a", undefined, s.map, { href, target: "_blank", rel: "noopener noreferrer" }));
        ul.append(li);
      }
      wrap.append(ul);
    }
    if (ct.socials.length) wrap.append(el("h3", "bsd-h", s.socials), socialLinks());
    panes.contacts!.append(wrap);
  }

  // ---- icon mode: the social links as a column of icons above the launcher
  const iconBox = el("div", "bsd-icons");
  iconBox.hidden = true;
  if (icons) {
    iconBox.append(...Array.from(socialLinks().children));
    iconBox.id = "beseda-panel";
    panel.removeAttribute("id");
    root.append(iconBox);
  } else root.append(panel);
  const shown = icons ? iconBox : panel;
  launcher.setAttribute("aria-controls", shown.id);

  // ---- open / close / badge
  function isOpen() {
    return !shown.hidden;
  }
  function open() {
    refreshConfig();
    takeHook();
    shown.hidden = false;
    if (!icons) host.setAttribute("data-open", "");
    launcher.setAttribute("aria-expanded", "true");
    render();
    if (active === "chat") markRead();
    // The preview never takes the focus from the settings being typed.
    if (boot.preview) return;
    if (!mobile) focusFirst(true);
    else if (!icons) closeBtn.focus({ preventScroll: true });
    schedulePoll();
  }

  // ---- operators' presence and working hours, live: re-read while the panel is open (often
  // while the chat is unavailable), and at once when the server pushes a "config" frame.
  let cfgT: any;
  async function refreshConfig() {
    clearTimeout(cfgT);
    if (gone || boot.preview) return;
    try {
      const n = normalizeConfig(Object.assign({}, await api.config(), { language: lang }), lang);
      if (gone) return;
      cfg.on = n.on;
      cfg.operatorsOnline = n.operatorsOnline;
      cfg.chat.enabled = n.chat.enabled;
      cfg.chat.nextOpen = n.chat.nextOpen;
      cfg.chat.welcome = n.chat.welcome;
      cfg.form.enabled = n.form.enabled;
      cfg.callback.enabled = n.callback.enabled;
      cfg.callback.nextOpen = n.callback.nextOpen;
      cfg.contacts.enabled = n.contacts.enabled;
      render();
    } catch {
      /* next round */
    }
    if (isOpen() && !gone) cfgT = setTimeout(refreshConfig, chatOpen() ? 30000 : 10000);
  }
  function close() {
    // Leaving after an answer that is not rated yet: ask once before closing.
    if (!askedOnClose && isOpen() && !icons && dialog && dialog.answered && dialog.rating == null && !rateSkipped[dialog.id] && tabs.indexOf("chat") >= 0) {
      askedOnClose = true;
      select("chat");
      render();
      const first = rateCard && (rateCard.querySelector("input") as HTMLElement | null);
      if (first) first.focus();
      return;
    }
    const had = root.activeElement && shown.contains(root.activeElement);
    shown.hidden = true;
    host.removeAttribute("data-open");
    launcher.setAttribute("aria-expanded", "false");
    badge();
    if (had) launcher.focus();
    schedulePoll();
  }
  const badgeEl = el("span", "bsd-badge", null, { "aria-hidden": "true" });
  badgeEl.hidden = true;
  launcher.append(badgeEl);
  function badge() {
    const n = isOpen() && active === "chat" ? 0 : unreadCount(msgs);
    badgeEl.hidden = !n;
    badgeEl.textContent = n > 9 ? "9+" : String(n);
    launcher.setAttribute("aria-label", isOpen() ? s.close : n ? fill(s.unread, { N: String(n) }) : s.open);
  }
  function takeHook() {
    const h = boot.hook;
    if (!h || h === seenHook) return;
    seenHook = h;
    const full = cfg.hooks.find((x) => x.id === h.id);
    if (!full || msgs.some((m) => !isLocal(m))) return; // a conversation is already going on
    hookIntro = full;
    introAt = new Date().toISOString();
    introDone = false;
    if (tabs.indexOf("chat") >= 0) select("chat");
  }

  // ---- dialog state from the server
  function setDialog(d: Dialog | null) {
    dialog = d;
    if (d) Object.assign(contact, d.contact);
  }
  /** Dialog frames received so far: an HTTP answer asked before the last one is older than it. */
  let dialogFrames = 0;
  /** The dialog of an HTTP answer to a request made when `dialogFrames` was `seen`, unless a frame came since. */
  function answeredDialog(d: Dialog | null, seen: number) {
    if (seen === dialogFrames || !d || !dialog || d.id !== dialog.id) setDialog(d);
  }
  function incoming(list: Message[]) {
    if (!list.length) return;
    const before: Record<string, 1> = {};
    for (const m of msgs) before[m.id] = 1;
    msgs = mergeMessages(msgs, list);
    let taken = false;
    for (const m of list)
      if (!before[m.id] && m.from !== "visitor") {
        typing.textContent = "";
        if (m.contactRequest && dialog) dialog.pendingRequest = m.contactRequest;
        taken = taken || (m.from === "operator" && !!dialog && !dialog.assignee);
      }
    render();
    markRead();
    // An operator answered a dialog nobody had: learn who (their photo and name).
    if (taken) refreshDialog().catch(() => {});
  }
  async function refreshDialog() {
    const seen = dialogFrames;
    const res = await api.call("GET", "/dialog");
    answeredDialog(parseDialog(res && res.dialog, cfg.fields), seen);
    msgs = mergeMessages(msgs, parseMessages(res && res.messages, cfg.fields));
    if (!shouldRender(cfg, mobile, hasDialog())) {
      host.remove(); // no tab left to show (e.g. the chat is closed and there is no conversation)
      return;
    }
    const hadChat = tabs.indexOf("chat") >= 0;
    render();
    // A returning visitor with a conversation lands on it (unless they are looking elsewhere).
    if (!hadChat && !isOpen() && tabs.indexOf("chat") >= 0) select("chat");
    markRead();
  }

  // ---- sending
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (input.value.length > MAX_MESSAGE) {
      errText = fill(s.tooLong, { N: String(MAX_MESSAGE) });
      return renderInput();
    }
    const text = normalizeMessage(input.value);
    if (!text || blocked() || !canWrite()) return;
    const cid = clientId();
    const first = !dialog && !msgs.some((m) => m.from === "visitor");
    msgs = msgs.concat(localMessage(cid, text));
    outbox.push({ cid, text, hookId: first && hookIntro ? hookIntro.id : undefined, tries: 0 });
    input.value = "";
    errText = "";
    stick = true;
    autosize();
    render();
    pump();
  });
  function retry(cid: string) {
    const m = msgs.find((x) => x.clientId === cid && isLocal(x));
    if (!m) return;
    msgs = updateLocal(msgs, cid, { state: "sending" });
    outbox.push({ cid, text: m.text, tries: 0 });
    errText = "";
    render();
    pump();
  }
  async function pump() {
    if (pumping) return;
    pumping = true;
    while (outbox.length && !paused) {
      const item = outbox[0];
      const body: Record<string, string> = { text: item.text, client_id: item.cid, page_url: location.href };
      if (item.hookId) body.hook_id = item.hookId;
      try {
        const seen = dialogFrames;
        const res = await api.call("POST", "/messages", body);
        outbox.shift();
        const d = parseDialog(res && res.dialog, cfg.fields);
        if (d) answeredDialog(d, seen);
        const m = parseMessage(res && res.message, cfg.fields);
        msgs = mergeMessages(msgs, m ? [m] : [], item.cid);
        connect();
        if (held && dialog) {
          const v = held;
          held = null;
          await postContact(v).catch((e) => (errText = e.message));
        }
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError(0, "network", s.network);
        if (err.status === 0 && ++item.tries <= 4) {
          await sleep(1000 * 2 ** item.tries); // the same client_id: the server will not duplicate it
          continue;
        }
        if (err.code === "contact_required") {
          paused = true;
          errText = err.message;
          try {
            await refreshDialog();
          } catch {
            /* the form from the intro, if any */
          }
          break;
        }
        outbox.shift();
        msgs = updateLocal(msgs, item.cid, { state: "failed", error: err.message });
        errText = err.message;
        if (err.status === 403) {
          // blacklisted or chat closed: the rest would fail the same way
          for (const o of outbox) msgs = updateLocal(msgs, o.cid, { state: "failed" });
          outbox = [];
        }
      }
      render();
    }
    pumping = false;
    render();
  }

  // ---- typing, read, input
  let typedAt = 0;
  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 120) + "px";
    renderInput();
  }
  input.addEventListener("input", () => {
    autosize();
    const now = Date.now();
    if (dialog && input.value.trim() && now - typedAt > 3000) {
      typedAt = now;
      api.call("POST", "/typing").catch(() => {});
    }
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit ? form.requestSubmit() : send.click();
    }
  });
  function markRead() {
    if (!isOpen() || active !== "chat" || document.visibilityState === "hidden" || !unreadCount(msgs) || !api.token()) return;
    msgs = markTheirsRead(msgs);
    badge();
    api.call("POST", "/read").catch(() => {});
  }
  document.addEventListener("visibilitychange", markRead);
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });
  iconBox.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });
  closeBtn.addEventListener("click", close);

  // ---- realtime: WebSocket, polling while it is down
  let ws: WebSocket | null = null;
  let wsUp = false;
  let wsTries = 0;
  let pingT: any;
  let pollT: any;
  let typingT: any;
  function connect() {
    if (ws || !dialog || gone) return;
    const url = api.wsUrl();
    if (!url || typeof WebSocket === "undefined") return schedulePoll();
    let sock: WebSocket;
    try {
      sock = ws = new WebSocket(url);
    } catch {
      ws = null;
      return schedulePoll();
    }
    sock.onopen = () => {
      wsUp = true;
      wsTries = 0;
      schedulePoll(); // stops polling
      pingT = setInterval(() => sock.readyState === 1 && sock.send('{"action":"ping"}'), 25000);
      catchUp();
    };
    sock.onmessage = (ev) => {
      let f: any;
      try {
        f = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (!f || typeof f !== "object") return;
      if (f.type === "message") {
        const m = parseMessage(f.message, cfg.fields);
        if (m) incoming([m]);
      } else if (f.type === "typing") {
        typing.textContent = s.typing;
        clearTimeout(typingT);
        typingT = setTimeout(() => (typing.textContent = ""), 4000);
      } else if (f.type === "read" && f.up_to != null) {
        msgs = markOwnRead(msgs, String(f.up_to));
        renderLog();
      } else if (f.type === "dialog") {
        const d = parseDialog(f.dialog, cfg.fields);
        if (d) dialogFrames++, setDialog(d), render();
      } else if (f.type === "config") refreshConfig();
    };
    sock.onclose = () => {
      ws = null;
      wsUp = false;
      clearInterval(pingT);
      schedulePoll();
      setTimeout(connect, Math.min(30000, 1000 * 2 ** wsTries++) + Math.random() * 500);
    };
  }
  let pollAt = 0;
  /** Polls while the WebSocket is down: every 3 s with the panel open, every 15 s closed. */
  function schedulePoll() {
    const at = Date.now() + (isOpen() ? 3000 : 15000);
    if (wsUp || !dialog || gone) {
      clearTimeout(pollT);
      pollAt = 0;
      return;
    }
    if (pollAt && pollAt <= at) return; // an earlier round is already due
    clearTimeout(pollT);
    pollAt = at;
    pollT = setTimeout(async () => {
      pollAt = 0;
      await catchUp();
      schedulePoll();
    }, at - Date.now());
  }
  async function catchUp() {
    try {
      const after = lastServerId(msgs);
      if (!after) return await refreshDialog();
      const res = await api.call("GET", "/messages?after=" + encodeURIComponent(after));
      incoming(parseMessages(res && res.messages, cfg.fields));
    } catch {
      /* next round */
    }
  }

  // ---- start
  render();
  if (boot.tab && tabs.indexOf(boot.tab) >= 0) select(boot.tab);
  if (api.token())
    refreshDialog().then(
      () => connect(),
      () => {},
    );
  function destroy() {
    gone = true;
    clearTimeout(cfgT);
    clearTimeout(pollT);
    clearTimeout(typingT);
    clearInterval(pingT);
    if (ws) (ws.onclose = null), ws.close();
    document.removeEventListener("visibilitychange", markRead);
    for (const n of [style, panel, iconBox, badgeEl]) n.remove();
    host.removeAttribute("data-open");
  }
  return { open, close, isOpen, toggle: () => (isOpen() ? close() : open()), destroy };
}

/** The cabinet's preview: the real panel, talking to nobody. */
function previewApi(): Api {
  return {
    token: () => null,
    ensureToken: () => Promise.resolve(""),
    call: () => Promise.resolve(null as any),
    wsUrl: () => null,
    config: () => Promise.resolve(null),
    avatar: () => "",
  };
}

/** Mounts the panel for a loader's boot; the ru/en switch mounts it again in the other language. */
function start(boot: BesedaBoot) {
  const key = "beseda:" + boot.project + ":lang";
  let chosen: string | null = null;
  try {
    chosen = boot.preview ? null : localStorage.getItem(key);
  } catch {
    /* storage blocked: the project's language */
  }
  const relang = (l: Lang) => {
    try {
      if (!boot.preview) localStorage.setItem(key, l);
    } catch {
      /* this page view only */
    }
    const was = inst.isOpen();
    inst.destroy();
    inst = mount(boot, l, relang);
    if (was) inst.open();
  };
  let inst = mount(boot, pickLang(chosen, boot.launch.lang), relang);
  boot.widget = {
    open: () => inst.open(),
    close: () => inst.close(),
    toggle: () => inst.toggle(),
    isOpen: () => inst.isOpen(),
    destroy: () => inst.destroy(),
  };
  boot.launcher.removeAttribute("aria-busy");
  if (boot.wantOpen || boot.hook) boot.widget.open();
}

window.__besedaMount = (b: BesedaBoot) => b.widget || start(b);
if (window.__beseda) window.__besedaMount(window.__beseda);
