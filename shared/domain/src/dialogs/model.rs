//! The dialog and its messages as plain data, and the rules of how they change: a customer's
//! message arrives, an operator reads and replies, the dialog closes and reopens, an outbound
//! message's delivery advances, an auto-message falls due. No I/O here.

use super::request_card::RequestCard;
use crate::accounts::Language;
use crate::widget::{self, ContactRequest};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The longest message, in characters.
pub const MAX_TEXT: usize = 4000;

/// Where a customer's request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The chat of the website widget.
    Chat,
    /// The widget's request form.
    Form,
    /// The widget's callback request.
    Callback,
    Telegram,
    Vk,
    Viber,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Chat => "chat",
            Source::Form => "form",
            Source::Callback => "callback",
            Source::Telegram => "telegram",
            Source::Vk => "vk",
            Source::Viber => "viber",
        }
    }

    /// The messenger behind the source, if it is one.
    pub fn messenger(self) -> Option<beseda_channels::Kind> {
        match self {
            Source::Telegram => Some(beseda_channels::Kind::Telegram),
            Source::Vk => Some(beseda_channels::Kind::Vk),
            Source::Viber => Some(beseda_channels::Kind::Viber),
            Source::Chat | Source::Form | Source::Callback => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }
}

/// The side a message is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum From {
    Visitor,
    Operator,
    System,
}

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The customer wrote it.
    Visitor,
    /// An operator answered.
    Operator,
    /// The chat's welcome message the visitor answered.
    Welcome,
    /// An auto-message («not read in 15 s», «not answered»).
    AutoMessage,
    /// The lead catcher that opened the chat.
    Hook,
    /// A request form or callback request of the customer, shown in the feed.
    Request,
    /// Anything else the product says.
    System,
}

impl Kind {
    pub fn side(self) -> From {
        match self {
            Kind::Visitor | Kind::Request => From::Visitor,
            Kind::Operator => From::Operator,
            Kind::Welcome | Kind::AutoMessage | Kind::Hook | Kind::System => From::System,
        }
    }
}

/// How far an outbound message got to a messenger customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Delivery {
    /// Waiting on the `deliveries` queue.
    Queued,
    /// The platform accepted it.
    Sent,
    /// The platform reports it reached the customer.
    Delivered,
    /// The customer read it.
    Read,
    /// It will not arrive; `reason` is the platform's (`blocked_by_user`, `chat_not_found`…).
    Failed { reason: String },
}

impl Delivery {
    fn rank(&self) -> u8 {
        match self {
            Delivery::Queued => 0,
            Delivery::Sent => 1,
            Delivery::Delivered => 2,
            Delivery::Read => 3,
            Delivery::Failed { .. } => 4,
        }
    }

    /// The state after a report: a delivery only moves forward (a late "delivered" does not
    /// undo "read"), a failure is final until the message is sent again.
    pub fn advance(&self, next: Delivery) -> Delivery {
        match self {
            Delivery::Failed { .. } => self.clone(),
            _ if next.rank() > self.rank() => next,
            _ => self.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Message {
    pub id: String,
    /// The dialog the message belongs to (the history of a customer spans several).
    #[serde(default)]
    pub dialog_id: String,
    pub kind: Kind,
    pub from: From,
    pub author: Option<String>,
    pub text: String,
    pub at: DateTime<Utc>,
    /// For a visitor's message: an operator read it; for an operator's: the visitor did.
    #[serde(default)]
    pub read: bool,
    pub contact_request: Option<ContactRequest>,
    /// The sender's own id of the message, echoed so a client can match its pending copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// An operator's message to a messenger: how far it got.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    /// The platform's id of the message (inbound or sent), where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_id: Option<String>,
    /// Files of a messenger message: links or the platform's file ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// A request's fields, for a [`Kind::Request`] message; `text` is them in Russian.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestCard>,
    /// Buttons the customer may press under a message to a messenger (the rating's stars).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
}

/// A button under an outgoing messenger message: what it says and what pressing it sends
/// back to the webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Button {
    pub label: String,
    pub data: String,
}

/// A file in a messenger message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Attachment {
    pub kind: String,
    pub url: Option<String>,
    pub name: Option<String>,
}

impl Message {
    pub fn new(id: String, dialog_id: &str, kind: Kind, text: String, at: DateTime<Utc>) -> Self {
        Message {
            id,
            dialog_id: dialog_id.to_owned(),
            kind,
            from: kind.side(),
            author: None,
            text,
            at,
            read: false,
            contact_request: None,
            client_id: None,
            delivery: None,
            platform_id: None,
            attachments: Vec::new(),
            buttons: Vec::new(),
            request: None,
        }
    }

