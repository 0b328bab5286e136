//! Telegram Bot API: the webhook carries the `secret_token` given to `setWebhook` in the
//! `X-Telegram-Bot-Api-Secret-Token` header; each request is one `Update`, de-duplicated on
//! its `update_id`. Replies go through `sendMessage` / `sendPhoto` at `<base>/bot<token>/…`,
//! which answer `{"ok":true,"result":…}` or `{"ok":false,"error_code","description","parameters"}`.

use crate::api::{self, Answer, permanent, required, retryable};
use crate::{
    Attachment, AttachmentKind, Button, Channel, Connected, Credentials, Event, Field, Inbound, Kind, Outbound, Parsed,
    Press, Reply, SendError, Sent, User, WebhookError, WebhookRequest,
};
use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

/// The bot token from @BotFather.
pub const TOKEN: &str = "token";
/// The bot's @username.
pub const USERNAME: &str = "username";
/// The random secret Beseda gives `setWebhook`; Telegram echoes it in every webhook request.
pub const SECRET_TOKEN: &str = "secret_token";
/// The header that carries [`SECRET_TOKEN`].
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The longest photo caption Telegram accepts; a longer reply goes as a separate message.
const CAPTION_LIMIT: usize = 1024;

const FIELDS: &[Field] =
    &[Field { name: TOKEN, secret: true, required: true }, Field { name: USERNAME, secret: false, required: true }];

pub struct Telegram {
    client: reqwest::Client,
    base: String,
}

impl Telegram {
    pub(crate) fn new(client: reqwest::Client, base: &str) -> Self {
        Telegram { client, base: base.trim_end_matches('/').to_owned() }
    }

    /// Calls a Bot API method and returns its `result` (the team's bot calls it too).
    pub async fn method(&self, creds: &Credentials, method: &str, params: Value) -> Result<Value, SendError> {
        let token = required(creds, TOKEN)?;
        let url = format!("{}/bot{token}/{method}", self.base);
        let answer = api::call(self.client.post(url).json(&params)).await?;
        envelope(answer)
    }
}

/// Reads the Bot API's answer envelope.
fn envelope(answer: Answer) -> Result<Value, SendError> {
    #[derive(Deserialize)]
    struct Envelope {
        ok: bool,
        #[serde(default)]
        result: Value,
        error_code: Option<u16>,
        #[serde(default)]
        description: String,
        parameters: Option<Parameters>,
    }
    #[derive(Deserialize)]
    struct Parameters {
        retry_after: Option<u64>,
    }
    let Ok(envelope) = Envelope::deserialize(&answer.body) else {
        return Err(answer.unexpected());
    };
    if envelope.ok {
        return Ok(envelope.result);
    }
    let description = envelope.description.to_lowercase();
    let retry_after = envelope.parameters.and_then(|p| p.retry_after).or(answer.retry_after);
    Err(match envelope.error_code.unwrap_or(answer.status) {
        429 => retryable("rate_limited", retry_after),
        401 | 404 => permanent("token_revoked"),
        403 if description.contains("blocked") => permanent("blocked_by_user"),
        403 if description.contains("deactivated") => permanent("user_deactivated"),
        403 => permanent("forbidden"),
        400 if description.contains("chat not found") => permanent("chat_not_found"),
        400 => permanent("bad_request"),
        code if code >= 500 => retryable(format!("telegram_{code}: {}", envelope.description), retry_after),
        code => permanent(format!("telegram_{code}")),
    })
}

/// A chat id as Telegram types it: an integer, or a `@channel` name.
fn chat_id(id: &str) -> Value {
    id.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(id))
}

fn message_id(result: &Value) -> Result<Sent, SendError> {
    match result.get("message_id").and_then(Value::as_i64) {
        Some(id) => Ok(Sent { platform_message_id: id.to_string() }),
        None => Err(permanent("unexpected_response_no_message_id")),
    }
}

