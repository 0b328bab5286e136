#!/usr/bin/env bash
# Starts a release local runner on a fresh data folder and a free loopback port, with the
# widget API's per-IP and per-visitor limits raised (every simulated visitor comes from
# 127.0.0.1), runs beseda-load against it — first the machine's own ceilings (a bare axum
# JSON POST, durable 4 KiB writes), then the chat as fast as it answers and at 1 000 messages
# per second, then Telegram updates posted to the webhook route as fast as they are answered,
# printed as ratios to the ceilings — and stops it. Bounded: each phase lasts
# 10 seconds, each ceiling 3.
set -euo pipefail
bin=${1:?usage: load.sh path/to/release}
data=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
# beseda-load answers as Telegram's Bot API on this port for the webhook scenario.
tg_port=$(free_port)
BESEDA_TELEGRAM_API="http://127.0.0.1:$tg_port" WIDGET_LIMIT_IP=100000000 WIDGET_LIMIT_VISITOR=100000 RUST_LOG=warn \
  "$bin/beseda" --data "$data" serve --port "$port" >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
"$bin/beseda-load" --url "http://127.0.0.1:$port" --data "$data" --phase 200:0 --phase 500:1000 --seconds 10 \
  --telegram-api-port "$tg_port"
echo "widget: $(gzip -9c widget/dist/widget/loader.js | wc -c) B loader.js gzip, $(cat widget/dist/widget/loader.js widget/dist/widget/widget.js | gzip -9 | wc -c) B loader + widget gzip"
