// Hooks (крючки, PRODUCT.md §9): proactive messages fired by time on the page, the page URL,
// scroll depth, exit intent or the visit count. Pure rules first, then the small runtime the
// loader uses (it runs before widget.js is downloaded).
import type { HookRule } from "./config";

/** Substring match of `pattern` in `href`, case-insensitive; `*` stands for anything. */
export function urlMatches(pattern: string, href: string): boolean {
  const p = pattern.trim();
  if (!p || p === "*") return !!p;
  const re = p
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
    .join(".*");
  try {
    return new RegExp(re, "i").test(href);
  } catch {
    return false;
  }
}

/** How far down the page the bottom of the viewport is, 0–100. */
export function scrollPercent(scrollY: number, viewport: number, docHeight: number): number {
  if (docHeight <= viewport) return 100;
  return Math.max(0, Math.min(100, Math.round(((scrollY + viewport) / docHeight) * 100)));
}

export interface HookEnv {
  mobile: boolean;
  hooksOnMobile: boolean;
  href: string;
  /** This visit's number, counted from 1 (see countVisit). */
  visits: number;
}

/** A positive number from the hook's value, or NaN. */
function num(v: string): number {
  const n = parseFloat(v);
  return n >= 0 ? n : NaN;
}

/**
 * "now": fires on load (URL or visit count matched); "wait": needs a timer or an event
 * (time, scroll, exit intent); "never": not on this page, visit or device.
 */
export function hookStatus(h: HookRule, env: HookEnv): "now" | "wait" | "never" {
  if (env.mobile && (!env.hooksOnMobile || !h.showOnMobile)) return "never";
  switch (h.trigger) {
    case "url_pattern":
      return urlMatches(h.value, env.href) ? "now" : "never";
    case "visit_count":
      return env.visits >= (num(h.value) || 1) ? "now" : "never";
    case "exit_intent":
      return env.mobile ? "never" : "wait"; // the pointer leaving the window: desktop only
    default:
      return isNaN(num(h.value)) ? "never" : "wait";
  }
}

export interface KV {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
}

/**
 * Counts visits in localStorage: a new browser session (sessionStorage is empty) is a new visit.
 * Returns this visit's number (1 on the first visit).
 */
export function countVisit(local: KV | null, session: KV | null, key: string): number {
  try {
    const seen = session && session.getItem(key);
    const n = parseInt((local && local.getItem(key)) || "0", 10) || 0;
    if (seen) return Math.max(1, n);
    local && local.setItem(key, String(n + 1));
    session && session.setItem(key, "1");
    return n + 1;
  } catch {
    return 1; // storage blocked: every visit is the first one
  }
}

/**
 * Arms the hooks; calls `fire` once, with the first hook whose trigger happens, and returns a
 * function that disarms everything.
 */
export function watchHooks(hooks: HookRule[], env: HookEnv, fire: (h: HookRule) => void): () => void {
  const w = window;
  const d = document;
  const offs: (() => void)[] = [];
  let done = false;
  const stop = () => {
    done = true;
    offs.forEach((f) => f());
    offs.length = 0;
  };
  const go = (h: HookRule) => {
    if (done) return;
    stop();
    fire(h);
  };
  const on = (target: EventTarget, type: string, fn: (e: any) => void) => {
    target.addEventListener(type, fn, { passive: true });
    offs.push(() => target.removeEventListener(type, fn));
  };
  for (const h of hooks) {
    const st = hookStatus(h, env);
    if (st === "now") {
      const t = setTimeout(() => go(h), 1500); // after the page settled, not in the visitor's face
      offs.push(() => clearTimeout(t));
    } else if (st === "wait") {
      const n = num(h.value);
      if (h.trigger === "time_on_page") {
        const t = setTimeout(() => go(h), n * 1000);
        offs.push(() => clearTimeout(t));
      } else if (h.trigger === "scroll_depth") {
        on(w, "scroll", () => {
          const el = d.documentElement;
          if (scrollPercent(w.scrollY, w.innerHeight, el.scrollHeight) >= n) go(h);
        });
      } else {
        on(d, "mouseout", (e: MouseEvent) => {
          if (!e.relatedTarget && e.clientY <= 0) go(h);
        });
      }
    }
  }
  return stop;
}