    /// The customer's request form or callback request in their dialog.
    pub fn request(id: String, card: RequestCard, at: DateTime<Utc>) -> Self {
        let text = card.describe(Language::Ru);
        Message { request: Some(card), ..Message::new(id, "", Kind::Request, text, at) }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Dialog {
    pub id: String,
    pub project_id: String,
    /// The customer: a site visitor's id, or the contact id of a messenger customer.
    pub visitor_id: String,
    /// Where the customer wrote from (`channel` in the API, as the journal names it).
    #[serde(rename = "channel")]
    pub source: Source,
    pub status: Status,
    pub assignee: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
    pub last_text: String,
    /// Customer messages no operator has read yet.
    pub unread: u32,
    pub operator_read_up_to: Option<String>,
    pub visitor_read_up_to: Option<String>,
    pub operator_replied: bool,
    /// When an operator first answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_reply_at: Option<DateTime<Utc>>,
    pub pending_contact_request: Option<ContactRequest>,
    /// The contact card: name, phone, e-mail and the fields of contact requests.
    pub contact: BTreeMap<String, String>,
    /// Values the customer replaced with newer ones, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact_history: Vec<ContactChange>,
    pub page_url: Option<String>,
    pub ip: Option<String>,
    /// A messenger dialog: where replies go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<MessengerChat>,
    /// The dialog before this one of the same customer, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_dialog_id: Option<String>,
    /// The customer's rating of the service (ОКО), 1–5, once given.
    #[serde(default)]
    pub rating: Option<u8>,
    /// When the customer's wait for an answer began: their first message after the last
    /// operator's answer; none while nobody waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_since: Option<DateTime<Utc>>,
}

/// A contact card value that a newer one replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ContactChange {
    pub field: String,
    pub value: String,
    /// When the newer value came.
    pub replaced_at: DateTime<Utc>,
}

/// The most replaced values a card keeps.
pub const CONTACT_HISTORY: usize = 20;

/// Where a messenger dialog's replies go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MessengerChat {
    pub integration_id: String,
    pub chat_id: String,
    /// The customer's name and username as the platform shows them.
    pub name: Option<String>,
    pub username: Option<String>,
    pub avatar_url: Option<String>,
}

impl Dialog {
    /// A new open dialog of a customer, with nothing in it yet.
    pub fn new(id: String, project_id: &str, visitor_id: &str, source: Source, now: DateTime<Utc>) -> Self {
        Dialog {
            id,
            project_id: project_id.to_owned(),
            visitor_id: visitor_id.to_owned(),
            source,
            status: Status::Open,
            assignee: None,
            created_at: now,
            last_at: now,
            last_text: String::new(),
            unread: 0,
            operator_read_up_to: None,
            visitor_read_up_to: None,
            operator_replied: false,
            first_reply_at: None,
            pending_contact_request: None,
            contact: BTreeMap::new(),
            contact_history: Vec::new(),
            page_url: None,
            ip: None,
            chat: None,
            previous_dialog_id: None,
            rating: None,
            waiting_since: None,
        }
    }

    /// A customer's message arrived: it is the newest, and unread. True when it begins a wait
    /// for an answer (nothing of the customer's was waiting), which is when the "unanswered"
    /// notification is armed: one per wait, not one per message.
    pub fn receive(&mut self, m: &Message) -> bool {
        self.last_at = m.at;
        self.last_text = preview(&m.text);
        self.unread += 1;
        let begins = self.waiting_since.is_none();
        self.waiting_since.get_or_insert(m.at);
        begins
    }

    /// An operator answered: the dialog becomes theirs if nobody had it.
    pub fn reply(&mut self, operator_id: &str, m: &Message) {
        self.assignee.get_or_insert_with(|| operator_id.to_owned());
        self.operator_replied = true;
        self.first_reply_at.get_or_insert(m.at);
        self.waiting_since = None;
        self.unread = 0;
        self.last_at = m.at;
        self.last_text = preview(&m.text);
    }

    /// An operator read the customer's messages up to this one. False when nothing changed.
    pub fn read_by_operator(&mut self, up_to: Option<&str>) -> bool {
        if self.unread == 0 {
            return false;
        }
        self.unread = 0;
        self.operator_read_up_to = up_to.map(str::to_owned);
        true
    }

    /// Closes or reopens. False when it already was so.
    pub fn set_status(&mut self, status: Status) -> bool {
        let changed = self.status != status;
        self.status = status;
        changed
    }

