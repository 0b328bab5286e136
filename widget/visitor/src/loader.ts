// loader.js — the only script a site embeds:
//   <script src="https://HOST/widget/loader.js" data-project="PROJECT_ID" async></script>
// It draws the round launcher button and loads widget.js (from the same folder) only on
// interaction: hover, focus or touch of the button starts the download, a click opens the panel.
import type { BesedaBoot } from "./boot";
import { launcherCss, chatIcon, closeIcon } from "./launcher-style";

(function () {
  const w = window;
  const d = document;
  if (w.__beseda || d.getElementById("beseda-widget")) return;

  const script = (d.currentScript ||
    d.querySelector('script[src*="loader.js"][data-project]')) as HTMLScriptElement | null;
  const project = script && script.getAttribute("data-project");
  if (!script || !project) {
    console.warn("Beseda: loader.js needs a data-project attribute");
    return;
  }
  const src = new URL(script.src, location.href);
  const base = src.href.replace(/[^/]*([?#].*)?$/, "");
  const lang = script.getAttribute("data-lang") === "en" ? "en" : "ru";

  const host = d.createElement("beseda-widget");
  host.id = "beseda-widget";
  host.setAttribute("style", "all:initial!important;position:fixed!important;z-index:2147483000!important;bottom:0;right:0;width:0;height:0");
  if (script.getAttribute("data-side") === "left") host.setAttribute("data-side", "left");
  const root = host.attachShadow({ mode: "open" });
  const style = d.createElement("style");
  style.textContent = launcherCss;
  const launcher = d.createElement("button");
  launcher.id = "beseda-launcher";
  launcher.type = "button";
  launcher.setAttribute("aria-label", lang === "en" ? "Open chat" : "Открыть чат");
  launcher.setAttribute("aria-expanded", "false");
  launcher.innerHTML = chatIcon + closeIcon; // static markup only, no user data
  root.append(style, launcher);

  const boot: BesedaBoot = { project, base, api: src.origin, lang, host, root, launcher };
  w.__beseda = boot;

  let loading = false;
  function load() {
    if (loading) return;
    loading = true;
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

  launcher.addEventListener("click", () => {
    if (boot.widget) return boot.widget.toggle();
    boot.wantOpen = true;
    launcher.setAttribute("aria-busy", "true");
    load();
  });
  launcher.addEventListener("pointerenter", load, { once: true });
  launcher.addEventListener("focus", load, { once: true });
  launcher.addEventListener("touchstart", load, { once: true, passive: true });

  function mount() {
    (d.body || d.documentElement).appendChild(host);
  }
  if (d.body) mount();
  else d.addEventListener("DOMContentLoaded", mount);
})();
