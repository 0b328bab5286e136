import assert from "node:assert/strict";
import { test } from "node:test";
import { backoff, Realtime, wsUrl, type Frame, type LiveStatus, type SocketLike } from "../src/realtime";
import { gainFor } from "../src/sounds";

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  closed = false;
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: unknown) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(obj: unknown) {
    this.onmessage?.({ data: JSON.stringify(obj) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
}

/** Lets the ticket promises settle. */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function harness(tickets: (n: number) => Promise<string | null> = async (n) => "t" + n) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number; id: number }[] = [];
  let next = 1;
  let issued = 0;
  const rt = new Realtime({
    url: "ws://h/ws",
    project: "demo",
    ticket: () => tickets(++issued),
    create: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    random: () => 0.5,
    setTimer: (fn, ms) => {
      const id = next++;
      timers.push({ fn, ms, id });
      return id;
    },
    clearTimer: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
  });
  const run = (ms: number) => {
    const due = timers.filter((t) => t.ms === ms);
    due.forEach((t) => timers.splice(timers.indexOf(t), 1));
    due.forEach((t) => t.fn());
    return due.length;
  };
  return { rt, sockets, timers, run };
}

test("the URL follows the page's scheme", () => {
  assert.equal(wsUrl({ protocol: "https:", host: "beseda.ru" }), "wss://beseda.ru/ws");
  assert.equal(wsUrl({ protocol: "http:", host: "127.0.0.1:8080" }), "ws://127.0.0.1:8080/ws");
});

test("opens with a fresh ticket, subscribes on open, passes frames on, pings every 25 s", async () => {
  const { rt, sockets, run } = harness();
  const frames: Frame[] = [];
  const statuses: LiveStatus[] = [];
  rt.onFrame((f) => frames.push(f));
  rt.onStatus((s) => statuses.push(s));
  rt.start();
  await flush();
  const s = sockets[0]!;
  assert.equal(s.url, "ws://h/ws?ticket=t1");
  s.open();
  assert.deepEqual(s.sent, [{ action: "subscribe", project: "demo" }]);
  s.receive({ type: "subscribed", project: "demo" });
  assert.equal(rt.status, "live");
  s.receive({ type: "typing", dialog_id: "d1" });
  s.onmessage?.({ data: "not json" });
  assert.deepEqual(frames.map((f) => f.type), ["subscribed", "typing"]);
  assert.equal(run(25_000), 1);
  assert.deepEqual(s.sent[1], { action: "ping" });
  assert.equal(run(25_000), 1, "and again");
  assert.deepEqual(statuses, ["live"]);
});

test("reconnects with a growing delay, a new ticket and a new subscription; the delay resets once live", async () => {
  const { rt, sockets, run, timers } = harness();
  rt.start();
  await flush();
  sockets[0]!.open();
  sockets[0]!.receive({ type: "subscribed" });
  sockets[0]!.drop();
  assert.equal(rt.status, "offline");
  assert.equal(run(1000), 1);
  await flush();
  assert.equal(sockets[1]!.url, "ws://h/ws?ticket=t2", "a ticket serves one socket");
  sockets[1]!.drop();
  assert.equal(run(2000), 1);
  await flush();
  sockets[2]!.drop();
  assert.equal(run(4000), 1);
  await flush();
  sockets[3]!.open();
  assert.deepEqual(sockets[3]!.sent, [{ action: "subscribe", project: "demo" }]);
  sockets[3]!.receive({ type: "subscribed" });
  assert.equal(rt.status, "live");
  sockets[3]!.drop();
  assert.ok(timers.some((t) => t.ms === 1000), "back to the first delay");
  rt.stop();
  assert.equal(timers.length, 0);
});

test("a refused subscription stops retrying; stop closes the socket", async () => {
  const { rt, sockets, timers } = harness();
  rt.start();
  await flush();
  sockets[0]!.open();
  sockets[0]!.receive({ type: "error", code: "forbidden" });
  assert.equal(rt.status, "refused");
  assert.equal(sockets[0]!.closed, true);
  assert.equal(timers.length, 0);
});

test("a refused ticket stops without a socket; an unreachable API is retried", async () => {
  const refused = harness(async () => null);
  refused.rt.start();
  await flush();
  assert.equal(refused.rt.status, "refused");
  assert.equal(refused.sockets.length, 0);
  assert.equal(refused.timers.length, 0);
  const down = harness(async (n) => {
    if (n === 1) throw new Error("network");
    return "t" + n;
  });
  down.rt.start();
  await flush();
  assert.equal(down.rt.status, "offline");
  assert.equal(down.sockets.length, 0);
  assert.equal(down.run(1000), 1);
  await flush();
  assert.equal(down.sockets[0]!.url, "ws://h/ws?ticket=t2");
});

test("a ticket that arrives after stop opens nothing", async () => {
  const { rt, sockets } = harness();
  rt.start();
  rt.stop();
  await flush();
  assert.equal(sockets.length, 0);
});

test("backoff schedule with jitter, and tone volumes", () => {
  const delays = [1000, 2000, 30000];
  assert.equal(backoff(0, delays, () => 0.5), 1000);
  assert.equal(backoff(9, delays, () => 0.5), 30000);
  assert.equal(backoff(0, delays, () => 0), 800);
  assert.equal(backoff(0, delays, () => 1), 1200);
  assert.equal(gainFor(0), 0);
  assert.equal(gainFor(100), 0.25);
  assert.ok(gainFor(50) < 0.25 / 2, "quieter than linear");
  assert.equal(gainFor(250), 0.25);
  assert.equal(gainFor(NaN), 0);
});
