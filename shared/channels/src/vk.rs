//! VK community Callback API: every event is a JSON `{type, group_id, event_id, v, secret?,
//! object}` answered with the plain text `ok` (a `confirmation` with the community's code);
//! the secret key, when set, comes in the body's `secret` field. Replies go through
//! `messages.send` (form-encoded, `access_token` and `v`), whose errors come with HTTP 200 as
//! `{"error":{"error_code","error_msg"}}`.

use crate::api::{self, permanent, required, retryable};
use crate::{
    Attachment, AttachmentKind, Button, Channel, Connected, Credentials, Event, Field, Inbound, Kind, Outbound, Parsed,
    Press, Reply, SendError, Sent, User, WebhookError, WebhookRequest,
};
use async_trait::async_trait;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The community's numeric id (the webhook address carries it).
pub const COMMUNITY_ID: &str = "community_id";
/// The community access key with the messages right.
pub const ACCESS_TOKEN: &str = "access_token";
/// The string the server must answer to the `confirmation` event.
pub const CONFIRMATION_CODE: &str = "confirmation_code";
/// The optional secret key VK puts in every event's `secret` field.
pub const SECRET_KEY: &str = "secret_key";

/// The API version Beseda speaks.
pub const VERSION: &str = "5.199";

const FIELDS: &[Field] = &[
    Field { name: COMMUNITY_ID, secret: false, required: true },
    Field { name: ACCESS_TOKEN, secret: true, required: true },
    Field { name: CONFIRMATION_CODE, secret: false, required: true },
    Field { name: SECRET_KEY, secret: true, required: false },
];

pub struct Vk {
    client: reqwest::Client,
    base: String,
    /// The names and photos `users.get` gave, per community and user, so a customer costs one
    /// lookup per warm process, not one per message.
    people: std::sync::Mutex<std::collections::HashMap<(String, String), User>>,
}

/// How many customers' names a process remembers before it starts over.
const PEOPLE_REMEMBERED: usize = 10_000;

impl Vk {
    pub(crate) fn new(client: reqwest::Client, base: &str) -> Self {
        Vk { client, base: base.trim_end_matches('/').to_owned(), people: Default::default() }
    }

    /// Calls an API method with the community's key and returns its `response`.
    async fn method(&self, creds: &Credentials, method: &str, params: &[(&str, &str)]) -> Result<Value, SendError> {
        let token = required(creds, ACCESS_TOKEN)?;
        let mut form = params.to_vec();
        form.extend([("access_token", token), ("v", VERSION)]);
        let answer = api::call(self.client.post(format!("{}/{method}", self.base)).form(&form)).await?;
        if let Some(response) = answer.body.get("response") {
            return Ok(response.clone());
        }
        match answer.body.pointer("/error/error_code").and_then(Value::as_i64) {
            Some(code) => Err(error(code, answer.body.pointer("/error/error_msg").and_then(Value::as_str))),
            None => Err(answer.unexpected()),
        }
    }
}

/// Maps a VK API error code.
fn error(code: i64, message: Option<&str>) -> SendError {
    match code {
        // Too many requests per second, flood control, internal server error.
        6 | 9 | 10 => retryable(format!("vk_{code}: {}", message.unwrap_or_default()), None),
        // User authorization failed; group authorization failed.
        5 | 27 => permanent("token_revoked"),
        // Access denied (the key lacks the messages right).
        15 => permanent("forbidden"),
        100 => permanent("bad_request"),
        // The user put the community on the blacklist.
        900 => permanent("blocked_by_user"),
        // The user has not allowed the community's messages (or took the permission back).
        901 => permanent("messages_not_allowed"),
        902 => permanent("privacy_settings"),
        914 => permanent("message_too_long"),
        _ => permanent(format!("vk_{code}")),
    }
}

