//! Every key of the single table, in one place. Keys of anything that belongs to a project
//! start with `project#<id>`, so no query of one project can reach another's items.

/// (pk, sk) of an item.
pub type Key = (String, String);

pub fn user(user_id: &str) -> Key {
    (format!("user#{user_id}"), "profile".into())
}

/// The claim on an e-mail address that keeps logins unique.
pub fn email(email: &str) -> Key {
    (format!("email#{email}"), "user".into())
}

pub fn session(token_hash: &str) -> Key {
    (format!("session#{token_hash}"), "session".into())
}

pub fn login_failures(subject: &str) -> Key {
    (format!("loginfail#{subject}"), "window".into())
}

/// The partition that lists users, for the first-start check and the admin CLI.
pub const USERS_INDEX: &str = "users";

/// A single-use ticket that opens one operator socket (`realtime::issue_ticket`).
pub fn socket_ticket(ticket_hash: &str) -> Key {
    (format!("ticket#{ticket_hash}"), "ticket".into())
}

pub fn connection(connection_id: &str) -> Key {
    (format!("conn#{connection_id}"), "conn".into())
}

/// The index partition of a user's open sockets.
pub fn user_connections(user_id: &str) -> String {
    format!("user#{user_id}#conns")
}

/// The index partition of a visitor's open sockets.
pub fn visitor_connections(project_id: &str, visitor_id: &str) -> String {
    format!("project#{project_id}#visitor#{visitor_id}#conns")
}

/// The index partition of the operator sockets that follow a project's dialogs.
pub fn operator_connections(project_id: &str) -> String {
    format!("project#{project_id}#operators#conns")
}

/// A project's own partition (its meta, members, billing, presence, widget settings…).
pub fn project(project_id: &str) -> String {
    format!("project#{project_id}")
}

/// The widget settings of a project.
pub fn widget_settings(project_id: &str) -> Key {
    (project(project_id), "widget".into())
}

/// An operator's online status and schedule in a project.
pub fn presence(project_id: &str, user_id: &str) -> Key {
    (project(project_id), format!("presence#{user_id}"))
}

/// The online-operator set of a project, one item (see `online`).
pub fn online(project_id: &str) -> Key {
    (project(project_id), "online".into())
}

/// The sort-key prefix of the presence items in a project's partition.
pub const PRESENCE_PREFIX: &str = "presence#";

/// The index partition of every operator with a schedule, for the scheduled job.
pub const SCHEDULES: &str = "schedules";

/// The index sort key of an operator's schedule.
pub fn schedule_entry(project_id: &str, user_id: &str) -> String {
    format!("{project_id}#{user_id}")
}

/// An anonymous website visitor.
pub fn visitor(project_id: &str, visitor_id: &str) -> Key {
    (format!("project#{project_id}#visitor#{visitor_id}"), "visitor".into())
}

/// The partition of a dialog: its meta item, its messages and its retry claims.
pub fn dialog(project_id: &str, dialog_id: &str) -> String {
    format!("project#{project_id}#dialog#{dialog_id}")
}

/// The sort key of a dialog's own item.
pub const DIALOG_META: &str = "meta";

/// The sort-key prefix of a dialog's messages; message ids are UUIDv7, so they sort by time.
pub const MESSAGE_PREFIX: &str = "msg#";

pub fn message(message_id: &str) -> String {
    format!("{MESSAGE_PREFIX}{message_id}")
}

/// The claim of a sender's own message id (a retry finds the first message).
pub fn client_claim(client_id: &str) -> String {
    format!("client#{client_id}")
}

/// The claim that an auto-message for a customer's message was sent.
pub fn auto_claim(kind: &str, message_id: &str) -> String {
    format!("auto#{kind}#{message_id}")
}

/// The index partition of a project's open or closed dialogs, sorted by last activity.
pub fn dialogs_index(project_id: &str, status: &str) -> String {
    format!("project#{project_id}#dialogs#{status}")
}

/// The index sort key of a dialog in its folder.
pub fn dialogs_entry(last_at: &chrono::DateTime<chrono::Utc>, dialog_id: &str) -> String {
    format!("{}#{dialog_id}", last_at.to_rfc3339())
}

