// Short notification tones (§1 «Звуки»), synthesized with WebAudio — no audio files. Each
// kind has its own little motif; the volume is the user's setting for it (0–100).
import type { Volumes } from "./api";

export type Sound = keyof Volumes | "presence_off";

/** Notes of each sound: [frequency Hz, start s, length s]. */
export const MOTIFS: Record<Sound, [number, number, number][]> = {
  login: [
    [523.25, 0, 0.12],
    [659.25, 0.1, 0.16],
  ],
  presence: [
    [523.25, 0, 0.1],
    [659.25, 0.09, 0.1],
    [783.99, 0.18, 0.18],
  ],
  presence_off: [
    [783.99, 0, 0.1],
    [659.25, 0.09, 0.1],
    [523.25, 0.18, 0.18],
  ],
  new_request: [
    [880, 0, 0.13],
    [1174.66, 0.14, 0.22],
  ],
  new_message: [[987.77, 0, 0.14]],
  settings_saved: [[698.46, 0, 0.12]],
  locked_click: [[220, 0, 0.09]],
};

/** Gain for a 0–100 volume: perceptually even steps, never louder than 0.25. */
export function gainFor(volume: number): number {
  const v = Math.min(100, Math.max(0, Number.isFinite(volume) ? volume : 0)) / 100;
  return 0.25 * v * v;
}

let ctx: AudioContext | null = null;

function audio(): AudioContext | null {
  if (ctx) return ctx;
  const C = (window as unknown as { AudioContext?: typeof AudioContext; webkitAudioContext?: typeof AudioContext }).AudioContext ||
    (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!C) return null;
  try {
    ctx = new C();
  } catch {
    ctx = null;
  }
  return ctx;
}

/** Plays `sound` at `volume` (0–100); silently does nothing without WebAudio or at 0. */
export function play(sound: Sound, volume: number): void {
  const gain = gainFor(volume);
  if (gain <= 0 || typeof window === "undefined") return;
  const ac = audio();
  if (!ac) return;
  if (ac.state === "suspended") ac.resume().catch(() => {});
  const t0 = ac.currentTime + 0.02;
  for (const [freq, start, len] of MOTIFS[sound]) {
    const osc = ac.createOscillator();
    const g = ac.createGain();
    osc.type = "sine";
    osc.frequency.value = freq;
    // A soft attack and an exponential tail: a chime, not a beep.
    g.gain.setValueAtTime(0.0001, t0 + start);
    g.gain.exponentialRampToValueAtTime(gain, t0 + start + 0.015);
    g.gain.exponentialRampToValueAtTime(0.0001, t0 + start + len);
    osc.connect(g).connect(ac.destination);
    osc.start(t0 + start);
    osc.stop(t0 + start + len + 0.05);
  }
  played.push({ sound, volume });
  if (played.length > 20) played.shift();
}

/** The last sounds played (newest last) — read by the browser tests through `window.__besedaSounds`. */
export const played: { sound: Sound; volume: number }[] = [];
if (typeof window !== "undefined") (window as unknown as { __besedaSounds?: typeof played }).__besedaSounds = played;
