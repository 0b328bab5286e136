// Small pure helpers for visitor text and colours.

export const MAX_MESSAGE = 4000;

/** Normalizes what the visitor typed; "" means nothing to send. */
export function normalizeMessage(raw: string): string {
  return raw
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
    .slice(0, MAX_MESSAGE);
}

/** "09:05" on the visitor's clock. */
export function clock(date: Date): string {
  const p = (n: number) => (n < 10 ? "0" : "") + n;
  return p(date.getHours()) + ":" + p(date.getMinutes());
}

/** Only #rgb / #rrggbb pass (the value goes into CSS); anything else gives null. */
export function safeColor(value: unknown): string | null {
  return typeof value === "string" && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) ? value.toLowerCase() : null;
}

function luminance(hex: string): number {
  let h = hex.slice(1);
  if (h.length === 3) h = h.replace(/./g, "$&$&");
  const ch = [0, 2, 4].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

/** WCAG contrast ratio of two #rgb/#rrggbb colours. */
export function contrast(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** White or near-black text, whichever reads better on the accent colour. */
export function textOn(accent: string): string {
  return contrast(accent, "#ffffff") >= contrast(accent, "#111827") ? "#ffffff" : "#111827";
}

/** Only absolute http(s) links pass (they go into href); anything else gives null. */
export function safeUrl(value: unknown): string | null {
  if (typeof value !== "string" || !/^https?:\/\/[^\s"'<>]+$/i.test(value.trim())) return null;
  return value.trim();
}

/** `56.839920, 60.599666` → [lat, lon]; anything else (an address text) → null. */
export function coordinates(value: string): [number, number] | null {
  const m = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;]\s*(-?\d{1,3}(?:\.\d+)?)\s*$/.exec(value);
  if (!m) return null;
  const lat = +m[1];
  const lon = +m[2];
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? [lat, lon] : null;
}