/// An inline keyboard of one row of `text` buttons (at most 5 in a row), as the JSON string
/// `messages.send` takes; a press comes back as `message_new` with our data in the payload.
fn keyboard(buttons: &[Button]) -> String {
    let row: Vec<Value> = buttons
        .iter()
        .take(5)
        .map(|b| {
            let payload = serde_json::json!({ BUTTON: b.data }).to_string();
            serde_json::json!({ "action": { "type": "text", "label": b.label, "payload": payload }, "color": "secondary" })
        })
        .collect();
    serde_json::json!({ "inline": true, "buttons": [row] }).to_string()
}

/// The key of our data in a button's payload.
const BUTTON: &str = "beseda";

/// Our data in the payload of a pressed `text` button, if the message is such a press.
fn pressed(payload: Option<&str>) -> Option<String> {
    let value: Value = serde_json::from_str(payload?).ok()?;
    value.get(BUTTON)?.as_str().map(str::to_owned)
}

/// `random_id` for a reply: a stable hash of our message id, so a retried send of the same
/// message is recognised by VK as the same message and never delivered twice.
pub fn random_id(key: &str) -> i32 {
    let digest = Sha256::digest(key.as_bytes());
    i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) & i32::MAX
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: String,
    group_id: i64,
    event_id: Option<String>,
    secret: Option<String>,
    #[serde(default)]
    object: Value,
}

#[derive(Deserialize)]
struct NewMessage {
    message: VkMessage,
}

#[derive(Deserialize)]
struct VkMessage {
    date: Option<i64>,
    from_id: i64,
    peer_id: i64,
    conversation_message_id: Option<i64>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    attachments: Vec<VkAttachment>,
    payload: Option<String>,
}

#[derive(Deserialize)]
struct VkAttachment {
    #[serde(rename = "type")]
    kind: String,
    photo: Option<Photo>,
    doc: Option<Doc>,
    audio_message: Option<AudioMessage>,
}

#[derive(Deserialize)]
struct Photo {
    sizes: Vec<PhotoSize>,
}

#[derive(Deserialize)]
struct PhotoSize {
    url: String,
    width: u64,
    height: u64,
}

#[derive(Deserialize)]
struct Doc {
    url: Option<String>,
    title: Option<String>,
    size: Option<u64>,
}

#[derive(Deserialize)]
struct AudioMessage {
    link_ogg: Option<String>,
    link_mp3: Option<String>,
}

#[derive(Deserialize)]
struct UserEvent {
    user_id: i64,
}

impl VkAttachment {
    fn attachment(self) -> Option<Attachment> {
        let file = |kind, url, name, size| Attachment { kind, url, file_id: None, name, mime: None, size };
        match self.kind.as_str() {
            "photo" => {
                let largest = self.photo?.sizes.into_iter().max_by_key(|s| s.width * s.height)?;
                Some(file(AttachmentKind::Image, Some(largest.url), None, None))
            }
            "doc" => self.doc.map(|d| file(AttachmentKind::File, d.url, d.title, d.size)),
            "audio_message" => {
                self.audio_message.map(|a| file(AttachmentKind::Voice, a.link_mp3.or(a.link_ogg), None, None))
            }
            _ => None,
        }
    }
}

/// Whether a message payload is the community's «Начать» (Start) button.
fn is_start(payload: Option<&str>) -> bool {
    payload
        .and_then(|p| serde_json::from_str::<Value>(p).ok())
        .is_some_and(|p| p.get("command").and_then(Value::as_str) == Some("start"))
}

fn object<T: for<'de> Deserialize<'de>>(object: Value) -> Result<T, WebhookError> {
    serde_json::from_value(object).map_err(|e| WebhookError::Malformed(format!("object: {e}")))
}

/// The event's own id; payloads of old API versions lack it, so fall back to what identifies
/// the message in its conversation.
fn event_id(envelope_id: Option<String>, message: &VkMessage) -> String {
    envelope_id.unwrap_or_else(|| {
        format!(
            "{}:{}:{}",
            message.peer_id,
            message.conversation_message_id.unwrap_or_default(),
            message.date.unwrap_or_default()
        )
    })
}

