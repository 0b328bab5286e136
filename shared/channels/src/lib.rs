//! The messenger channels. One [`Channel`] trait says what a platform does for Beseda: check that
//! a webhook request really comes from the platform, parse it into [`Event`]s the dialog domain
//! understands, register the webhook when an integration is enabled, and send an operator's reply,
//! telling a retryable failure from a permanent one. Each platform is one small module; the
//! [`Channels`] registry holds one instance of each, pointed at a base URL from configuration.
//!
//! Nothing here touches storage: the domain stores what [`Channel::parse`] returns, and the
//! outbound delivery consumer calls [`Channel::send`].

mod api;
pub mod telegram;
#[cfg(test)]
mod testing;
pub mod viber;
pub mod vk;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

pub use telegram::Telegram;
pub use viber::Viber;
pub use vk::Vk;

/// A messenger platform Beseda connects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Telegram,
    Vk,
    Viber,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Telegram, Kind::Vk, Kind::Viber];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Telegram => "telegram",
            Kind::Vk => "vk",
            Kind::Viber => "viber",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An integration's settings as the channel needs them, secrets included (decrypted by the
/// domain just before use). Never serialized, and `Debug` prints only the field names.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials(pub BTreeMap<String, String>);

impl Credentials {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str).filter(|v| !v.is_empty())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// A field of an integration's settings form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    /// Stored encrypted, shown masked, never returned in full.
    pub secret: bool,
    pub required: bool,
}

/// An inbound webhook request as the HTTP layer received it.
#[derive(Debug, Clone, Copy)]
pub struct WebhookRequest<'a> {
    pub headers: &'a http::HeaderMap,
    pub body: &'a [u8],
}

/// Why a webhook request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// The signature or secret does not match (401/403, nothing stored).
    #[error("the request is not signed by the platform")]
    Unauthorized,
    /// The body is not what the platform sends (400 with this reason).
    #[error("malformed webhook: {0}")]
    Malformed(String),
}

/// What the webhook answers the platform once the events are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// 200 with an empty body.
    Empty,
    /// 200 with this plain text (VK's `ok` and its confirmation code).
    Text(String),
}

/// A parsed webhook: what to store, and what to answer after storing it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub reply: Reply,
    pub events: Vec<Event>,
}

/// Something the platform told us.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A customer wrote to the business.
    Message(Inbound),
    /// A message we sent was delivered, read or failed.
    Status(StatusUpdate),
    /// The customer opened the conversation or subscribed (Viber `conversation_started`,
    /// `subscribed`); may be answered with a welcome.
    Started { event_id: String, chat_id: String, user: User },
    /// The customer blocked the bot or unsubscribed: replies will fail permanently.
    Unsubscribed { event_id: String, user_id: String },
    /// The customer pressed a button under one of our messages.
    Press(Press),
}

/// A press of a [`Button`] we sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Press {
    /// The platform's own id of this event (Telegram `update_id`): a repeat is the same press.
    pub event_id: String,
    /// The chat the button was in (Telegram chat id, VK peer id, Viber user id).
    pub chat_id: String,
    pub user: User,
    /// The button's data.
    pub data: String,
    /// What the platform wants answered once the press is stored (Telegram's callback query
    /// id), if anything.
    pub ack: Option<String>,
}

/// A customer's message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inbound {
    /// The platform's own id of this event (Telegram `update_id`, VK `event_id`, Viber
    /// `message_token`): a duplicate with the same id is the same message.
    pub event_id: String,
    /// Where replies go (Telegram chat id, VK peer id, Viber user id).
    pub chat_id: String,
    pub user: User,
    pub text: Option<String>,
    pub attachments: Vec<Attachment>,
    /// A phone the customer shared as a contact.
    pub phone: Option<String>,
    /// The payload of a start command or button (`/start <payload>`, VK's Start button).
    pub start: Option<String>,
    /// When the platform says it was sent, in Unix seconds.
    pub sent_at: Option<i64>,
}

/// The customer as the platform describes them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct User {
    pub id: String,
    pub name: Option<String>,
    pub username: Option<String>,
    pub avatar_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    Image,
    File,
    Voice,
    Video,
    Sticker,
}

/// A file in a message: a URL where the platform gives one, or the platform's file id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub kind: AttachmentKind,
    pub url: Option<String>,
    pub file_id: Option<String>,
    pub name: Option<String>,
    pub mime: Option<String>,
    pub size: Option<u64>,
}

/// A delivery report for a message we sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusUpdate {
    pub event_id: String,
    pub platform_message_id: String,
    pub state: DeliveryReport,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryReport {
    Delivered,
    Read,
    Failed(String),
}

/// An operator's reply on its way to the customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbound {
    pub chat_id: String,
    pub text: String,
    pub image_url: Option<String>,
    /// Our message id: a retry of the same message must never send twice (VK `random_id`).
    pub key: String,
    /// The name the platform shows as the sender, where it has one (Viber).
    pub sender_name: Option<String>,
    /// Buttons under the message, in one row; each channel renders them its own way.
    pub buttons: Vec<Button>,
}

/// A button under an outgoing message: its label, and the data a press sends back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub data: String,
}

/// The platform accepted the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub platform_message_id: String,
}