/// The partition of a contact (a customer): the card and the list of their dialogs.
pub fn contact(project_id: &str, contact_id: &str) -> String {
    format!("project#{project_id}#contact#{contact_id}")
}

/// The sort key of a contact's card.
pub const CONTACT_CARD: &str = "card";

/// The sort-key prefix of a contact's dialogs, oldest first.
pub const CONTACT_DIALOG_PREFIX: &str = "dialog#";

pub fn contact_dialog(created_at: &chrono::DateTime<chrono::Utc>, dialog_id: &str) -> String {
    format!("{CONTACT_DIALOG_PREFIX}{}#{dialog_id}", created_at.to_rfc3339())
}

/// A customer's identity in one messenger (`source` and the platform's user id): which contact
/// it is and their current dialog.
pub fn identity(project_id: &str, source: &str, external_id: &str) -> Key {
    (format!("project#{project_id}#identity#{source}#{external_id}"), "identity".into())
}

/// The claim of a platform event id, so a repeated webhook stores nothing twice.
pub fn event_claim(project_id: &str, integration_id: &str, event_id: &str) -> Key {
    (format!("project#{project_id}#events#{integration_id}"), format!("event#{event_id}"))
}

/// Where an outbound message is found by its platform id, for delivery reports.
pub fn platform_message(project_id: &str, integration_id: &str, platform_id: &str) -> Key {
    (format!("project#{project_id}#sent#{integration_id}"), format!("platform#{platform_id}"))
}

/// The installation's data key, wrapped (`keyring`): the one item outside every project that
/// integration secrets depend on.
pub fn data_key() -> Key {
    ("system#keys".into(), "data-key".into())
}

/// A messenger integration of a project.
pub fn integration(project_id: &str, kind: &str) -> Key {
    (project(project_id), format!("integration#{kind}"))
}

/// The sort-key prefix of a project's integrations.
pub const INTEGRATION_PREFIX: &str = "integration#";

/// The index partition a webhook URL resolves through: the integration id for Telegram and
/// Viber, the community id for VK.
pub fn webhook_route(kind: &str, key: &str) -> String {
    format!("webhook#{kind}#{key}")
}

/// The partition of a project's lead journal.
pub fn journal(project_id: &str) -> String {
    format!("project#{project_id}#journal")
}

/// The claim of a request's source id in the journal.
pub fn journal_source(source_id: &str) -> String {
    format!("source#{source_id}")
}

/// The sort-key prefix of the journal's leads, by time.
pub const LEAD_PREFIX: &str = "lead#";

pub fn lead(at: &chrono::DateTime<chrono::Utc>, lead_id: &str) -> String {
    format!("{LEAD_PREFIX}{}#{lead_id}", at.to_rfc3339())
}

/// When an integration last received a webhook (apart from its settings, so webhooks never
/// contend with the cabinet's writes).
pub fn integration_activity(project_id: &str, kind: &str) -> Key {
    (project(project_id), format!("integration-activity#{kind}"))
}

/// How many times the delivery of an outbound message was tried.
pub fn delivery_attempts(message_id: &str) -> String {
    format!("attempts#{message_id}")
}

/// A project's own item.
pub fn project_meta(project_id: &str) -> Key {
    (project(project_id), "meta".into())
}

/// A member of a project.
pub fn member(project_id: &str, user_id: &str) -> Key {
    (project(project_id), format!("{MEMBER_PREFIX}{user_id}"))
}

/// The sort-key prefix of a project's members.
pub const MEMBER_PREFIX: &str = "member#";

/// The index partition of the projects a user is a member of.
pub fn user_projects(user_id: &str) -> String {
    format!("user#{user_id}#projects")
}

/// The index partition of a user's sessions.
pub fn user_sessions(user_id: &str) -> String {
    format!("user#{user_id}#sessions")
}

/// A project's billing account.
pub fn billing(project_id: &str) -> Key {
    (project(project_id), "billing".into())
}

/// The sort-key prefix of a project's ledger, by time.
pub const LEDGER_PREFIX: &str = "ledger#";

pub fn ledger(at: &chrono::DateTime<chrono::Utc>, entry_id: &str) -> String {
    format!("{LEDGER_PREFIX}{}#{entry_id}", at.to_rfc3339())
}

/// The extra addresses of a project's notifications.
pub fn notify_emails(project_id: &str) -> Key {
    (project(project_id), "notify-emails".into())
}

