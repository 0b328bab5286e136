#!/usr/bin/env bash
# Starts the local runner on a fresh data folder and a free port, runs the Playwright suite
# (tests/browser/) against it in Debian's chromium, and stops it. The runner's Telegram and VK
# APIs are free loopback ports (BESEDA_TELEGRAM_API, BESEDA_VK_API, exported to the specs too)
# where the messengers spec serves its fakes.
set -euo pipefail
bin=${1:?usage: browser-tests.sh path/to/beseda}
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
# The Telegram Bot API and the VK API the runner calls: loopback fakes that
# tests/browser/messengers.spec.ts starts on these ports.
export BESEDA_TELEGRAM_API="http://127.0.0.1:$(free_port)"
export BESEDA_VK_API="http://127.0.0.1:$(free_port)"
# Every page of the suite comes from 127.0.0.1: new visitors per IP get the project's limit.
WIDGET_NEW_VISITORS_IP=600 \
  "$bin" --data "$data" serve --port "$port" --static-dir "$root/widget/dist" >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$data/server.log"; exit 1; }
export BESEDA_URL="http://127.0.0.1:$port"
export BESEDA_ADMIN_EMAIL=$(sed -n 1p "$data/first-login.txt")
export BESEDA_ADMIN_PASSWORD=$(sed -n 2p "$data/first-login.txt")
export BESEDA_DATA="$data"
cd "$root/widget"
npx playwright test