/// Why a send or a setup call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Try again later (network, 5xx, 429 with the platform's `retry_after` in seconds).
    #[error("temporary failure: {reason}")]
    Retryable { reason: String, retry_after: Option<u64> },
    /// Will never succeed: `reason` is a snake_case code (`blocked_by_user`, `chat_not_found`,
    /// `token_revoked`, `bad_request`…).
    #[error("permanent failure: {reason}")]
    Permanent { reason: String },
}

/// What enabling an integration found out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connected {
    /// The bot's or community's name as the platform knows it.
    pub display_name: Option<String>,
    /// Whether we registered the webhook ourselves (Telegram, Viber) or the user pastes the
    /// address (VK).
    pub webhook_registered: bool,
}

/// A messenger platform.
#[async_trait]
pub trait Channel: Send + Sync {
    fn kind(&self) -> Kind;
    /// The settings form of an integration of this platform.
    fn fields(&self) -> &'static [Field];
    /// The secret credentials Beseda generates itself (random, URL-safe, 32+ characters) when
    /// an integration is enabled, rather than the user typing them: Telegram's `secret_token`.
    fn generated(&self) -> &'static [&'static str] {
        &[]
    }
    /// Checks the signature or the secret of a webhook request.
    fn verify(&self, creds: &Credentials, req: &WebhookRequest<'_>) -> Result<(), WebhookError>;
    /// Parses a verified webhook request.
    fn parse(&self, creds: &Credentials, req: &WebhookRequest<'_>) -> Result<Parsed, WebhookError>;
    /// Checks the credentials and registers `webhook_url` where the platform allows it.
    async fn connect(&self, creds: &Credentials, webhook_url: &str) -> Result<Connected, SendError>;
    /// Unregisters the webhook where the platform allows it.
    async fn disconnect(&self, creds: &Credentials) -> Result<(), SendError>;
    /// Sends a reply; returns the platform's message id.
    async fn send(&self, creds: &Credentials, msg: &Outbound) -> Result<Sent, SendError>;
    /// Fills in what a webhook did not say about the customer who wrote (VK's `message_new`
    /// names no one), for the operator's list. Best effort: on any failure the user stays as
    /// the webhook gave it.
    async fn complete(&self, _creds: &Credentials, _user: &mut User) {}
    /// Answers the platform about a stored button press where it expects an answer
    /// (Telegram's `answerCallbackQuery`). Best effort: a failure changes nothing stored.
    async fn acknowledge(&self, _creds: &Credentials, _press: &Press) -> Result<(), SendError> {
        Ok(())
    }
}

/// Where each platform's API lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bases {
    pub telegram: String,
    pub vk: String,
    pub viber: String,
}

impl Default for Bases {
    fn default() -> Self {
        Bases {
            telegram: "https://api.telegram.org".into(),
            vk: "https://api.vk.com/method".into(),
            viber: "https://chatapi.viber.com/pa".into(),
        }
    }
}

impl Bases {
    /// The real hosts, each overridden by `BESEDA_TELEGRAM_API`, `BESEDA_VK_API` and
    /// `BESEDA_VIBER_API` when set (tests and the local runner point them at loopback).
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let default = Bases::default();
        let pick = |name: &str, default: String| lookup(name).filter(|v| !v.trim().is_empty()).unwrap_or(default);
        Bases {
            telegram: pick("BESEDA_TELEGRAM_API", default.telegram),
            vk: pick("BESEDA_VK_API", default.vk),
            viber: pick("BESEDA_VIBER_API", default.viber),
        }
    }
}

/// One instance of every channel, sharing one HTTP client.
pub struct Channels {
    telegram: Telegram,
    vk: Vk,
    viber: Viber,
}

impl Channels {
    pub fn new(bases: Bases) -> Self {
        let client = api::client();
        Channels {
            telegram: Telegram::new(client.clone(), &bases.telegram),
            vk: Vk::new(client.clone(), &bases.vk),
            viber: Viber::new(client, &bases.viber),
        }
    }

    pub fn from_env() -> Self {
        Self::new(Bases::from_env())
    }

    pub fn get(&self, kind: Kind) -> &dyn Channel {
        match kind {
            Kind::Telegram => &self.telegram,
            Kind::Vk => &self.vk,
            Kind::Viber => &self.viber,
        }
    }

    /// The Bot API client, for the team's own Telegram bot.
    pub fn telegram(&self) -> &Telegram {
        &self.telegram
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bases_default_to_the_real_hosts_and_follow_the_environment() {
        assert_eq!(Bases::from_lookup(|_| None), Bases::default());
        let bases = Bases::from_lookup(|name| match name {
            "BESEDA_TELEGRAM_API" => Some("http://127.0.0.1:9000".into()),
            "BESEDA_VK_API" => Some(" ".into()),
            _ => None,
        });
        assert_eq!(bases.telegram, "http://127.0.0.1:9000");
        assert_eq!(bases.vk, "https://api.vk.com/method");
        assert_eq!(bases.viber, "https://chatapi.viber.com/pa");
    }

    #[test]
    fn the_registry_has_every_kind() {
        let channels = Channels::new(Bases::default());
        for kind in Kind::ALL {
            assert_eq!(channels.get(kind).kind(), kind);
            assert!(channels.get(kind).fields().iter().any(|f| f.secret && f.required), "{kind} has a secret");
        }
    }

    #[test]
    fn credentials_never_print_their_values() {
        let creds = Credentials([("token".to_owned(), "123:SECRET".to_owned())].into());
        assert_eq!(format!("{creds:?}"), r#"{"token"}"#);
    }
}