/// A project's notification settings (§4).
pub fn notify_settings(project_id: &str) -> Key {
    (project(project_id), "notify-settings".into())
}

/// The team's Telegram bot of a project (§4).
pub fn teambot(project_id: &str) -> Key {
    (project(project_id), "teambot".into())
}

/// A one-time code that links a member's Telegram to the team bot, by the code's hash.
pub fn teambot_code(code_hash: &str) -> Key {
    (format!("teambot-code#{code_hash}"), "code".into())
}

/// The sort-key prefix of the members' linked Telegram chats.
pub const TEAMBOT_LINK_PREFIX: &str = "teambot-link#";

/// A member's linked Telegram chat.
pub fn teambot_link(project_id: &str, user_id: &str) -> Key {
    (project(project_id), format!("{TEAMBOT_LINK_PREFIX}{user_id}"))
}

/// Which member a Telegram chat of the team bot is.
pub fn teambot_chat(project_id: &str, chat_id: &str) -> Key {
    (project(project_id), format!("teambot-chat#{chat_id}"))
}

/// The dialog a notification the bot sent is about (a reply to it answers the dialog).
pub fn teambot_message(project_id: &str, chat_id: &str, message_id: &str) -> Key {
    (project(project_id), format!("teambot-msg#{chat_id}#{message_id}"))
}

/// The dialog whose «Ответить» a member pressed last: their next message answers it.
pub fn teambot_pending(project_id: &str, chat_id: &str) -> Key {
    (project(project_id), format!("teambot-reply#{chat_id}"))
}

/// The claim of a team bot update's `update_id`, so a repeated webhook does nothing twice.
pub fn teambot_update(project_id: &str, update_id: i64) -> Key {
    (project(project_id), format!("teambot-update#{update_id}"))
}

/// The sort-key prefix of a project's blacklist entries.
pub const BLACKLIST_PREFIX: &str = "blacklist#";

pub fn blacklist_entry(project_id: &str, entry_id: &str) -> Key {
    (project(project_id), format!("{BLACKLIST_PREFIX}{entry_id}"))
}

/// A password-reset link, by the hash of its token.
pub fn password_reset(token_hash: &str) -> Key {
    (format!("reset#{token_hash}"), "reset".into())
}

/// The sort key, in a socket's partition, of its subscription to a project's dialogs.
pub fn subscription(project_id: &str) -> String {
    format!("sub#{project_id}")
}

/// The claim that a notification job was mailed, by its queue message id.
pub fn notification_delivered(message_id: &str) -> Key {
    (format!("delivered#{message_id}"), "notification".into())
}

/// The index partition of every project, for the jobs that visit each (the statistics mail).
pub const PROJECTS_INDEX: &str = "projects";

/// The partition of a project's statistics facts of one local day (see `statistics`).
pub fn stat_facts(project_id: &str, day: chrono::NaiveDate) -> String {
    format!("project#{project_id}#stat#{day}")
}

/// The partition of a project's folded aggregates, one item per closed local day.
pub fn stat_days(project_id: &str) -> String {
    format!("project#{project_id}#stats")
}

/// The sort key of a day's folded aggregate; days sort by date.
pub fn stat_day(day: chrono::NaiveDate) -> String {
    format!("day#{day}")
}

/// The marker that a day's statistics mail of a project was enqueued.
pub fn stat_mail(project_id: &str, day: chrono::NaiveDate) -> Key {
    (project(project_id), format!("stat-mail#{day}"))
}

/// A dialog's rating (ОКО), in the dialog's partition.
pub fn rating(project_id: &str, dialog_id: &str) -> Key {
    (dialog(project_id, dialog_id), "rating".into())
}

/// The index partition of a project's ratings, sorted by when each was first given, so a
/// period reads only its own ratings.
pub fn ratings_index(project_id: &str) -> String {
    format!("project#{project_id}#ratings")
}

/// A moment as a rating's index sort key starts: fixed width, so keys sort by time.
pub fn rating_moment(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The index sort key of a rating.
pub fn rating_entry(first_at: &chrono::DateTime<chrono::Utc>, dialog_id: &str) -> String {
    format!("{}#{dialog_id}", rating_moment(first_at))
}
