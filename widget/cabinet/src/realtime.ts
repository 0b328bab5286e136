// The operator's live connection (§10): one WebSocket to `/ws` opened with a single-use
// ticket the API issues just before (no cookie or session token reaches the socket), subscribed
// to the current project's dialogs. It pings every 25 s, reconnects with a growing, jittered
// delay, a fresh ticket and a new subscription; every «subscribed» is announced so the page can
// refetch what it may have missed. Unit-tested with a fake socket.
import type { Dialog, Message } from "./api";

export type Frame =
  | { type: "message"; dialog: Dialog; message: Message }
  | { type: "dialog"; dialog: Dialog }
  | { type: "typing"; dialog_id: string }
  | { type: "read"; dialog_id: string; by: string; up_to: string }
  | { type: "presence"; user_id: string; online: boolean }
  | { type: "lead"; lead_id: string }
  | { type: "subscribed"; project?: string }
  | { type: "pong" }
  | { type: "error"; code: string };

/** connecting → live; offline while waiting to reconnect; refused when the server said no. */
export type LiveStatus = "connecting" | "live" | "offline" | "refused";

/** The part of WebSocket we use (a fake one in tests). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((e: unknown) => void) | null;
  onmessage: ((e: { data: unknown }) => void) | null;
  onclose: ((e: unknown) => void) | null;
  onerror: ((e: unknown) => void) | null;
}

export interface RealtimeOptions {
  url: string;
  project: string;
  /** A fresh ticket for one socket; null when it is refused (no access: stop), rejects when unreachable (retry). */
  ticket: () => Promise<string | null>;
  create?: (url: string) => SocketLike;
  pingMs?: number;
  /** Reconnect delays in ms before jitter; the last one repeats. */
  delays?: number[];
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (id: unknown) => void;
}

const OPEN = 1;

export function wsUrl(loc: { protocol: string; host: string } = location): string {
  return (loc.protocol === "https:" ? "wss" : "ws") + "://" + loc.host + "/ws";
}

/** The delay before reconnect attempt `n` (0-based): the schedule, ±20 % jitter. */
export function backoff(n: number, delays: number[], random: () => number = Math.random): number {
  const base = delays[Math.min(n, delays.length - 1)]!;
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class Realtime {
  private socket: SocketLike | null = null;
  private attempts = 0;
  private pingTimer: unknown = null;
  private retryTimer: unknown = null;
  private stopped = true;
  /** Counts connection attempts, so a ticket that arrives after stop or a newer attempt is dropped. */
  private attempt = 0;
  private frameListeners = new Set<(f: Frame) => void>();
  private statusListeners = new Set<(s: LiveStatus) => void>();
  status: LiveStatus = "connecting";
  private readonly o: Required<RealtimeOptions>;

  constructor(options: RealtimeOptions) {
    this.o = {
      create: (url) => new WebSocket(url) as unknown as SocketLike,
      pingMs: 25_000,
      delays: [1000, 2000, 4000, 8000, 15000, 30000],
      random: Math.random,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (id) => clearTimeout(id as number),
      ...options,
    };
  }

  /** Frames from the server (every kind, `subscribed` included). Returns the unsubscribe. */
  onFrame(fn: (f: Frame) => void): () => void {
    this.frameListeners.add(fn);
    return () => this.frameListeners.delete(fn);
  }

  onStatus(fn: (s: LiveStatus) => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.o.clearTimer(this.retryTimer);
    this.o.clearTimer(this.pingTimer);
    this.retryTimer = this.pingTimer = null;
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onopen = s.onmessage = s.onclose = s.onerror = null;
      try {
        s.close();
      } catch {
        /* already closed */
      }
    }
  }

  /** Reconnect now (the browser came back online, the tab woke up) unless already live. */
  nudge() {
    if (this.stopped || this.status === "live" || this.status === "refused") return;
    this.o.clearTimer(this.retryTimer);
    this.retryTimer = null;
    if (!this.socket) this.connect();
  }

  private setStatus(s: LiveStatus) {
    if (this.status === s) return;
    this.status = s;
    this.statusListeners.forEach((fn) => fn(s));
  }

  private send(obj: unknown) {
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(JSON.stringify(obj));
  }

  private connect() {
    this.setStatus("connecting");
    const attempt = ++this.attempt;
    const current = () => !this.stopped && attempt === this.attempt;
    this.o.ticket().then(
      (ticket) => {
        if (!current()) return;
        if (ticket === null) {
          this.setStatus("refused");
          this.stop();
        } else {
          this.open(this.o.url + "?ticket=" + encodeURIComponent(ticket));
        }
      },
      () => {
        if (current()) this.scheduleRetry();
      },
    );
  }

  private open(url: string) {
    let s: SocketLike;
    try {
      s = this.o.create(url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = s;
    s.onopen = () => {
      this.send({ action: "subscribe", project: this.o.project });
      this.schedulePing();
    };
    s.onmessage = (e) => {
      let f: Frame;
      try {
        f = JSON.parse(String(e.data));
      } catch {
        return;
      }
      if (!f || typeof f !== "object" || typeof (f as { type?: unknown }).type !== "string") return;
      if (f.type === "subscribed") {
        this.attempts = 0;
        this.setStatus("live");
      } else if (f.type === "error" && f.code === "forbidden" && this.status !== "live") {
        // The subscription was refused: retrying will not help.
        this.setStatus("refused");
        this.stop();
        return;
      }
      this.frameListeners.forEach((fn) => fn(f));
    };
    s.onerror = () => {
      /* onclose follows */
    };
    s.onclose = () => {
      if (this.socket !== s) return;
      this.socket = null;
      this.o.clearTimer(this.pingTimer);
      this.pingTimer = null;
      if (!this.stopped) this.scheduleRetry();
    };
  }

  private schedulePing() {
    this.o.clearTimer(this.pingTimer);
    this.pingTimer = this.o.setTimer(() => {
      this.send({ action: "ping" });
      this.schedulePing();
    }, this.o.pingMs);
  }

  private scheduleRetry() {
    this.setStatus("offline");
    const ms = backoff(this.attempts++, this.o.delays, this.o.random);
    this.retryTimer = this.o.setTimer(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, ms);
  }
}