    /// Fills empty fields of the contact card; what the customer or an operator set stays.
    pub fn fill_contact(&mut self, values: impl IntoIterator<Item = (String, String)>) {
        for (k, v) in values {
            self.contact.entry(k).or_insert(v);
        }
    }

    /// Sets what the customer gave themselves (a request form, an answered contact request):
    /// the newest value is the card's, the one it replaces goes to the history.
    pub fn update_contact(&mut self, values: impl IntoIterator<Item = (String, String)>, at: DateTime<Utc>) {
        for (field, value) in values {
            match self.contact.insert(field.clone(), value.clone()) {
                Some(old) if old != value => {
                    self.contact_history.push(ContactChange { field, value: old, replaced_at: at });
                }
                _ => {}
            }
        }
        let over = self.contact_history.len().saturating_sub(CONTACT_HISTORY);
        self.contact_history.drain(..over);
    }

    /// A required field of the pending contact request that is still empty.
    pub fn missing_contact(&self) -> Option<String> {
        self.pending_contact_request
            .as_ref()?
            .fields
            .iter()
            .find(|f| f.required && !self.contact.contains_key(&f.field))
            .map(|f| f.field.clone())
    }

    /// Whether the customer is to be asked for a rating: an operator answered, the dialog is
    /// closed and not rated yet.
    pub fn awaits_rating(&self) -> bool {
        self.status == Status::Closed && self.operator_replied && self.rating.is_none()
    }

    /// Whether a messenger reply goes through the `deliveries` queue.
    pub fn is_messenger(&self) -> bool {
        self.chat.is_some()
    }
}

/// What the dialog list shows of a message.
pub fn preview(text: &str) -> String {
    text.chars().take(200).collect()
}

/// Sets each message's `read` from the dialog's read marks.
pub fn mark_read(msgs: &mut [Message], d: &Dialog) {
    for m in msgs.iter_mut().filter(|m| m.dialog_id == d.id || m.dialog_id.is_empty()) {
        let up_to = match m.from {
            From::Visitor => d.operator_read_up_to.as_deref(),
            From::Operator | From::System => d.visitor_read_up_to.as_deref(),
        };
        m.read = up_to.is_some_and(|u| m.id.as_str() <= u);
    }
}

/// The auto-messages of the chat (§8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Auto {
    /// No operator has read the customer's message in time.
    Unread,
    /// An operator read it but nobody answered in time.
    Unanswered,
}