#[async_trait]
impl Channel for Vk {
    fn kind(&self) -> Kind {
        Kind::Vk
    }

    fn fields(&self) -> &'static [Field] {
        FIELDS
    }

    fn verify(&self, creds: &Credentials, req: &WebhookRequest<'_>) -> Result<(), WebhookError> {
        let envelope: Envelope = api::json(req.body)?;
        if let Some(community) = creds.get(COMMUNITY_ID)
            && community.trim() != envelope.group_id.to_string()
        {
            return Err(WebhookError::Unauthorized);
        }
        match creds.get(SECRET_KEY) {
            None => Ok(()),
            Some(stored) if api::secret_eq(envelope.secret.unwrap_or_default().as_bytes(), stored.as_bytes()) => Ok(()),
            Some(_) => Err(WebhookError::Unauthorized),
        }
    }

    fn parse(&self, creds: &Credentials, req: &WebhookRequest<'_>) -> Result<Parsed, WebhookError> {
        let envelope: Envelope = api::json(req.body)?;
        let ok = |events| Ok(Parsed { reply: Reply::Text("ok".into()), events });
        match envelope.kind.as_str() {
            "confirmation" => Ok(Parsed {
                reply: Reply::Text(creds.get(CONFIRMATION_CODE).unwrap_or_default().to_owned()),
                events: Vec::new(),
            }),
            "message_new" => {
                let NewMessage { message } = object(envelope.object)?;
                if message.peer_id != message.from_id {
                    // A group chat the community was added to, not a customer's dialog.
                    return ok(Vec::new());
                }
                let start = is_start(message.payload.as_deref());
                let event_id = event_id(envelope.event_id, &message);
                if let Some(data) = pressed(message.payload.as_deref()) {
                    return ok(vec![Event::Press(Press {
                        event_id,
                        chat_id: message.peer_id.to_string(),
                        user: User { id: message.from_id.to_string(), ..User::default() },
                        data,
                        ack: None,
                    })]);
                }
                let text = Some(message.text).filter(|t| !t.is_empty() && !start);
                ok(vec![Event::Message(Inbound {
                    event_id,
                    chat_id: message.peer_id.to_string(),
                    user: User { id: message.from_id.to_string(), ..User::default() },
                    text,
                    attachments: message.attachments.into_iter().filter_map(VkAttachment::attachment).collect(),
                    phone: None,
                    start: start.then(String::new),
                    sent_at: message.date,
                })])
            }
            kind @ ("message_allow" | "message_deny") => {
                let UserEvent { user_id } = object(envelope.object)?;
                let event_id = envelope.event_id.unwrap_or_else(|| format!("{kind}:{user_id}"));
                let user_id = user_id.to_string();
                ok(vec![match kind {
                    "message_allow" => Event::Started {
                        event_id,
                        chat_id: user_id.clone(),
                        user: User { id: user_id, ..User::default() },
                    },
                    _ => Event::Unsubscribed { event_id, user_id },
                }])
            }
            _ => ok(Vec::new()),
        }
    }

    async fn connect(&self, creds: &Credentials, _webhook_url: &str) -> Result<Connected, SendError> {
        let community = required(creds, COMMUNITY_ID)?;
        let response = self.method(creds, "groups.getById", &[("group_id", community)]).await?;
        // 5.199 answers `{"groups":[…],"profiles":[…]}`; versions before it answered the array.
        let groups = response.get("groups").unwrap_or(&response);
        let name = groups.pointer("/0/name").and_then(Value::as_str).map(str::to_owned);
        Ok(Connected { display_name: name, webhook_registered: false })
    }

    async fn disconnect(&self, _creds: &Credentials) -> Result<(), SendError> {
        Ok(())
    }

    async fn complete(&self, creds: &Credentials, user: &mut User) {
        if user.name.is_some() {
            return;
        }
        let key = (creds.get(COMMUNITY_ID).unwrap_or_default().to_owned(), user.id.clone());
        let known = self.people.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
        let found = match known {
            Some(found) => found,
            None => {
                let params = [("user_ids", user.id.as_str()), ("fields", "photo_100,screen_name")];
                let Ok(response) = self.method(creds, "users.get", &params).await else { return };
                let Some(person) = response.get(0) else { return };
                let text = |f: &str| person.get(f).and_then(Value::as_str).filter(|s| !s.is_empty());
                let name = [text("first_name"), text("last_name")].into_iter().flatten().collect::<Vec<_>>().join(" ");
                let found = User {
                    id: user.id.clone(),
                    name: (!name.is_empty()).then_some(name),
                    username: text("screen_name").map(str::to_owned),
                    avatar_url: text("photo_100").map(str::to_owned),
                };
                let mut people = self.people.lock().unwrap_or_else(|e| e.into_inner());
                if people.len() >= PEOPLE_REMEMBERED {
                    people.clear();
                }
                people.insert(key, found.clone());
                found
            }
        };
        user.name = found.name;
        user.username = user.username.take().or(found.username);
        user.avatar_url = user.avatar_url.take().or(found.avatar_url);
    }

    async fn send(&self, creds: &Credentials, msg: &Outbound) -> Result<Sent, SendError> {
        // An image cannot be attached by URL (it must be uploaded to VK first): it goes as a link.
        let text = match &msg.image_url {
            Some(url) if msg.text.is_empty() => url.clone(),
            Some(url) => format!("{}\n{url}", msg.text),
            None => msg.text.clone(),
        };
        let random_id = random_id(&msg.key).to_string();
        let mut params = vec![("peer_id", msg.chat_id.as_str()), ("random_id", &random_id), ("message", &text)];
        let keyboard = keyboard(&msg.buttons);
        if !msg.buttons.is_empty() {
            params.push(("keyboard", &keyboard));
        }
        let response = self.method(creds, "messages.send", &params).await?;
        match response.as_i64() {
            Some(id) => Ok(Sent { platform_message_id: id.to_string() }),
            None => Err(permanent("unexpected_response_no_message_id")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Loopback, Sample, creds, only_message};
    use serde_json::json;

    const KEY: &str = "vk1.a.Gq3UuWqgXkSm1ZcTq0pbtJExampleCommunityKey";

    fn vk(base: &str) -> Vk {
        Vk::new(api::client(), base)
    }

    fn stored() -> Credentials {
        creds(&[
            (COMMUNITY_ID, "229876543"),
            (ACCESS_TOKEN, KEY),
            (CONFIRMATION_CODE, "693d0ba9"),
            (SECRET_KEY, "mYs3cr3tK3y"),
        ])
    }

    fn parse(name: &str) -> Parsed {
        Sample::load("vk-webhook", name).parse(&vk("http://unused"), &stored())
    }

    fn message(name: &str) -> Inbound {
        let parsed = parse(name);
        assert_eq!(parsed.reply, Reply::Text("ok".into()));
        only_message(name, &parsed.events)
    }

    #[test]
    fn every_sample_verifies_and_parses() {
        for (name, sample) in Sample::all("vk-webhook") {
            let channel = vk("http://unused");
            channel.verify(&stored(), &sample.request()).unwrap_or_else(|e| panic!("{name}: {e}"));
            channel.parse(&stored(), &sample.request()).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn a_confirmation_is_answered_with_the_code_only() {
        assert_eq!(parse("confirmation"), Parsed { reply: Reply::Text("693d0ba9".into()), events: vec![] });
    }

    #[test]
    fn a_new_message_is_keyed_on_the_event_id() {
        let m = message("message-new");
        assert_eq!(m.event_id, "6c1ae3c8d8b0e9e8b1f3a8e2d5f4c7a9b0e1d2c3");
        assert_eq!((m.chat_id.as_str(), m.user.id.as_str()), ("123456789", "123456789"));
        assert_eq!(m.text.as_deref(), Some("Здравствуйте! Есть в наличии?"));
        assert_eq!(m.sent_at, Some(1795948561 + 4821));
        assert!(m.attachments.is_empty() && m.start.is_none());
    }

    #[test]
    fn a_photo_is_the_link_to_its_largest_size() {
        let m = message("message-photo");
        assert_eq!(m.text.as_deref(), Some("Вот такой нужен"));
        let [photo] = m.attachments.try_into().unwrap();
        assert_eq!(photo.kind, AttachmentKind::Image);
        assert_eq!(photo.url.as_deref(), Some("https://sun9-15.userapi.com/impg/example/z.jpg"));
    }

    #[test]
    fn the_start_button_is_a_start() {
        let m = message("start");
        assert_eq!(m.start.as_deref(), Some(""));
        assert_eq!(m.text, None, "the button's label is not the customer's words");
    }

    #[test]
    fn denying_messages_is_an_unsubscribe() {
        let parsed = parse("message-deny");
        assert_eq!(parsed.reply, Reply::Text("ok".into()));
        assert_eq!(
            parsed.events,
            vec![Event::Unsubscribed {
                event_id: "8e3c05eafad201a0d315ca04f7169e9bd203f4e5".into(),
                user_id: "123456789".into()
            }]
        );
    }

    #[test]
    fn a_payload_of_an_old_api_version_is_keyed_on_its_conversation_message() {
        let body = r#"{"type":"message_new","group_id":229876543,"object":{"message":{"date":1,"from_id":5,"id":7,"out":0,"peer_id":5,"text":"hi","conversation_message_id":3}}}"#;
        let headers = http::HeaderMap::new();
        let req = WebhookRequest { headers: &headers, body: body.as_bytes() };
        let channel = vk("http://unused");
        let without_secret = creds(&[(COMMUNITY_ID, "229876543"), (CONFIRMATION_CODE, "693d0ba9")]);
        channel.verify(&without_secret, &req).unwrap();
        let parsed = channel.parse(&without_secret, &req).unwrap();
        assert!(matches!(&parsed.events[..], [Event::Message(m)] if m.event_id == "5:3:1"));
    }

    #[test]
    fn other_events_and_group_chats_are_answered_ok_and_store_nothing() {
        let channel = vk("http://unused");
        let headers = http::HeaderMap::new();
        for body in [
            r#"{"type":"message_reply","group_id":229876543,"event_id":"e1","v":"5.199","object":{"id":1},"secret":"mYs3cr3tK3y"}"#,
            r#"{"type":"message_new","group_id":229876543,"event_id":"e2","v":"5.199","object":{"message":{"date":1,"from_id":5,"id":0,"out":0,"peer_id":2000000001,"text":"hi","conversation_message_id":3}},"secret":"mYs3cr3tK3y"}"#,
        ] {
            let parsed =
                channel.parse(&stored(), &WebhookRequest { headers: &headers, body: body.as_bytes() }).unwrap();
            assert_eq!(parsed, Parsed { reply: Reply::Text("ok".into()), events: vec![] }, "{body}");
        }
    }

    #[test]
    fn a_wrong_secret_or_community_is_refused() {
        let channel = vk("http://unused");
        let sample = Sample::load("vk-webhook", "message-new");
        let other_secret = creds(&[(COMMUNITY_ID, "229876543"), (SECRET_KEY, "another")]);
        assert_eq!(channel.verify(&other_secret, &sample.request()), Err(WebhookError::Unauthorized));
        let other_community = creds(&[(COMMUNITY_ID, "1"), (SECRET_KEY, "mYs3cr3tK3y")]);
        assert_eq!(channel.verify(&other_community, &sample.request()), Err(WebhookError::Unauthorized));
        let body = r#"{"type":"message_new","group_id":229876543,"event_id":"e","v":"5.199","object":{}}"#;
        let headers = http::HeaderMap::new();
        let req = WebhookRequest { headers: &headers, body: body.as_bytes() };
        assert_eq!(channel.verify(&stored(), &req), Err(WebhookError::Unauthorized), "a secret is set but none came");
    }

    #[test]
    fn a_body_that_is_not_an_event_is_malformed() {
        let channel = vk("http://unused");
        let headers = http::HeaderMap::new();
        for body in [
            "ok",
            r#"{"type":"message_new"}"#,
            r#"{"type":"message_new","group_id":229876543,"object":{"message":{"text":"x"}}}"#,
        ] {
            let req = WebhookRequest { headers: &headers, body: body.as_bytes() };
            assert!(matches!(channel.parse(&stored(), &req), Err(WebhookError::Malformed(_))), "{body}");
        }
    }

    #[test]
    fn the_random_id_is_stable_per_message_and_positive() {
        assert_eq!(random_id("msg-1"), random_id("msg-1"));
        assert_ne!(random_id("msg-1"), random_id("msg-2"));
        assert!((0..1000).all(|i| random_id(&format!("m{i}")) >= 0));
    }

    fn reply(text: &str, image: Option<&str>) -> Outbound {
        Outbound {
            chat_id: "123456789".into(),
            text: text.into(),
            image_url: image.map(str::to_owned),
            key: "01936f50-0000-7000-8000-000000000001".into(),
            sender_name: None,
            buttons: Vec::new(),
        }
    }

    #[tokio::test]
    async fn a_reply_is_messages_send_with_a_random_id_from_our_message_id() {
        let server = Loopback::start(vec![(200, json!({"response": 4823}))]).await;
        let msg = reply("Да, есть", None);
        assert_eq!(vk(&server.base).send(&stored(), &msg).await, Ok(Sent { platform_message_id: "4823".into() }));
        // The retry of the same message carries the same random_id.
        vk(&server.base).send(&stored(), &msg).await.unwrap();
        let [first, retry] = server.received().try_into().unwrap();
        assert_eq!(first.method, "POST");
        assert_eq!(first.path, "/messages.send");
        assert_eq!(first.header("content-type"), Some("application/x-www-form-urlencoded"));
        let expected: Vec<(String, String)> = [
            ("peer_id", "123456789"),
            ("random_id", &random_id(&msg.key).to_string()),
            ("message", "Да, есть"),
            ("access_token", KEY),
            ("v", "5.199"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(first.form(), expected);
        assert_eq!(retry.form(), expected);
    }

    #[tokio::test]
    async fn buttons_are_an_inline_keyboard_of_text_buttons_and_a_press_comes_back_with_the_payload() {
        let server = Loopback::start(vec![(200, json!({"response": 4830}))]).await;
        let mut msg = reply("Оцените", None);
        msg.buttons = vec![Button { label: "★".into(), data: "rate:d1:1".into() }];
        vk(&server.base).send(&stored(), &msg).await.unwrap();
        let [call] = server.received().try_into().unwrap();
        let keyboard = call.form().into_iter().find(|(k, _)| k == "keyboard").expect("a keyboard").1;
        let keyboard: Value = serde_json::from_str(&keyboard).unwrap();
        assert_eq!(keyboard["inline"], true);
        let button = &keyboard["buttons"][0][0]["action"];
        assert_eq!((button["type"].as_str(), button["label"].as_str()), (Some("text"), Some("★")));
        let payload = button["payload"].as_str().unwrap().to_owned();

        // VK sends the press as the customer's message with the button's payload.
        let body = json!({"type": "message_new", "group_id": 229876543, "event_id": "e0d1", "v": "5.199", "secret": "mYs3cr3tK3y",
            "object": {"message": {"date": 1, "from_id": 123456789, "peer_id": 123456789, "id": 77, "text": "★", "payload": payload}}})
        .to_string();
        let headers = http::HeaderMap::new();
        let parsed =
            vk("http://unused").parse(&stored(), &WebhookRequest { headers: &headers, body: body.as_bytes() }).unwrap();
        let [Event::Press(press)] = parsed.events.as_slice() else { panic!("{:?}", parsed.events) };
        assert_eq!((press.chat_id.as_str(), press.data.as_str(), press.ack.clone()), ("123456789", "rate:d1:1", None));
        assert_eq!(pressed(Some(r#"{"command":"start"}"#)), None, "the Start button is not a press");
    }

    #[tokio::test]
    async fn an_image_goes_as_a_link_after_the_text() {
        let server = Loopback::start(vec![(200, json!({"response": 4824}))]).await;
        let url = "https://cdn.beseda.example/blobs/p/photo.jpg";
        vk(&server.base).send(&stored(), &reply("Вот он", Some(url))).await.unwrap();
        let [call] = server.received().try_into().unwrap();
        assert!(call.form().contains(&("message".into(), format!("Вот он\n{url}"))));
    }

    async fn failure(code: i64, message: &str) -> SendError {
        let error = json!({"error": {"error_code": code, "error_msg": message, "request_params": [{"key": "method", "value": "messages.send"}, {"key": "v", "value": "5.199"}]}});
        let server = Loopback::start(vec![(200, error)]).await;
        vk(&server.base).send(&stored(), &reply("hi", None)).await.unwrap_err()
    }

    #[tokio::test]
    async fn api_errors_are_classified() {
        assert_eq!(
            failure(901, "Can't send messages for users without permission").await,
            permanent("messages_not_allowed")
        );
        assert_eq!(failure(900, "Can't send messages for users from blacklist").await, permanent("blocked_by_user"));
        assert_eq!(
            failure(5, "User authorization failed: invalid access_token (4).").await,
            permanent("token_revoked")
        );
        assert_eq!(
            failure(100, "One of the parameters specified was missing or invalid").await,
            permanent("bad_request")
        );
        for code in [6, 9, 10] {
            assert!(
                matches!(failure(code, "Too many requests per second").await, SendError::Retryable { .. }),
                "{code}"
            );
        }
        let server = Loopback::start(vec![(503, json!(null))]).await;
        let error = vk(&server.base).send(&stored(), &reply("hi", None)).await.unwrap_err();
        assert!(matches!(error, SendError::Retryable { .. }));
    }

    #[tokio::test]
    async fn a_customer_is_named_by_users_get_once_per_process() {
        let person = json!({"response": [{"id": 123456789, "first_name": "Иван", "last_name": "Петров", "photo_100": "https://sun.userapi.com/photo.jpg", "screen_name": "ivan", "can_access_closed": true, "is_closed": false}]});
        let server = Loopback::start(vec![(200, person)]).await;
        let channel = vk(&server.base);
        for _ in 0..2 {
            let mut user = User { id: "123456789".into(), ..Default::default() };
            channel.complete(&stored(), &mut user).await;
            assert_eq!(user.name.as_deref(), Some("Иван Петров"));
            assert_eq!(user.avatar_url.as_deref(), Some("https://sun.userapi.com/photo.jpg"));
        }
        let [call] = server.received().try_into().unwrap();
        assert_eq!(call.path, "/users.get");
        assert!(call.form().contains(&("user_ids".into(), "123456789".into())));
        let down = Loopback::start(vec![(503, json!(null))]).await;
        let mut user = User { id: "1".into(), ..Default::default() };
        vk(&down.base).complete(&stored(), &mut user).await;
        assert_eq!(user.name, None, "a failed lookup leaves the customer unnamed");
    }

    #[tokio::test]
    async fn connecting_checks_the_key_on_the_community() {
        let groups = json!({"response": {"groups": [{"id": 229876543, "name": "Ромашка", "screen_name": "romashka", "is_closed": 0, "type": "group"}], "profiles": []}});
        let server = Loopback::start(vec![(200, groups)]).await;
        let connected =
            vk(&server.base).connect(&stored(), "https://beseda.example/mp/webhooks/vk/229876543").await.unwrap();
        assert_eq!(connected, Connected { display_name: Some("Ромашка".into()), webhook_registered: false });
        let [call] = server.received().try_into().unwrap();
        assert_eq!(call.path, "/groups.getById");
        assert!(call.form().contains(&("group_id".into(), "229876543".into())));
        assert!(call.form().contains(&("access_token".into(), KEY.into())));
    }
}