#[derive(Deserialize)]
struct Update {
    update_id: i64,
    message: Option<Message>,
    my_chat_member: Option<MemberUpdate>,
    callback_query: Option<CallbackQuery>,
}

/// A press of an inline keyboard button.
#[derive(Deserialize)]
struct CallbackQuery {
    id: String,
    from: TgUser,
    message: Option<PressedMessage>,
    data: Option<String>,
}

#[derive(Deserialize)]
struct PressedMessage {
    chat: Chat,
}

/// An inline keyboard of one row.
fn inline_keyboard(buttons: &[Button]) -> Value {
    let row: Vec<Value> = buttons.iter().map(|b| json!({"text": b.label, "callback_data": b.data})).collect();
    json!({ "inline_keyboard": [row] })
}

#[derive(Deserialize)]
struct Message {
    from: Option<TgUser>,
    chat: Chat,
    date: Option<i64>,
    text: Option<String>,
    caption: Option<String>,
    photo: Option<Vec<PhotoSize>>,
    document: Option<FileRef>,
    voice: Option<FileRef>,
    audio: Option<FileRef>,
    video: Option<FileRef>,
    sticker: Option<FileRef>,
    contact: Option<Contact>,
}

#[derive(Deserialize)]
struct TgUser {
    id: i64,
    first_name: Option<String>,
    last_name: Option<String>,
    username: Option<String>,
}

#[derive(Deserialize)]
struct Chat {
    id: i64,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct PhotoSize {
    file_id: String,
    width: u64,
    height: u64,
    file_size: Option<u64>,
}

#[derive(Deserialize)]
struct FileRef {
    file_id: String,
    file_name: Option<String>,
    mime_type: Option<String>,
    file_size: Option<u64>,
}

#[derive(Deserialize)]
struct Contact {
    phone_number: String,
}

#[derive(Deserialize)]
struct MemberUpdate {
    chat: Chat,
    from: TgUser,
    new_chat_member: ChatMember,
}

#[derive(Deserialize)]
struct ChatMember {
    status: String,
}

impl TgUser {
    fn user(&self) -> User {
        let name = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        User {
            id: self.id.to_string(),
            name: Some(name).filter(|n| !n.is_empty()),
            username: self.username.clone(),
            avatar_url: None,
        }
    }
}

impl FileRef {
    fn attachment(self, kind: AttachmentKind) -> Attachment {
        Attachment {
            kind,
            url: None,
            file_id: Some(self.file_id),
            name: self.file_name,
            mime: self.mime_type,
            size: self.file_size,
        }
    }
}

/// The payload of a `/start` command (`/start`, `/start abc`, `/start@shop_bot abc`).
fn start_payload(text: &str) -> Option<String> {
    let rest = text.strip_prefix("/start")?;
    let rest = match rest.strip_prefix('@') {
        Some(mention) => mention.split_once(char::is_whitespace).map_or("", |(_, payload)| payload),
        None if rest.is_empty() || rest.starts_with(char::is_whitespace) => rest,
        None => return None,
    };
    Some(rest.trim().to_owned())
}

fn inbound(update_id: i64, message: Message) -> Option<Inbound> {
    if message.chat.kind.as_deref().is_some_and(|k| k != "private") {
        return None;
    }
    let user = message
        .from
        .as_ref()
        .map(TgUser::user)
        .unwrap_or_else(|| User { id: message.chat.id.to_string(), ..User::default() });
    let mut attachments = Vec::new();
    if let Some(largest) = message.photo.into_iter().flatten().max_by_key(|p| p.width * p.height) {
        attachments.push(Attachment {
            kind: AttachmentKind::Image,
            url: None,
            file_id: Some(largest.file_id),
            name: None,
            mime: None,
            size: largest.file_size,
        });
    }
    let files = [
        (message.document, AttachmentKind::File),
        (message.audio, AttachmentKind::File),
        (message.voice, AttachmentKind::Voice),
        (message.video, AttachmentKind::Video),
        (message.sticker, AttachmentKind::Sticker),
    ];
    attachments.extend(files.into_iter().filter_map(|(file, kind)| file.map(|f| f.attachment(kind))));
    let start = message.text.as_deref().and_then(start_payload);
    let text = if start.is_some() { None } else { message.text.or(message.caption) };
    Some(Inbound {
        event_id: update_id.to_string(),
        chat_id: message.chat.id.to_string(),
        user,
        text,
        attachments,
        phone: message.contact.map(|c| c.phone_number),
        start,
        sent_at: message.date,
    })
}

#[async_trait]
impl Channel for Telegram {
    fn kind(&self) -> Kind {
        Kind::Telegram
    }

