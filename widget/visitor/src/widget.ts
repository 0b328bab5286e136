// widget.js — loaded by loader.js on interaction; mounts the chat panel into the loader's
// shadow root. Visitor and operator text is only ever set with textContent.
import type { BesedaBoot, BesedaWidget } from "./boot";
import { normalizeConfig, type WidgetConfig } from "./config";
import { offlineNote } from "./hours";
import { strings } from "./i18n";
import { panelCss } from "./panel-style";
import { clock, normalizeMessage, textOn } from "./text";

const ICON_SEND =
  '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"/></svg>';
const ICON_CLOSE =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true"><path d="M6 9l6 6 6-6"/></svg>';
const ICON_CHAT =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 11.5a8.4 8.4 0 0 1-9 8.3 9.4 9.4 0 0 1-3.6-.7L3 21l1.9-5A8 8 0 0 1 3 11.5 8.4 8.4 0 0 1 12 3.2a8.4 8.4 0 0 1 9 8.3z"/></svg>';

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

async function fetchConfig(boot: BesedaBoot): Promise<unknown> {
  try {
    const r = await fetch(boot.api + "/widget/v1/projects/" + encodeURIComponent(boot.project) + "/config", {
      credentials: "omit",
      headers: { Accept: "application/json" },
    });
    return r.ok ? await r.json() : null; // 404 and friends: defaults
  } catch {
    return null;
  }
}

function mount(boot: BesedaBoot): BesedaWidget {
  const { root, host, launcher } = boot;
  let cfg: WidgetConfig = normalizeConfig(null, boot.lang === "en" ? "en" : "ru");
  let s = strings[cfg.lang];

  const style = el("style");
  style.textContent = panelCss;

  const panel = el("div", "bsd-panel");
  panel.id = "beseda-panel";
  panel.setAttribute("role", "dialog");
  panel.hidden = true;

  const head = el("div", "bsd-head");
  const ava = el("div", "bsd-ava");
  ava.innerHTML = ICON_CHAT;
  const hd = el("div", "bsd-hd");
  const title = el("h2", "bsd-title");
  const sub = el("div", "bsd-sub");
  const subText = el("span");
  sub.append(el("span", "bsd-dot"), subText);
  hd.append(title, sub);
  const closeBtn = el("button", "bsd-close");
  closeBtn.type = "button";
  closeBtn.innerHTML = ICON_CLOSE;
  head.append(ava, hd, closeBtn);

  const log = el("div", "bsd-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  const note = el("p", "bsd-note");

  const form = el("form", "bsd-form");
  const input = el("textarea", "bsd-input");
  input.rows = 1;
  input.maxLength = 4000;
  const send = el("button", "bsd-send");
  send.type = "submit";
  send.disabled = true;
  send.innerHTML = ICON_SEND;
  form.append(input, send);
  const foot = el("div", "bsd-foot");
  panel.append(head, log, note, form, foot);
  root.append(style, panel);
  launcher.setAttribute("aria-controls", panel.id);

  let welcome: HTMLElement | null = null;

  function addMessage(text: string, mine: boolean): HTMLElement {
    const m = el("div", "bsd-msg " + (mine ? "bsd-me" : "bsd-op"), text);
    const t = el("time", undefined, clock(new Date()));
    m.append(t);
    log.append(m);
    log.scrollTop = log.scrollHeight;
    return m;
  }

  function render() {
    s = strings[cfg.lang];
    host.style.setProperty("--bsd-accent", cfg.color);
    host.style.setProperty("--bsd-on-accent", textOn(cfg.color));
    if (cfg.side === "left") host.setAttribute("data-side", "left");
    else host.removeAttribute("data-side");
    panel.setAttribute("aria-label", cfg.title);
    title.textContent = cfg.title;
    const off = offlineNote(cfg.chatHours, new Date(), cfg.timeZone, cfg.lang);
    note.textContent = off;
    panel.classList.toggle("bsd-off", !!off);
    subText.textContent = cfg.subtitle;
    closeBtn.setAttribute("aria-label", s.close);
    closeBtn.title = s.close;
    input.placeholder = s.placeholder;
    input.setAttribute("aria-label", s.message);
    send.setAttribute("aria-label", s.send);
    send.title = s.send;
    foot.textContent = s.powered;
    launcher.setAttribute("aria-label", isOpen() ? s.close : s.open);
    if (!welcome) welcome = addMessage(cfg.welcome, false);
    else welcome.firstChild!.textContent = cfg.welcome;
  }

  function isOpen() {
    return !panel.hidden;
  }
  function open() {
    panel.hidden = false;
    host.setAttribute("data-open", "");
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", s.close);
    log.scrollTop = log.scrollHeight;
    input.focus({ preventScroll: true });
  }
  function close() {
    const had = root.activeElement && panel.contains(root.activeElement);
    panel.hidden = true;
    host.removeAttribute("data-open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", s.open);
    if (had) launcher.focus();
  }

  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 120) + "px";
    send.disabled = !normalizeMessage(input.value);
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = normalizeMessage(input.value);
    if (!text) return;
    addMessage(text, true); // delivery to the widget API comes with the messages endpoint
    input.value = "";
    autosize();
    input.focus();
  });
  input.addEventListener("input", autosize);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit ? form.requestSubmit() : send.click();
    }
  });
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });
  closeBtn.addEventListener("click", close);

  render();
  fetchConfig(boot).then((raw) => {
    if (raw) {
      cfg = normalizeConfig(raw, cfg.lang);
      render();
    }
  });

  return { open, close, isOpen, toggle: () => (isOpen() ? close() : open()) };
}

const boot = window.__beseda;
if (boot && !boot.widget) {
  boot.widget = mount(boot);
  boot.launcher.removeAttribute("aria-busy");
  if (boot.wantOpen) boot.widget.open();
}
