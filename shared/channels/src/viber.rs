//! Viber REST Bot API: every callback is signed in `X-Viber-Content-Signature` with the hex
//! HMAC-SHA256 of the raw body keyed by the bot token, and de-duplicated on its
//! `message_token`. Calls go to `<base>/<method>` with the token in `X-Viber-Auth-Token` and
//! answer `{"status":0,…}`, or a non-zero `status` with HTTP 200.

use crate::api::{self, permanent, required, retryable};
use crate::{
    Attachment, AttachmentKind, Channel, Connected, Credentials, DeliveryReport, Event, Field, Inbound, Kind, Outbound,
    Parsed, Reply, SendError, Sent, StatusUpdate, User, WebhookError, WebhookRequest,
};
use async_trait::async_trait;
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use serde_json::{Number, Value, json};
use sha2::Sha256;

/// The bot's authentication token.
pub const TOKEN: &str = "token";
/// The header that carries the body's signature.
pub const SIGNATURE_HEADER: &str = "x-viber-content-signature";
/// The header that carries the token on calls.
pub const AUTH_HEADER: &str = "x-viber-auth-token";

/// The longest sender name Viber accepts.
const SENDER_NAME_LIMIT: usize = 28;
/// The longest description of a picture; a longer reply goes as a separate message.
const PICTURE_TEXT_LIMIT: usize = 768;
/// The sender name when the domain gives none (Viber requires one).
const DEFAULT_SENDER: &str = "Beseda";

/// The callbacks Beseda asks for (`message` and `webhook` always come).
const EVENT_TYPES: [&str; 6] = ["delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"];

const FIELDS: &[Field] = &[Field { name: TOKEN, secret: true, required: true }];

pub struct Viber {
    client: reqwest::Client,
    base: String,
}

/// The signature Viber puts on a callback body.
pub fn signature(token: &str, body: &[u8]) -> String {
    hex::encode(mac(token, body).finalize().into_bytes())
}

