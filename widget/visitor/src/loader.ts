// loader.js — the only script a site embeds:
//   <script src="https://HOST/widget/loader.js" data-project="PROJECT_ID" async></script>
// It reads the project config (blocked IP, devices, colour, side, tabs: whether to show anything
// at all), draws the round launcher and arms auto-open, initiators and hooks. widget.js (from
// the same folder) is loaded only on interaction: hover, focus or touch of the launcher starts
// the download, a click, an initiator, auto-open or a hook opens the panel. A returning visitor
// who already has a conversation gets widget.js when the page is idle (unread badge, realtime).
// With `data-preview` (the cabinet's preview in an iframe) the config comes from the parent page
// by postMessage, `{ beseda: "preview", config, hook? }`, and each new one redraws the widget open.
import type { BesedaBoot } from "./boot";
import { launchConfig, shouldRender, type HookRule, type Launch, type TabId } from "./config";
import { countVisit, watchHooks, type KV } from "./hooks";
import { launcherCss, chatIcon, closeIcon } from "./launcher-style";
import { textOn } from "./text";

(function () {
  const w = window;
  const d = document;
  if (w.__beseda || d.getElementById("beseda-widget")) return;

  const script = (d.currentScript ||
    d.querySelector('script[src*="loader.js"][data-project]')) as HTMLScriptElement | null;
  const project = (script && script.getAttribute("data-project")) || "";
  if (!script || !project) {
    console.warn("Beseda: loader.js needs a data-project attribute");
    return;
  }
  const src = new URL(script.src, location.href);
  const base = src.href.replace(/[^/]*([?#].*)?$/, "");
  const api = src.origin;
  const key = "beseda:" + project;
  const store = (name: "localStorage" | "sessionStorage"): KV | null => {
    try {
      return w[name];
    } catch {
      return null;
    }
  };
  const ls = store("localStorage");
  const ss = store("sessionStorage");
  const get = (s: KV | null, k: string) => {
    try {
      return s && s.getItem(k);
    } catch {
      return null;
    }
  };
  const set = (s: KV | null, k: string) => {
    try {
      s && s.setItem(k, "1");
    } catch {
      /* ignore */
    }
  };
  let mobile = w.matchMedia("(max-width: 768px), (pointer: coarse)").matches;
  const hasToken = !!get(ls, key);
  const preview = script.hasAttribute("data-preview");

  if (preview)
    w.addEventListener("message", (e) => {
      const m = e.data;
      if (e.source !== w.parent || !m || m.beseda !== "preview") return;
      const old = w.__beseda;
      if (old) {
        if (old.widget) old.widget.destroy();
        old.host.remove();
      }
      mobile = !!m.mobile;
      start(m.config, launchConfig(m.config), m);
    });
  else fetch(api + "/widget/v1/projects/" + encodeURIComponent(project) + "/config", {
    mode: "cors",
    credentials: "omit",
    headers: { Accept: "application/json" },
  })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
    .then(
      (raw) => start(raw, launchConfig(raw, script.getAttribute("data-lang") === "en" ? "en" : "ru")),
      (e) => console.warn("Beseda: no widget config (" + e + ")"),
    );

  function start(raw: unknown, cfg: Launch, pv?: { hook?: HookRule; tab?: TabId }) {
    // Blocked IP, a device switched off or nothing to show: render nothing at all.
    if (!shouldRender(cfg, mobile, hasToken)) return;

    const host = d.createElement("beseda-widget");
    host.id = "beseda-widget";
    host.setAttribute("style", "all:initial!important;position:fixed!important;z-index:2147483000!important;bottom:0;right:0;width:0;height:0");
    host.style.setProperty("--bsd-accent", cfg.color);
    host.style.setProperty("--bsd-on-accent", textOn(cfg.color));
    if (cfg.side === "left") host.setAttribute("data-side", "left");
    const root = host.attachShadow({ mode: "open" });
    const style = d.createElement("style");
    style.textContent = launcherCss;
    const launcher = d.createElement("button");
    launcher.id = "beseda-launcher";
    launcher.type = "button";
    launcher.setAttribute("aria-label", cfg.lang === "en" ? "Open chat" : "Открыть чат");
    launcher.setAttribute("aria-expanded", "false");
    launcher.innerHTML = chatIcon + closeIcon; // static markup only, no user data
    root.append(style, launcher);

    let loading = false;
    function load() {
      if (loading) return;
      loading = true;
      if (w.__besedaMount) return w.__besedaMount(boot);
      const s = d.createElement("script");
      s.src = base + "widget.js?v=" + __WIDGET_VERSION__;
      s.async = true;
      s.onerror = () => {
        loading = false;
        launcher.removeAttribute("aria-busy");
        s.remove();
      };
      d.head.appendChild(s);
    }
    function open() {
      if (boot.widget) return boot.widget.open();
      boot.wantOpen = true;
      launcher.setAttribute("aria-busy", "true");
      load();
    }
    const boot: BesedaBoot = { project, base, api, raw, launch: cfg, mobile, host, root, launcher, open, preview };
    w.__beseda = boot;
    (d.body || d.documentElement).appendChild(host);
    if (pv) {
      host.setAttribute("data-preview", "");
      boot.hook = pv.hook;
      boot.tab = pv.tab;
      return open();
    }

    launcher.addEventListener("click", () => (boot.widget ? boot.widget.toggle() : open()));
    launcher.addEventListener("pointerenter", load, { once: true });
    launcher.addEventListener("focus", load, { once: true });
    launcher.addEventListener("touchstart", load, { once: true, passive: true });

    // Initiators: site elements whose click opens the widget.
    if (cfg.initiators.length)
      d.addEventListener(
        "click",
        (e) => {
          for (let n = e.target as Element | null; n; n = n.parentElement)
            if (n.id && cfg.initiators.indexOf(n.id) >= 0) return open();
        },
        true,
      );

    // Auto-open once per browser session.
    if (cfg.autoOpenSecs != null && !get(ss, key + ":auto"))
      setTimeout(() => {
        set(ss, key + ":auto");
        if (!(boot.widget && boot.widget.isOpen())) open();
      }, cfg.autoOpenSecs * 1000);

    // Hooks: only while the chat is open for business, at most one per session.
    const visits = countVisit(ls, ss, key + ":visits");
    if (cfg.on.chat && cfg.hooks.length && !get(ss, key + ":hook"))
      watchHooks(cfg.hooks, { mobile, hooksOnMobile: cfg.hooksOnMobile, href: location.href, visits }, (h) => {
        if (boot.widget && boot.widget.isOpen()) return;
        set(ss, key + ":hook");
        boot.hook = h;
        if (boot.widget) boot.widget.open();
        else open();
      });

    if (hasToken) {
      const idle = (w as any).requestIdleCallback || ((f: () => void) => setTimeout(f, 1500));
      idle(load);
    }
  }
})();
