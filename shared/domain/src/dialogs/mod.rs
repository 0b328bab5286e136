//! Dialogs (PRODUCT.md §8, §10, §12): every customer's conversation with the business,
//! whatever the source — the website chat, the widget's requests, Telegram, VK, Viber. One
//! inbound path stores a customer's message; the operator's side reads, replies, closes and
//! reopens; a messenger reply leaves through the `deliveries` queue; the chat's timers send
//! auto-messages. Every message is stored before anyone is told of it, and a retry (the same
//! client id or platform event id) never makes a second message.

pub mod contacts;
pub mod delivery;
mod inbound;
pub mod messenger;
pub mod model;
pub mod operator;
pub mod presence;
pub mod request_card;
pub mod requests;
pub mod site;
pub mod store;
pub mod timers;

pub use model::{
    Attachment, Button, ContactChange, Delivery, Dialog, From, Kind, MAX_TEXT, Message, MessengerChat, Source, Status,
};
pub use operator::{
    Folder, history, list, list_page, older_messages, open_for_operator, operator_typing, reply, send_again,
    set_status, take,
};
pub use presence::{
    Operator, Presence, apply_schedules, display_name, first_online_operator, operators, presence, set_presence,
    set_schedule,
};
pub use request_card::{Labelled, RequestCard};
pub use requests::{FormValues, submit_callback, submit_form};
pub use site::{
    PublicConfig, Visitor, VisitorMessage, create_visitor, public_config, save_settings, send_from_visitor,
    set_contact, settings, visitor_from_token, visitor_read, visitor_typing, visitor_view,
};
pub use store::{dialog, messages};
pub use timers::{Timer, fire};

#[cfg(test)]
pub(crate) mod tests;
