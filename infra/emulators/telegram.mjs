// The Telegram Bot API on loopback for `make run` and the tests: npm's telegram-test-api, an
// independent emulator of the Bot API (getMe, setWebhook, sendMessage, …) and of its users'
// side. One completion of ours: the Bot API sends setWebhook's `secret_token` back in the
// `X-Telegram-Bot-Api-Secret-Token` header of every webhook call, which the emulator omits,
// so here webhook calls carry it (Beseda refuses webhooks without it).
//
//   node telegram.mjs serve [port]              the emulator (default port 8081)
//   node telegram.mjs say <bot token> <text>    a user writes to the bot (chat id 1001)
//   node telegram.mjs read <bot token>          what the bot sent that user since the last read
import TelegramServer from 'telegram-test-api';

class Emulator extends TelegramServer {
  async addUserUpdate(update) {
    const webhook = this.webhooks[update.botToken];
    if (!webhook) return super.addUserUpdate(update);
    const headers = { 'content-type': 'application/json' };
    if (webhook.secret_token) headers['x-telegram-bot-api-secret-token'] = webhook.secret_token;
    const body = JSON.stringify(TelegramServer.formatUpdate(update));
    const response = await fetch(webhook.url, { method: 'POST', headers, body });
    if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
    this.updateId++;
  }
}

const [command = 'serve', ...args] = process.argv.slice(2);
const base = process.env.TELEGRAM_EMULATOR ?? 'http://127.0.0.1:8081';
const user = { id: 1001, first_name: 'Иван', last_name: 'Петров', username: 'ivan_petrov', is_bot: false };

async function call(path, body) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!answer.ok) throw new Error(`${path}: ${JSON.stringify(answer)}`);
  return answer.result;
}

if (command === 'serve') {
  const port = Number(args[0] ?? 8081);
  const server = new Emulator({ port, host: '127.0.0.1', storeTimeout: 3600 });
  await server.start();
  console.log(`telegram-test-api on http://127.0.0.1:${port}`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else if (command === 'say' && args.length >= 2) {
  const [token, ...words] = args;
  const message = {
    botToken: token,
    from: user,
    chat: { id: user.id, first_name: user.first_name, username: user.username, type: 'private' },
    date: Math.floor(Date.now() / 1000),
    text: words.join(' '),
  };
  await call('/sendMessage', message);
  console.log(`${user.first_name} → bot: ${message.text}`);
} else if (command === 'read' && args.length === 1) {
  for (const update of await call('/getUpdates', { token: args[0], chatId: user.id })) {
    console.log(`bot → ${user.first_name}: ${update.message.text}`);
  }
} else {
  console.error('usage: telegram.mjs serve [port] | say <bot token> <text> | read <bot token>');
  process.exit(2);
}