fn mac(token: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(token.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(body);
    mac
}

impl Viber {
    pub(crate) fn new(client: reqwest::Client, base: &str) -> Self {
        Viber { client, base: base.trim_end_matches('/').to_owned() }
    }

    /// Calls an API method and returns the whole answer once its `status` is 0.
    async fn method(&self, creds: &Credentials, method: &str, body: Value) -> Result<Value, SendError> {
        let token = required(creds, TOKEN)?;
        let request = self.client.post(format!("{}/{method}", self.base)).header(AUTH_HEADER, token).json(&body);
        let answer = api::call(request).await?;
        match answer.body.get("status").and_then(Value::as_i64) {
            Some(0) => Ok(answer.body),
            Some(status) => Err(error(status, answer.body.get("status_message").and_then(Value::as_str))),
            None => Err(answer.unexpected()),
        }
    }

    async fn send_one(&self, creds: &Credentials, msg: &Outbound, content: Value) -> Result<Sent, SendError> {
        let name: String =
            msg.sender_name.as_deref().unwrap_or(DEFAULT_SENDER).chars().take(SENDER_NAME_LIMIT).collect();
        let mut body = json!({
            "receiver": msg.chat_id,
            "min_api_version": 1,
            "sender": {"name": name},
            "tracking_data": msg.key,
        });
        if let (Value::Object(body), Value::Object(content)) = (&mut body, content) {
            body.extend(content);
        }
        let answer = self.method(creds, "send_message", body).await?;
        match answer.get("message_token").and_then(token_string) {
            Some(token) => Ok(Sent { platform_message_id: token }),
            None => Err(permanent("unexpected_response_no_message_token")),
        }
    }
}

/// Maps a non-zero `status` of a call.
fn error(status: i64, message: Option<&str>) -> SendError {
    match status {
        12 => retryable(format!("viber_{status}: {}", message.unwrap_or("too many requests")), None),
        2 => permanent("token_revoked"),
        5 => permanent("chat_not_found"),
        6 => permanent("blocked_by_user"),
        10 => permanent("webhook_not_set"),
        _ => permanent(format!("viber_{status}")),
    }
}

/// A `message_token` (a 64-bit integer beyond f64's precision) as its exact digits.
fn token_string(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

#[derive(Deserialize)]
struct Callback {
    event: String,
    message_token: Option<Number>,
    timestamp: Option<i64>,
    sender: Option<ViberUser>,
    user: Option<ViberUser>,
    user_id: Option<String>,
    message: Option<ViberMessage>,
    desc: Option<String>,
}

#[derive(Deserialize)]
struct ViberUser {
    id: String,
    name: Option<String>,
    avatar: Option<String>,
}

#[derive(Deserialize)]
struct ViberMessage {
    #[serde(rename = "type")]
    kind: String,
    text: Option<String>,
    media: Option<String>,
    file_name: Option<String>,
    size: Option<u64>,
    contact: Option<Contact>,
}

#[derive(Deserialize)]
struct Contact {
    phone_number: Option<String>,
}

impl ViberUser {
    fn user(self) -> User {
        User { id: self.id, name: self.name, username: None, avatar_url: self.avatar }
    }
}

fn malformed(what: &str) -> WebhookError {
    WebhookError::Malformed(format!("missing field `{what}`"))
}

fn message(token: String, callback: Callback) -> Result<Event, WebhookError> {
    let sender = callback.sender.ok_or_else(|| malformed("sender"))?;
    let message = callback.message.ok_or_else(|| malformed("message"))?;
    let kind = match message.kind.as_str() {
        "picture" => Some(AttachmentKind::Image),
        "file" => Some(AttachmentKind::File),
        "video" => Some(AttachmentKind::Video),
        "sticker" => Some(AttachmentKind::Sticker),
        _ => None,
    };
    let (text, attachments) = match (kind, message.media) {
        (Some(kind), Some(url)) => {
            let attachment = Attachment {
                kind,
                url: Some(url),
                file_id: None,
                name: message.file_name,
                mime: None,
                size: message.size,
            };
            (message.text, vec![attachment])
        }
        // A link the customer shared comes as `media` of a `url` message.
        (None, Some(url)) if message.kind == "url" => (Some(url), Vec::new()),
        _ => (message.text, Vec::new()),
    };
    Ok(Event::Message(Inbound {
        event_id: token,
        chat_id: sender.id.clone(),
        user: sender.user(),
        text: text.filter(|t| !t.is_empty()),
        attachments,
        phone: message.contact.and_then(|c| c.phone_number),
        start: None,
        sent_at: callback.timestamp.map(|ms| ms / 1000),
    }))
}

#[async_trait]
impl Channel for Viber {
    fn kind(&self) -> Kind {
        Kind::Viber
    }

    fn fields(&self) -> &'static [Field] {
        FIELDS
    }

    fn verify(&self, creds: &Credentials, req: &WebhookRequest<'_>) -> Result<(), WebhookError> {
        let token = creds.get(TOKEN).ok_or(WebhookError::Unauthorized)?;
        let received = req.headers.get(SIGNATURE_HEADER).ok_or(WebhookError::Unauthorized)?;
        let received = hex::decode(received.as_bytes()).map_err(|_| WebhookError::Unauthorized)?;
        mac(token, req.body).verify_slice(&received).map_err(|_| WebhookError::Unauthorized)
    }

    fn parse(&self, _creds: &Credentials, req: &WebhookRequest<'_>) -> Result<Parsed, WebhookError> {
        let callback: Callback = api::json(req.body)?;
        let token = callback.message_token.as_ref().map(Number::to_string);
        let token = || token.clone().ok_or_else(|| malformed("message_token"));
        let user_id = || callback.user_id.clone().ok_or_else(|| malformed("user_id"));
        let status = |state| -> Result<Event, WebhookError> {
            let token = token()?;
            Ok(Event::Status(StatusUpdate {
                event_id: format!("{}:{token}", callback.event),
                platform_message_id: token,
                state,
            }))
        };
        let events = match callback.event.as_str() {
            "message" => vec![message(token()?, callback)?],
            "conversation_started" | "subscribed" => {
                let user = callback.user.ok_or_else(|| malformed("user"))?;
                vec![Event::Started { event_id: token()?, chat_id: user.id.clone(), user: user.user() }]
            }
            "unsubscribed" => vec![Event::Unsubscribed { event_id: token()?, user_id: user_id()? }],
            "delivered" => vec![status(DeliveryReport::Delivered)?],
            "seen" => vec![status(DeliveryReport::Read)?],
            "failed" => vec![status(DeliveryReport::Failed(callback.desc.clone().unwrap_or_default()))?],
            _ => Vec::new(),
        };
        Ok(Parsed { reply: Reply::Empty, events })
    }

    async fn connect(&self, creds: &Credentials, webhook_url: &str) -> Result<Connected, SendError> {
        let account = self.method(creds, "get_account_info", json!({})).await?;
        let body = json!({"url": webhook_url, "event_types": EVENT_TYPES, "send_name": true, "send_photo": true});
        self.method(creds, "set_webhook", body).await?;
        Ok(Connected {
            display_name: account.get("name").and_then(Value::as_str).map(str::to_owned),
            webhook_registered: true,
        })
    }

    async fn disconnect(&self, creds: &Credentials) -> Result<(), SendError> {
        self.method(creds, "set_webhook", json!({"url": ""})).await.map(drop)
    }

    async fn send(&self, creds: &Credentials, msg: &Outbound) -> Result<Sent, SendError> {
        let Some(media) = &msg.image_url else {
            return self.send_one(creds, msg, json!({"type": "text", "text": msg.text})).await;
        };
        let fits = msg.text.chars().count() <= PICTURE_TEXT_LIMIT;
        let description = if fits { msg.text.as_str() } else { "" };
        let sent = self.send_one(creds, msg, json!({"type": "picture", "text": description, "media": media})).await?;
        if fits {
            return Ok(sent);
        }
        self.send_one(creds, msg, json!({"type": "text", "text": msg.text})).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Loopback, Sample, creds, only_message};

    const BOT: &str = "4a1b2c3d4e5f6a7b-8c9d0e1f2a3b4c5d-6e7f8a9b0c1d2e3f";
    const USER: &str = "5h2COTj83ZE6IAsIcTEVGw==";

    fn viber(base: &str) -> Viber {
        Viber::new(api::client(), base)
    }

    fn stored() -> Credentials {
        creds(&[(TOKEN, BOT)])
    }

    fn parse(name: &str) -> Vec<Event> {
        let parsed = Sample::load("viber-webhook", name).parse(&viber("http://unused"), &stored());
        assert_eq!(parsed.reply, Reply::Empty);
        parsed.events
    }

    fn message(name: &str) -> Inbound {
        only_message(name, &parse(name))
    }

    fn anna() -> User {
        User {
            id: USER.into(),
            name: Some("Анна".into()),
            username: None,
            avatar_url: Some("https://media-direct.cdn.viber.com/download_photo?dlid=example".into()),
        }
    }

    #[test]
    fn the_signature_is_the_hex_hmac_sha256_of_the_body_keyed_by_the_token() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        for (name, sample) in Sample::all("viber-webhook") {
            let header = sample.headers.get(SIGNATURE_HEADER).unwrap().to_str().unwrap();
            assert_eq!(header, signature(BOT, &sample.body), "{name}");
            viber("http://unused").parse(&stored(), &sample.request()).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn a_wrong_or_missing_signature_is_refused() {
        let channel = viber("http://unused");
        let mut sample = Sample::load("viber-webhook", "message-text");
        let other = creds(&[(TOKEN, "another-token")]);
        assert_eq!(channel.verify(&other, &sample.request()), Err(WebhookError::Unauthorized));
        sample.body.push(b' ');
        assert_eq!(channel.verify(&stored(), &sample.request()), Err(WebhookError::Unauthorized), "the body changed");
        sample.headers.insert(SIGNATURE_HEADER, "not-hex".parse().unwrap());
        assert_eq!(channel.verify(&stored(), &sample.request()), Err(WebhookError::Unauthorized));
        sample.headers.remove(SIGNATURE_HEADER);
        assert_eq!(channel.verify(&stored(), &sample.request()), Err(WebhookError::Unauthorized));
    }

    #[test]
    fn a_text_message_is_keyed_on_its_exact_message_token() {
        let m = message("message-text");
        assert_eq!(m.event_id, "5851650804048782321", "beyond f64's precision, kept digit for digit");
        assert_eq!(m.chat_id, USER);
        assert_eq!(m.user, anna());
        assert_eq!(m.text.as_deref(), Some("Здравствуйте!"));
        assert_eq!(m.sent_at, Some(1795948562));
    }

    #[test]
    fn pictures_files_and_contacts() {
        let picture = message("message-picture");
        assert_eq!(picture.text.as_deref(), Some("фото товара"));
        let [image] = picture.attachments.try_into().unwrap();
        assert_eq!(image.kind, AttachmentKind::Image);
        assert_eq!(
            image.url.as_deref(),
            Some("https://dl-media.viber.com/1/share/2/long/vibes/icon/image/0x0/95e0/example.jpg")
        );
        let file = message("message-file");
        let [doc] = file.attachments.try_into().unwrap();
        assert_eq!((doc.kind, doc.name.as_deref(), doc.size), (AttachmentKind::File, Some("заказ.pdf"), Some(48213)));
        assert_eq!(message("message-contact").phone.as_deref(), Some("+79161234567"));
    }

    #[test]
    fn conversations_subscriptions_and_delivery_reports() {
        assert_eq!(
            parse("conversation-started"),
            vec![Event::Started { event_id: "5851650804048782001".into(), chat_id: USER.into(), user: anna() }]
        );
        assert!(
            matches!(&parse("subscribed")[..], [Event::Started { event_id, .. }] if event_id == "5851650804048782002")
        );
        assert_eq!(
            parse("unsubscribed"),
            vec![Event::Unsubscribed { event_id: "5851650804048782999".into(), user_id: USER.into() }]
        );
        let report = |event: &str, token: &str, state| {
            vec![Event::Status(StatusUpdate {
                event_id: format!("{event}:{token}"),
                platform_message_id: token.into(),
                state,
            })]
        };
        assert_eq!(parse("delivered"), report("delivered", "5466297578174182639", DeliveryReport::Delivered));
        assert_eq!(parse("seen"), report("seen", "5466297578174182639", DeliveryReport::Read));
        assert_eq!(
            parse("failed"),
            report("failed", "5466297578174182640", DeliveryReport::Failed("failure description".into()))
        );
        assert!(parse("webhook").is_empty(), "set_webhook's probe is answered 200 with nothing stored");
    }

    #[test]
    fn a_body_that_is_not_a_callback_is_malformed() {
        let channel = viber("http://unused");
        let headers = http::HeaderMap::new();
        for body in
            ["{", r#"{"timestamp":1}"#, r#"{"event":"message","message_token":1}"#, r#"{"event":"seen","user_id":"u"}"#]
        {
            let req = WebhookRequest { headers: &headers, body: body.as_bytes() };
            assert!(matches!(channel.parse(&stored(), &req), Err(WebhookError::Malformed(_))), "{body}");
        }
    }

    fn ok(token: u64) -> (u16, Value) {
        (
            200,
            json!({"status": 0, "status_message": "ok", "message_token": token, "chat_hostname": "SN-CHAT-05_", "billing_status": 1}),
        )
    }

    fn reply(text: &str, image: Option<&str>, sender: Option<&str>) -> Outbound {
        Outbound {
            chat_id: USER.into(),
            text: text.into(),
            image_url: image.map(str::to_owned),
            key: "msg-7".into(),
            sender_name: sender.map(str::to_owned),
            buttons: Vec::new(),
        }
    }

    #[tokio::test]
    async fn a_reply_is_send_message_with_the_sender_name() {
        let server = Loopback::start(vec![ok(5741311803571721087)]).await;
        let result = viber(&server.base).send(&stored(), &reply("Чем помочь?", None, Some("Ромашка"))).await;
        assert_eq!(result, Ok(Sent { platform_message_id: "5741311803571721087".into() }));
        let [call] = server.received().try_into().unwrap();
        assert_eq!(call.path, "/send_message");
        assert_eq!(call.header(AUTH_HEADER), Some(BOT));
        assert_eq!(call.header("content-type"), Some("application/json"));
        assert_eq!(
            call.json(),
            json!({"receiver": USER, "min_api_version": 1, "sender": {"name": "Ромашка"}, "tracking_data": "msg-7", "type": "text", "text": "Чем помочь?"})
        );
    }

    #[tokio::test]
    async fn a_long_sender_name_is_cut_and_an_image_is_a_picture() {
        let server = Loopback::start(vec![ok(1)]).await;
        let url = "https://cdn.beseda.example/blobs/p/photo.jpg";
        let long = "Интернет-магазин «Ромашка» — цветы";
        viber(&server.base).send(&stored(), &reply("Вот он", Some(url), Some(long))).await.unwrap();
        let [call] = server.received().try_into().unwrap();
        let body = call.json();
        assert_eq!(body["sender"]["name"], long.chars().take(28).collect::<String>());
        assert_eq!(
            (body["type"].as_str(), body["media"].as_str(), body["text"].as_str()),
            (Some("picture"), Some(url), Some("Вот он"))
        );
    }

    async fn failure(status: i64, message: &str) -> SendError {
        let server = Loopback::start(vec![(
            200,
            json!({"status": status, "status_message": message, "chat_hostname": "SN-CHAT-03_"}),
        )])
        .await;
        viber(&server.base).send(&stored(), &reply("hi", None, None)).await.unwrap_err()
    }

    #[tokio::test]
    async fn failures_are_classified() {
        assert!(matches!(failure(12, "Too many requests").await, SendError::Retryable { .. }));
        assert!(matches!(failure(3, "badData").await, SendError::Permanent { .. }));
        let server = Loopback::start(vec![(502, json!(null))]).await;
        assert!(matches!(
            viber(&server.base).send(&stored(), &reply("hi", None, None)).await,
            Err(SendError::Retryable { .. })
        ));
    }

    #[tokio::test]
    async fn connecting_checks_the_token_and_sets_the_webhook() {
        let account = json!({"status": 0, "status_message": "ok", "id": "pa:5213491717193467231", "name": "Ромашка", "uri": "romashka", "subscribers_count": 12});
        let set = json!({"status": 0, "status_message": "ok", "chat_hostname": "SN-CHAT-02_", "event_types": ["subscribed", "unsubscribed", "conversation_started", "delivered", "failed", "message", "seen"]});
        let server =
            Loopback::start(vec![(200, account), (200, set), (200, json!({"status": 0, "status_message": "ok"}))])
                .await;
        let url = "https://beseda.example/webhooks/viber/01936f4e-9b3c-7d4e-8f5a-6b7c8d9e0f1a";
        let channel = viber(&server.base);
        let connected = channel.connect(&stored(), url).await.unwrap();
        assert_eq!(connected, Connected { display_name: Some("Ромашка".into()), webhook_registered: true });
        channel.disconnect(&stored()).await.unwrap();
        let [info, set, unset] = server.received().try_into().unwrap();
        assert_eq!(info.path, "/get_account_info");
        assert_eq!(set.path, "/set_webhook");
        assert_eq!(set.header(AUTH_HEADER), Some(BOT));
        assert_eq!(
            set.json(),
            json!({"url": url, "event_types": ["delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"], "send_name": true, "send_photo": true})
        );
        assert_eq!(unset.json(), json!({"url": ""}));
    }
}