impl Auto {
    pub fn as_str(self) -> &'static str {
        match self {
            Auto::Unread => "unread",
            Auto::Unanswered => "unanswered",
        }
    }

    pub fn settings(self, chat: &widget::ChatTab) -> &widget::AutoMessage {
        match self {
            Auto::Unread => &chat.unread,
            Auto::Unanswered => &chat.unanswered,
        }
    }

    /// Whether the auto-message for the customer's message `message_id` is due, given the
    /// messages written after it.
    pub fn is_due(self, chat: &widget::ChatTab, d: &Dialog, message_id: &str, later: &[Message]) -> bool {
        let answered = later.iter().any(|m| m.from == From::Operator);
        let read = d.operator_read_up_to.as_deref().is_some_and(|r| r >= message_id);
        d.status == Status::Open
            && self.settings(chat).enabled
            && !answered
            && !(chat.no_auto_after_reply && d.operator_replied)
            && match self {
                Auto::Unread => !read,
                Auto::Unanswered => read,
            }
    }

    /// Whether to arm this auto-message's timer now.
    pub fn armed(self, chat: &widget::ChatTab, d: &Dialog) -> bool {
        self.settings(chat).enabled && !(chat.no_auto_after_reply && d.operator_replied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 9, min, 0).unwrap()
    }

    fn dialog() -> Dialog {
        Dialog::new("d1".into(), "p1", "v1", Source::Chat, at(0))
    }

    #[test]
    fn receive_then_reply_then_close_and_reopen() {
        let mut d = dialog();
        let m = Message::new("m1".into(), "d1", Kind::Visitor, "Здравствуйте".into(), at(1));
        d.receive(&m);
        d.receive(&Message::new("m2".into(), "d1", Kind::Visitor, "Алло".into(), at(2)));
        assert_eq!((d.unread, d.last_text.as_str(), d.last_at), (2, "Алло", at(2)));
        assert!(d.read_by_operator(Some("m2")));
        assert!(!d.read_by_operator(Some("m2")), "nothing more to read");
        let r = Message::new("m3".into(), "d1", Kind::Operator, "Добрый день".into(), at(3));
        d.reply("op1", &r);
        d.reply("op2", &r);
        assert_eq!(d.assignee.as_deref(), Some("op1"), "the first to answer keeps it");
        assert_eq!(d.first_reply_at, Some(at(3)), "the first reply's time is kept");
        assert!(d.operator_replied);
        assert!(d.set_status(Status::Closed));
        assert!(!d.set_status(Status::Closed));
        assert!(d.set_status(Status::Open));
    }

    #[test]
    fn kinds_have_sides_and_long_texts_are_cut_in_the_list() {
        assert_eq!(Kind::Request.side(), From::Visitor);
        assert_eq!(Kind::Welcome.side(), From::System);
        assert_eq!(Kind::Operator.side(), From::Operator);
        let mut d = dialog();
        d.receive(&Message::new("m1".into(), "d1", Kind::Visitor, "я".repeat(300), at(1)));
        assert_eq!(d.last_text.chars().count(), 200);
    }

    #[test]
    fn delivery_only_moves_forward_and_a_failure_is_final() {
        let sent = Delivery::Queued.advance(Delivery::Sent);
        assert_eq!(sent, Delivery::Sent);
        assert_eq!(Delivery::Read.advance(Delivery::Delivered), Delivery::Read);
        let failed = sent.advance(Delivery::Failed { reason: "blocked_by_user".into() });
        assert_eq!(failed.advance(Delivery::Read), failed);
    }

    #[test]
    fn the_contact_card_keeps_what_was_set() {
        let mut d = dialog();
        d.contact.insert("phone".into(), "+79123456789".into());
        d.fill_contact([("phone".into(), "+79990001122".into()), ("email".into(), "a@b.ru".into())]);
        assert_eq!(d.contact["phone"], "+79123456789");
        assert_eq!(d.contact["email"], "a@b.ru");
        let later = d.created_at + chrono::Duration::minutes(5);
        d.update_contact([("phone".into(), "+79990001122".into()), ("email".into(), "a@b.ru".into())], later);
        assert_eq!(d.contact["phone"], "+79990001122", "what the customer gave last is the card's");
        assert_eq!(
            d.contact_history,
            vec![ContactChange { field: "phone".into(), value: "+79123456789".into(), replaced_at: later }],
            "the old phone is kept, the unchanged e-mail is not repeated"
        );
        for i in 0..30 {
            d.update_contact([("name".into(), format!("Имя {i}"))], later);
        }
        assert_eq!(d.contact_history.len(), CONTACT_HISTORY);
        assert_eq!(d.contact_history.last().unwrap().value, "Имя 28");
        d.pending_contact_request =
            Some(ContactRequest { fields: vec![widget::RequestedField { field: "inn".into(), required: true }] });
        assert_eq!(d.missing_contact().as_deref(), Some("inn"));
        d.contact.insert("inn".into(), "7707083893".into());
        assert_eq!(d.missing_contact(), None);
    }

    #[test]
    fn which_auto_message_is_due() {
        let chat = widget::Settings::default().chat;
        let mut d = dialog();
        d.receive(&Message::new("m1".into(), "d1", Kind::Visitor, "Алло".into(), at(1)));
        assert!(Auto::Unread.is_due(&chat, &d, "m1", &[]));
        assert!(!Auto::Unanswered.is_due(&chat, &d, "m1", &[]), "not read yet");
        d.read_by_operator(Some("m1"));
        assert!(!Auto::Unread.is_due(&chat, &d, "m1", &[]));
        assert_eq!(Auto::Unanswered.is_due(&chat, &d, "m1", &[]), chat.unanswered.enabled);
        let answer = Message::new("m2".into(), "d1", Kind::Operator, "Да".into(), at(2));
        assert!(!Auto::Unanswered.is_due(&chat, &d, "m1", &[answer]), "answered");
        d.set_status(Status::Closed);
        assert!(!Auto::Unanswered.is_due(&chat, &d, "m1", &[]), "closed");
    }

    #[test]
    fn read_marks_follow_the_dialog() {
        let mut d = dialog();
        let mut msgs = vec![
            Message::new("m1".into(), "d1", Kind::Visitor, "a".into(), at(1)),
            Message::new("m2".into(), "d1", Kind::Operator, "b".into(), at(2)),
        ];
        d.operator_read_up_to = Some("m1".into());
        mark_read(&mut msgs, &d);
        assert!(msgs[0].read && !msgs[1].read);
    }
}