    fn fields(&self) -> &'static [Field] {
        FIELDS
    }

    fn generated(&self) -> &'static [&'static str] {
        &[SECRET_TOKEN]
    }

    fn verify(&self, creds: &Credentials, req: &WebhookRequest<'_>) -> Result<(), WebhookError> {
        let stored = creds.get(SECRET_TOKEN).ok_or(WebhookError::Unauthorized)?;
        let received = req.headers.get(SECRET_HEADER).ok_or(WebhookError::Unauthorized)?;
        if api::secret_eq(received.as_bytes(), stored.as_bytes()) { Ok(()) } else { Err(WebhookError::Unauthorized) }
    }

    fn parse(&self, _creds: &Credentials, req: &WebhookRequest<'_>) -> Result<Parsed, WebhookError> {
        let update: Update = api::json(req.body)?;
        let mut events = Vec::new();
        if let Some(message) = update.message {
            events.extend(inbound(update.update_id, message).map(Event::Message));
        }
        if let Some(member) = update.my_chat_member
            && member.chat.kind.as_deref() == Some("private")
            && member.new_chat_member.status == "kicked"
        {
            events.push(Event::Unsubscribed {
                event_id: update.update_id.to_string(),
                user_id: member.from.id.to_string(),
            });
        }
        if let Some(q) = update.callback_query
            && let Some(data) = q.data
        {
            let chat_id = q.message.map_or(q.from.id, |m| m.chat.id);
            events.push(Event::Press(Press {
                event_id: update.update_id.to_string(),
                chat_id: chat_id.to_string(),
                user: q.from.user(),
                data,
                ack: Some(q.id),
            }));
        }
        Ok(Parsed { reply: Reply::Empty, events })
    }

    async fn connect(&self, creds: &Credentials, webhook_url: &str) -> Result<Connected, SendError> {
        let secret = required(creds, SECRET_TOKEN)?;
        let me = self.method(creds, "getMe", json!({})).await?;
        let username = me.get("username").and_then(Value::as_str);
        let first_name = me.get("first_name").and_then(Value::as_str);
        let params = json!({
            "url": webhook_url,
            "secret_token": secret,
            "allowed_updates": ["message", "my_chat_member", "callback_query"],
        });
        self.method(creds, "setWebhook", params).await?;
        Ok(Connected {
            display_name: username.map(|u| format!("@{u}")).or(first_name.map(str::to_owned)),
            webhook_registered: true,
        })
    }

    async fn disconnect(&self, creds: &Credentials) -> Result<(), SendError> {
        self.method(creds, "deleteWebhook", json!({})).await.map(drop)
    }

    async fn send(&self, creds: &Credentials, msg: &Outbound) -> Result<Sent, SendError> {
        let chat = chat_id(&msg.chat_id);
        let Some(photo) = &msg.image_url else {
            let mut params = json!({"chat_id": chat, "text": msg.text});
            if !msg.buttons.is_empty() {
                params["reply_markup"] = inline_keyboard(&msg.buttons);
            }
            return message_id(&self.method(creds, "sendMessage", params).await?);
        };
        let fits = msg.text.chars().count() <= CAPTION_LIMIT;
        let mut params = json!({"chat_id": chat, "photo": photo});
        if fits && !msg.text.is_empty() {
            params["caption"] = msg.text.clone().into();
        }
        let sent = message_id(&self.method(creds, "sendPhoto", params).await?)?;
        if fits {
            return Ok(sent);
        }
        message_id(&self.method(creds, "sendMessage", json!({"chat_id": chat, "text": msg.text})).await?)
    }

    async fn acknowledge(&self, creds: &Credentials, press: &Press) -> Result<(), SendError> {
        match &press.ack {
            Some(id) => self.method(creds, "answerCallbackQuery", json!({ "callback_query_id": id })).await.map(drop),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Loopback, Sample, creds, only_message};

    const SECRET: &str = "bsd_Q2hhbm5lbHMtdGVzdC1zZWNyZXQtdG9rZW4";
    const BOT: &str = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    fn telegram(base: &str) -> Telegram {
        Telegram::new(api::client(), base)
    }

    fn stored() -> Credentials {
        creds(&[(TOKEN, BOT), (USERNAME, "romashka_shop_bot"), (SECRET_TOKEN, SECRET)])
    }

    fn parse(name: &str) -> Vec<Event> {
        let parsed = Sample::load("telegram-webhook", name).parse(&telegram("http://unused"), &stored());
        assert_eq!(parsed.reply, Reply::Empty);
        parsed.events
    }

    fn message(name: &str) -> Inbound {
        only_message(name, &parse(name))
    }

    fn anna() -> User {
        User {
            id: "111222333".into(),
            name: Some("Anna Petrova".into()),
            username: Some("anna_p".into()),
            avatar_url: None,
        }
    }

    #[test]
    fn every_sample_verifies_and_parses() {
        for (name, sample) in Sample::all("telegram-webhook") {
            let channel = telegram("http://unused");
            channel.verify(&stored(), &sample.request()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let parsed = channel.parse(&stored(), &sample.request()).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(parsed.events.len(), 1, "{name}");
        }
    }

    #[test]
    fn a_text_message_is_the_customers_words_keyed_on_the_update_id() {
        let m = message("text");
        assert_eq!(m.event_id, "734512001");
        assert_eq!(m.chat_id, "111222333");
        assert_eq!(m.user, anna());
        assert_eq!(m.text.as_deref(), Some("Здравствуйте! Сколько стоит доставка?"));
        assert_eq!(m.sent_at, Some(1795948561));
        assert!(m.attachments.is_empty() && m.phone.is_none() && m.start.is_none());
    }

    #[test]
    fn a_photo_is_its_largest_size_with_the_caption() {
        let m = message("photo");
        assert_eq!(m.text.as_deref(), Some("Вот фото товара"));
        assert_eq!(m.attachments.len(), 1);
        let photo = &m.attachments[0];
        assert_eq!(photo.kind, AttachmentKind::Image);
        assert_eq!(
            photo.file_id.as_deref(),
            Some("AgACAgIAAxkBAAIFVmdLarge"),
            "the sample lists the sizes out of order"
        );
        assert_eq!(photo.size, Some(98764));
    }

    #[test]
    fn a_document_and_a_voice_are_files() {
        let doc = &message("document").attachments[0];
        assert_eq!(
            (doc.kind, doc.name.as_deref(), doc.mime.as_deref()),
            (AttachmentKind::File, Some("заказ.pdf"), Some("application/pdf"))
        );
        assert_eq!((doc.file_id.as_deref(), doc.size), (Some("BQACAgIAAxkBAAIFWGdDoc"), Some(48213)));
        let voice = &message("voice").attachments[0];
        assert_eq!((voice.kind, voice.mime.as_deref()), (AttachmentKind::Voice, Some("audio/ogg")));
        assert_eq!(voice.file_id.as_deref(), Some("AwACAgIAAxkBAAIFWWdVoice"));
    }

    #[test]
    fn a_shared_contact_is_the_customers_phone() {
        let m = message("contact");
        assert_eq!(m.phone.as_deref(), Some("79161234567"));
        assert_eq!(m.text, None);
    }

    #[test]
    fn start_carries_its_payload_not_as_text() {
        let m = message("start");
        assert_eq!(m.start.as_deref(), Some("site-landing"));
        assert_eq!(m.text, None);
        assert_eq!(start_payload("/start"), Some(String::new()));
        assert_eq!(start_payload("/start@romashka_shop_bot promo"), Some("promo".into()));
        assert_eq!(start_payload("/started"), None);
        assert_eq!(start_payload("hello /start"), None);
    }

    #[test]
    fn blocking_the_bot_is_an_unsubscribe() {
        assert_eq!(
            parse("blocked"),
            vec![Event::Unsubscribed { event_id: "734512006".into(), user_id: "111222333".into() }]
        );
    }

    #[test]
    fn group_chats_and_other_updates_store_nothing() {
        let channel = telegram("http://unused");
        let headers = http::HeaderMap::new();
        for body in [
            r#"{"update_id":5,"message":{"message_id":1,"from":{"id":1,"first_name":"A"},"chat":{"id":-100,"type":"group","title":"G"},"date":1,"text":"hi"}}"#,
            r#"{"update_id":6,"edited_message":{"message_id":1,"chat":{"id":1,"type":"private"},"date":1,"text":"hi"}}"#,
        ] {
            let parsed =
                channel.parse(&stored(), &WebhookRequest { headers: &headers, body: body.as_bytes() }).unwrap();
            assert!(parsed.events.is_empty(), "{body}");
        }
    }

    #[test]
    fn a_wrong_or_missing_secret_is_refused() {
        let channel = telegram("http://unused");
        let mut sample = Sample::load("telegram-webhook", "text");
        sample.headers.insert(SECRET_HEADER, "bsd_Q2hhbm5lbHMtdGVzdC1zZWNyZXQtdG9rZW5".parse().unwrap());
        assert_eq!(channel.verify(&stored(), &sample.request()), Err(WebhookError::Unauthorized));
        sample.headers.remove(SECRET_HEADER);
        assert_eq!(channel.verify(&stored(), &sample.request()), Err(WebhookError::Unauthorized));
        let sample = Sample::load("telegram-webhook", "text");
        let no_secret = creds(&[(TOKEN, BOT)]);
        assert_eq!(channel.verify(&no_secret, &sample.request()), Err(WebhookError::Unauthorized));
    }

    #[test]
    fn a_body_that_is_not_an_update_is_malformed() {
        let channel = telegram("http://unused");
        let headers = http::HeaderMap::new();
        for body in ["not json", r#"{"message":{}}"#, r#"{"update_id":"x"}"#] {
            let req = WebhookRequest { headers: &headers, body: body.as_bytes() };
            assert!(matches!(channel.parse(&stored(), &req), Err(WebhookError::Malformed(_))), "{body}");
        }
    }

    fn sent(id: i64) -> (u16, Value) {
        (
            200,
            json!({"ok": true, "result": {"message_id": id, "chat": {"id": 111222333, "type": "private"}, "date": 1795948900, "text": "…"}}),
        )
    }

    fn reply(text: &str, image: Option<&str>) -> Outbound {
        Outbound {
            chat_id: "111222333".into(),
            text: text.into(),
            image_url: image.map(str::to_owned),
            key: "msg-1".into(),
            sender_name: None,
            buttons: Vec::new(),
        }
    }

    #[tokio::test]
    async fn buttons_are_an_inline_keyboard_and_a_press_is_parsed_and_answered() {
        let server = Loopback::start(vec![sent(7), (200, json!({"ok": true, "result": true}))]).await;
        let mut out = reply("Оцените", None);
        out.buttons = vec![
            Button { label: "★".into(), data: "rate:d1:1".into() },
            Button { label: "★★".into(), data: "rate:d1:2".into() },
        ];
        let channel = telegram(&server.base);
        channel.send(&stored(), &out).await.unwrap();
        let body = r#"{"update_id":734512100,"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":111222333,"is_bot":false,"first_name":"Анна"},"message":{"message_id":7,"chat":{"id":111222333,"type":"private"},"date":1,"text":"Оцените"},"chat_instance":"-1","data":"rate:d1:2"}}"#;
        let headers = http::HeaderMap::new();
        let parsed = channel.parse(&stored(), &WebhookRequest { headers: &headers, body: body.as_bytes() }).unwrap();
        let [Event::Press(press)] = parsed.events.as_slice() else { panic!("{:?}", parsed.events) };
        assert_eq!(
            (press.event_id.as_str(), press.chat_id.as_str(), press.data.as_str()),
            ("734512100", "111222333", "rate:d1:2")
        );
        assert_eq!(press.ack.as_deref(), Some("4382bfdwdsb323b2d9"));
        channel.acknowledge(&stored(), press).await.unwrap();
        let [send, answer] = server.received().try_into().unwrap();
        assert_eq!(
            send.json()["reply_markup"],
            json!({"inline_keyboard": [[
                {"text": "★", "callback_data": "rate:d1:1"},
                {"text": "★★", "callback_data": "rate:d1:2"},
            ]]})
        );
        assert_eq!(answer.path, format!("/bot{BOT}/answerCallbackQuery"));
        assert_eq!(answer.json(), json!({"callback_query_id": "4382bfdwdsb323b2d9"}));
    }

    #[tokio::test]
    async fn a_reply_is_a_send_message_to_the_chat() {
        let server = Loopback::start(vec![sent(1367)]).await;
        let result = telegram(&server.base).send(&stored(), &reply("Доставка бесплатная", None)).await;
        assert_eq!(result, Ok(Sent { platform_message_id: "1367".into() }));
        let [call] = server.received().try_into().unwrap();
        assert_eq!(call.method, "POST");
        assert_eq!(call.path, format!("/bot{BOT}/sendMessage"));
        assert_eq!(call.header("content-type"), Some("application/json"));
        assert_eq!(call.json(), json!({"chat_id": 111222333, "text": "Доставка бесплатная"}));
    }

    #[tokio::test]
    async fn an_image_goes_as_send_photo_with_the_caption_or_before_a_long_text() {
        let server = Loopback::start(vec![sent(10)]).await;
        let url = "https://cdn.beseda.example/blobs/p/photo.jpg";
        telegram(&server.base).send(&stored(), &reply("Вот он", Some(url))).await.unwrap();
        let [call] = server.received().try_into().unwrap();
        assert_eq!(call.path, format!("/bot{BOT}/sendPhoto"));
        assert_eq!(call.json(), json!({"chat_id": 111222333, "photo": url, "caption": "Вот он"}));

        let server = Loopback::start(vec![sent(11), sent(12)]).await;
        let long = "д".repeat(CAPTION_LIMIT + 1);
        let result = telegram(&server.base).send(&stored(), &reply(&long, Some(url))).await;
        assert_eq!(result, Ok(Sent { platform_message_id: "12".into() }));
        let [photo, text] = server.received().try_into().unwrap();
        assert_eq!(photo.json(), json!({"chat_id": 111222333, "photo": url}));
        assert_eq!(text.path, format!("/bot{BOT}/sendMessage"));
        assert_eq!(text.json(), json!({"chat_id": 111222333, "text": long}));
    }

    async fn failure(status: u16, body: Value) -> SendError {
        let server = Loopback::start(vec![(status, body)]).await;
        telegram(&server.base).send(&stored(), &reply("hi", None)).await.unwrap_err()
    }

    #[tokio::test]
    async fn failures_are_classified() {
        let too_many = json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 17", "parameters": {"retry_after": 17}});
        assert_eq!(failure(429, too_many).await, retryable("rate_limited", Some(17)));
        let blocked = json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"});
        assert_eq!(failure(403, blocked).await, permanent("blocked_by_user"));
        let deactivated = json!({"ok": false, "error_code": 403, "description": "Forbidden: user is deactivated"});
        assert_eq!(failure(403, deactivated).await, permanent("user_deactivated"));
        let not_found = json!({"ok": false, "error_code": 400, "description": "Bad Request: chat not found"});
        assert_eq!(failure(400, not_found).await, permanent("chat_not_found"));
        let empty = json!({"ok": false, "error_code": 400, "description": "Bad Request: message text is empty"});
        assert_eq!(failure(400, empty).await, permanent("bad_request"));
        let revoked = json!({"ok": false, "error_code": 401, "description": "Unauthorized"});
        assert_eq!(failure(401, revoked).await, permanent("token_revoked"));
        let gateway = json!({"ok": false, "error_code": 502, "description": "Bad Gateway"});
        assert!(matches!(failure(502, gateway).await, SendError::Retryable { retry_after: None, .. }));
        // The emulator's answer to a method it lacks is not Telegram's envelope.
        assert!(matches!(
            failure(500, json!({"message": "API method 'sendPhoto' is not supported"})).await,
            SendError::Retryable { .. }
        ));
    }

    #[tokio::test]
    async fn a_network_failure_is_retryable_and_never_shows_the_token() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let error = telegram(&base).send(&stored(), &reply("hi", None)).await.unwrap_err();
        assert!(matches!(error, SendError::Retryable { .. }), "{error:?}");
        assert!(!error.to_string().contains("AAHdqTcv"), "{error}");
    }

    #[tokio::test]
    async fn connecting_checks_the_token_and_registers_the_webhook_with_the_secret() {
        let me = json!({"ok": true, "result": {"id": 7000000001_i64, "is_bot": true, "first_name": "Ромашка", "username": "romashka_shop_bot"}});
        let server = Loopback::start(vec![
            (200, me),
            (200, json!({"ok": true, "result": true, "description": "Webhook was set"})),
        ])
        .await;
        let url = "https://beseda.example/webhooks/telegram/01936f4e-8a2b-7c3d-9e4f-5a6b7c8d9e0f";
        let connected = telegram(&server.base).connect(&stored(), url).await.unwrap();
        assert_eq!(connected, Connected { display_name: Some("@romashka_shop_bot".into()), webhook_registered: true });
        let [get_me, set_webhook] = server.received().try_into().unwrap();
        assert_eq!(get_me.path, format!("/bot{BOT}/getMe"));
        assert_eq!(set_webhook.path, format!("/bot{BOT}/setWebhook"));
        assert_eq!(
            set_webhook.json(),
            json!({"url": url, "secret_token": SECRET, "allowed_updates": ["message", "my_chat_member", "callback_query"]})
        );
    }

    #[tokio::test]
    async fn a_revoked_token_fails_the_connection_before_the_webhook() {
        let server =
            Loopback::start(vec![(401, json!({"ok": false, "error_code": 401, "description": "Unauthorized"}))]).await;
        let result = telegram(&server.base).connect(&stored(), "https://beseda.example/webhooks/telegram/x").await;
        assert_eq!(result, Err(permanent("token_revoked")));
        assert_eq!(server.received().len(), 1);
    }

    #[tokio::test]
    async fn disconnecting_deletes_the_webhook() {
        let server =
            Loopback::start(vec![(200, json!({"ok": true, "result": true, "description": "Webhook was deleted"}))])
                .await;
        telegram(&server.base).disconnect(&stored()).await.unwrap();
        let [call] = server.received().try_into().unwrap();
        assert_eq!(call.path, format!("/bot{BOT}/deleteWebhook"));
    }
}
