#!/usr/bin/env bash
# `make run`: the local runner on the embedded adapters, and beside it the Telegram Bot API
# emulator (telegram-test-api) that the runner's Telegram integration talks to, unless
# BESEDA_TELEGRAM_API already points elsewhere (the real https://api.telegram.org, say).
# Usage: run.sh <beseda binary> <data folder> <port> <emulator port>
set -euo pipefail
bin=$1 data=$2 port=$3 tg_port=$4
here=$(cd "$(dirname "$0")/../emulators" && pwd)

if [ -z "${BESEDA_TELEGRAM_API:-}" ]; then
  node "$here/telegram.mjs" serve "$tg_port" &
  emulator=$!
  trap 'kill $emulator 2>/dev/null || true' EXIT
  export BESEDA_TELEGRAM_API="http://127.0.0.1:$tg_port"
  cat <<TEXT
Telegram (emulated at $BESEDA_TELEGRAM_API): in «Настройки → Синхронизации» enable Telegram with
any token like 123456:ABC and the bot name TestNameBot, then write to the bot as a customer:
  TELEGRAM_EMULATOR=$BESEDA_TELEGRAM_API node infra/emulators/telegram.mjs say 123456:ABC Здравствуйте!
and read what the operator answered:
  TELEGRAM_EMULATOR=$BESEDA_TELEGRAM_API node infra/emulators/telegram.mjs read 123456:ABC
TEXT
fi
"$bin" --data "$data" serve --port "$port"
