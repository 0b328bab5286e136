//! Notifications (PRODUCT.md §4): the jobs that go through the `notifications` queue, the
//! service mails they render to, and their delivery, once per queue message.

use crate::accounts::{self, Language, LinkPurpose};
use crate::dialogs::RequestCard;
use crate::teambot::BotApi;
use crate::{App, Error, Result, keys};
use beseda_ports::Mail;
use beseda_ports::queue::NOTIFICATIONS;
use beseda_ports::table::{Condition, Item};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use utoipa::ToSchema;

/// The four notification groups of §4, switched per member and per extra e-mail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Groups {
    /// 1. Услуги и документы: a service connected, renewed or disconnected.
    pub services: bool,
    /// 2. Обращения клиентов: new request, unanswered chat, missed call.
    pub requests: bool,
    /// 3. Статистика: the daily digest.
    pub statistics: bool,
    /// 4. Обновления и акции.
    pub news: bool,
}

impl Groups {
    /// The administrator hears about services by default.
    pub fn admin_default() -> Self {
        Self { services: true, requests: true, ..Self::default() }
    }

    pub fn member_default() -> Self {
        Self { requests: true, ..Self::default() }
    }

    pub fn has(&self, group: Group) -> bool {
        match group {
            Group::Services => self.services,
            Group::Requests => self.requests,
            Group::Statistics => self.statistics,
            Group::News => self.news,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Services,
    Requests,
    Statistics,
    News,
}

/// One member as the recipient rule sees it.
pub struct Recipient<'a> {
    pub email: &'a str,
    pub is_admin: bool,
    pub groups: Groups,
}

/// Who gets a notification of a group: the members and the notification-only e-mails that
/// switched it on; and when nobody has "Обращения клиентов", the administrator gets it anyway,
/// so no request is lost.
pub fn recipients(members: &[Recipient], extra: &[(String, Groups)], group: Group) -> Vec<String> {
    let mut out: Vec<String> = members.iter().filter(|m| m.groups.has(group)).map(|m| m.email.to_owned()).collect();
    out.extend(extra.iter().filter(|(_, g)| g.has(group)).map(|(e, _)| e.clone()));
    if out.is_empty() && group == Group::Requests {
        out.extend(members.iter().filter(|m| m.is_admin).map(|m| m.email.to_owned()));
    }
    out.sort();
    out.dedup();
    out
}

/// One message of the notifications queue. No message carries a secret: links that set a
/// password are made by the worker when it sends the mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    Mail {
        to: Vec<String>,
        template: Template,
        /// The recipients' cabinet language.
        #[serde(default)]
        language: Language,
    },
    /// Someone asked for a password-reset link for this e-mail: mailed if the account exists.
    PasswordReset {
        email: String,
        /// The language of the page it was asked from; the account's cabinet language when absent.
        #[serde(default)]
        lang: Option<Language>,
    },
    /// A member was added as a new account: mailed the login and a link to set the password.
    Welcome { user_id: String, project_name: String },
    /// An existing account was invited to a project: mailed where to accept or decline.
    Invitation { user_id: String, project_name: String },
    /// A service mail of a group, also sent to the members who chose the group for the team's
    /// Telegram bot.
    Telegram { project_id: String, group: Group, template: Template },
    /// A customer's message the team should hear of (§4 group 2), whatever its source; the
    /// recipients and their languages are read when it is sent.
    Customer { project_id: String, dialog_id: String, message_id: String, event: CustomerEvent },
    /// A customer has waited `minutes` for an answer: the administrators linked to the team's
    /// Telegram bot are alerted (the no-reply chain of §12).
    NoReply { project_id: String, dialog_id: String, message_id: String, minutes: u32 },
    /// The daily statistics mail of a project's local day (§4 group 3), see `statistics`.
    Statistics { project_id: String, day: chrono::NaiveDate },
}

/// Why the team hears of a customer's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerEvent {
    /// The first message of a new dialog.
    NewDialog,
    /// Nobody has answered it for the project's «N minutes»; sent for the first message of a wait.
    Unanswered,
}

/// The project's notification settings (§4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NotifySettings {
    /// How many minutes a customer's message may wait for an answer before group 2 hears of it.
    pub unanswered_minutes: u32,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self { unanswered_minutes: 3 }
    }
}

/// The bounds of «N minutes».
pub const UNANSWERED_MINUTES: std::ops::RangeInclusive<u32> = 1..=60;

/// When the worker first looks at a waiting message: the shortest N; a longer N is waited out
/// by putting the job back (see [`wait_left`]), so a customer's message reads no settings.
const UNANSWERED_FIRST_LOOK: Duration = Duration::from_secs(60);

/// How much longer a message written at `at` still has to wait before it counts as
/// unanswered after `minutes`; None when the time is up. At most a queue's longest delay (a
/// longer wait is chained).
pub fn wait_left(
    at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    minutes: u32,
) -> Option<Duration> {
    let due = at + chrono::Duration::minutes(i64::from(minutes));
    let left = (due - now).to_std().ok().filter(|d| !d.is_zero())?;
    Some(left.min(beseda_ports::queue::MAX_DELAY))
}

pub async fn settings(app: &App, project_id: &str) -> Result<NotifySettings> {
    let (pk, sk) = keys::notify_settings(project_id);
    Ok(match app.ports.table.get(&pk, &sk).await? {
        Some(item) => item.decode()?,
        None => NotifySettings::default(),
    })
}

pub async fn set_settings(app: &App, project_id: &str, s: NotifySettings) -> Result<NotifySettings> {
    if !UNANSWERED_MINUTES.contains(&s.unanswered_minutes) {
        return Err(Error::invalid(
            "unanswered_minutes",
            "unanswered_minutes_range",
            format!("От {} до {} минут", UNANSWERED_MINUTES.start(), UNANSWERED_MINUTES.end()),
        ));
    }
    let (pk, sk) = keys::notify_settings(project_id);
    let body = serde_json::to_value(s).map_err(|e| Error::Internal(e.to_string()))?;
    app.ports.table.put(Item::new(pk, sk, body), Condition::Always).await?;
    Ok(s)
}

/// The notification job of a customer's message, for the message's own atomic write.
pub fn customer_job(
    project_id: &str,
    dialog_id: &str,
    message_id: &str,
    event: CustomerEvent,
) -> Result<beseda_ports::atomic::Outgoing> {
    let job = Job::Customer {
        project_id: project_id.into(),
        dialog_id: dialog_id.into(),
        message_id: message_id.into(),
        event,
    };
    let body = serde_json::to_string(&job).map_err(|e| Error::Internal(e.to_string()))?;
    let delay = if event == CustomerEvent::Unanswered { UNANSWERED_FIRST_LOOK } else { Duration::ZERO };
    Ok(beseda_ports::atomic::Outgoing::new(NOTIFICATIONS.name, body, delay))
}

/// The no-reply alert of a customer's message, for the timer's atomic write.
pub fn alert_job(
    project_id: &str,
    dialog_id: &str,
    message_id: &str,
    minutes: u32,
) -> Result<beseda_ports::atomic::Outgoing> {
    let job = Job::NoReply {
        project_id: project_id.into(),
        dialog_id: dialog_id.into(),
        message_id: message_id.into(),
        minutes,
    };
    let body = serde_json::to_string(&job).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(beseda_ports::atomic::Outgoing::new(NOTIFICATIONS.name, body, Duration::ZERO))
}

/// What a customer notification says: the source, who wrote, their words, and the link that
/// opens the dialog (or, for a recipient who cannot open dialogs, the cabinet).
pub struct CustomerMail<'a> {
    pub project_name: &'a str,
    pub source: &'a str,
    pub customer: Option<&'a str>,
    pub text: &'a str,
    pub link: &'a str,
    /// The project's «N minutes».
    pub minutes: u32,
    /// Whether the link opens the dialog itself.
    pub opens_dialog: bool,
}

/// A rendered mail: subject, plain text and HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A customer notification in the recipient's cabinet language, as text and as HTML (the
/// customer's words and name escaped: they are untrusted).
pub fn render_customer(event: CustomerEvent, language: Language, m: &CustomerMail) -> Rendered {
    let CustomerMail { project_name, source, customer, text, link, minutes, opens_dialog } = m;
    let source = source_name(source, language);
    let ru = language == Language::Ru;
    let who = customer.unwrap_or(if ru { "Клиент" } else { "Customer" });
    let subject = match (event, ru) {
        (CustomerEvent::NewDialog, true) => format!("Беседа: новое обращение ({source}) — проект «{project_name}»"),
        (CustomerEvent::NewDialog, false) => format!("Beseda: a new request ({source}) — project “{project_name}”"),
        (CustomerEvent::Unanswered, true) => {
            format!("Беседа: клиент ждёт ответа ({source}) — проект «{project_name}»")
        }
        (CustomerEvent::Unanswered, false) => {
            format!("Beseda: a customer is waiting ({source}) — project “{project_name}”")
        }
    };
    let lead = match (event, ru) {
        (CustomerEvent::NewDialog, _) => None,
        (CustomerEvent::Unanswered, true) => Some(format!("Сообщение без ответа уже {minutes} мин.")),
        (CustomerEvent::Unanswered, false) => Some(format!("A message has been unanswered for {minutes} min.")),
    };
    let action = match (event, opens_dialog, ru) {
        (_, false, true) => "Открыть кабинет",
        (_, false, false) => "Open the cabinet",
        (CustomerEvent::NewDialog, true, true) => "Открыть диалог",
        (CustomerEvent::NewDialog, true, false) => "Open the dialog",
        (CustomerEvent::Unanswered, true, true) => "Ответить",
        (CustomerEvent::Unanswered, true, false) => "Answer",
    };
    let mut plain = String::new();
    let mut html = String::from("<!doctype html><html><body>");
    if let Some(lead) = &lead {
        plain.push_str(&format!("{lead}\n\n"));
        html.push_str(&format!("<p>{}</p>", escape_html(lead)));
    }
    plain.push_str(&format!("{who}: {text}\n\n{action}: {link}\n"));
    let paragraphs: Vec<String> = text.lines().map(escape_html).collect();
    html.push_str(&format!(
        "<p><b>{}</b> ({})</p><blockquote style=\"margin:0 0 16px;padding:8px 12px;border-left:3px solid #ccc\">{}</blockquote>\
         <p><a href=\"{}\">{}</a></p></body></html>",
        escape_html(who),
        escape_html(source),
        paragraphs.join("<br>"),
        escape_html(link),
        escape_html(action)
    ));
    Rendered { subject, text: plain, html }
}

pub(crate) fn source_name(source: &str, language: Language) -> &'static str {
    match (source, language) {
        ("telegram", _) => "Telegram",
        ("vk", Language::Ru) => "ВКонтакте",
        ("vk", Language::En) => "VK",
        ("viber", _) => "Viber",
        ("form", Language::Ru) => "заявка с сайта",
        ("form", Language::En) => "website form",
        ("callback", Language::Ru) => "обратный звонок",
        ("callback", Language::En) => "callback",
        (_, Language::Ru) => "чат на сайте",
        (_, Language::En) => "website chat",
    }
}

/// The service mails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Template {
    /// A check that mail reaches a project's people.
    Test { project_name: String },
    /// A visitor left a request or asked for a call (§4 group 2).
    NewRequest { project_name: String, request: RequestCard },
    /// A tariff or the trial was connected, renewed or disconnected (§4 group 1).
    Tariff { project_name: String, event: TariffEvent, tariff: String, until: Option<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TariffEvent {
    Connected,
    Renewed,
    Disconnected,
    Expired,
}

/// Subject and text of a service mail, in the recipients' cabinet language.
pub fn render(template: &Template, public_url: &str, language: Language) -> (String, String) {
    let ru = language == Language::Ru;
    match template {
        Template::Test { project_name } if ru => (
            format!("Беседа: проверка уведомлений проекта «{project_name}»"),
            format!("Это проверочное письмо проекта «{project_name}». Уведомления доходят.\n\n{public_url}\n"),
        ),
        Template::Test { project_name } => (
            format!("Beseda: a notification check of the project «{project_name}»"),
            format!("This is a check of the project «{project_name}». Notifications reach you.\n\n{public_url}\n"),
        ),
        Template::NewRequest { project_name, request } if ru => (
            format!("Беседа: новое обращение — проект «{project_name}»"),
            format!("{}\n\nЖурнал обращений: {public_url}/journal\n", request.describe(language)),
        ),
        Template::NewRequest { project_name, request } => (
            format!("Beseda: a new request — project «{project_name}»"),
            format!("{}\n\nLead journal: {public_url}/journal\n", request.describe(language)),
        ),
        Template::Tariff { project_name, event, tariff, until } if ru => {
            let what = match event {
                TariffEvent::Connected => "подключён",
                TariffEvent::Renewed => "продлён",
                TariffEvent::Disconnected => "отключён",
                TariffEvent::Expired => "закончился",
            };
            let until = until.as_ref().map(|u| format!(" Действует до {u}.")).unwrap_or_default();
            (
                format!("Беседа: тариф {tariff} {what} — проект «{project_name}»"),
                format!(
                    "В проекте «{project_name}» тариф {tariff} {what}.{until}\n\nУслуги проекта: {public_url}/settings\n"
                ),
            )
        }
        Template::Tariff { project_name, event, tariff, until } => {
            let what = match event {
                TariffEvent::Connected => "connected",
                TariffEvent::Renewed => "renewed",
                TariffEvent::Disconnected => "disconnected",
                TariffEvent::Expired => "ended",
            };
            let until = until.as_ref().map(|u| format!(" Valid until {u}.")).unwrap_or_default();
            (
                format!("Beseda: tariff {tariff} {what} — project «{project_name}»"),
                format!(
                    "In the project «{project_name}» the tariff {tariff} is {what}.{until}\n\nThe project's services: {public_url}/settings\n"
                ),
            )
        }
    }
}

/// Subject and text of a mail with a one-time link that sets the password, in the recipient's
/// cabinet language. `project_name` is the project a new account was added to.
pub fn render_link(
    purpose: LinkPurpose,
    language: Language,
    login: &str,
    project_name: &str,
    link: &str,
) -> (String, String) {
    match (purpose, language) {
        (LinkPurpose::Reset, Language::Ru) => (
            "Беседа: восстановление пароля".into(),
            format!(
                "Чтобы задать новый пароль, откройте ссылку (она действует 1 час):\n{link}\n\nЕсли вы не просили сменить пароль, ничего не делайте.\n"
            ),
        ),
        (LinkPurpose::Reset, Language::En) => (
            "Beseda: password reset".into(),
            format!(
                "To set a new password, open the link (it works for 1 hour):\n{link}\n\nIf you did not ask to change your password, do nothing.\n"
            ),
        ),
        (LinkPurpose::Welcome, Language::Ru) => (
            format!("Доступ к проекту «{project_name}» в Беседе"),
            format!(
                "Вас добавили в команду проекта «{project_name}».\n\nЛогин: {login}\nЧтобы задать пароль, откройте ссылку (она действует 7 дней):\n{link}\n"
            ),
        ),
        (LinkPurpose::Welcome, Language::En) => (
            format!("Access to the project “{project_name}” in Beseda"),
            format!(
                "You have been added to the team of the project “{project_name}”.\n\nLogin: {login}\nTo set your password, open the link (it works for 7 days):\n{link}\n"
            ),
        ),
    }
}

/// Subject, text and HTML of the mail inviting an existing account to a project's team, in the
/// recipient's cabinet language; `link` opens the cabinet, where the invitation waits.
pub fn render_invitation(language: Language, project_name: &str, link: &str) -> (String, String, String) {
    let days = crate::invitations::INVITATION_SECS / 86_400;
    let (subject, lead, action, note) = match language {
        Language::Ru => (
            format!("Приглашение в проект «{project_name}» в Беседе"),
            format!("Вас пригласили в команду проекта «{project_name}»."),
            "Принять или отклонить приглашение можно в кабинете",
            format!("Приглашение действует {days} дней. Если вы его не ждали, ничего не делайте."),
        ),
        Language::En => (
            format!("Invitation to the project “{project_name}” in Beseda"),
            format!("You have been invited to the team of the project “{project_name}”."),
            "Accept or decline the invitation in the cabinet",
            format!("The invitation is valid for {days} days. If you did not expect it, do nothing."),
        ),
    };
    let text = format!("{lead}\n\n{action}:\n{link}\n\n{note}\n");
    let html = format!(
        "<!doctype html><html><body><p>{}</p><p><a href=\"{}\">{}</a></p><p>{}</p></body></html>",
        escape_html(&lead),
        escape_html(link),
        escape_html(action),
        escape_html(&note)
    );
    (subject, text, html)
}

/// Text made safe to put in HTML, inside an element or a quoted attribute.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub async fn enqueue(app: &App, job: &Job) -> Result<()> {
    let body = serde_json::to_string(job).map_err(|e| Error::Internal(e.to_string()))?;
    app.ports.queue.send(NOTIFICATIONS.name, &body, Duration::ZERO).await?;
    Ok(())
}

/// How long a delivered message id is remembered: longer than SQS keeps any message.
const DEDUP_SECS: i64 = 15 * 86_400;

/// Carries out one queue message by mail only (no team bot); see [`deliver_with_bot`].
pub async fn deliver(app: &App, message_id: &str, body: &str) -> Result<()> {
    deliver_with_bot(app, None, message_id, body).await
}

/// Carries out one queue message; a message id already delivered is skipped, so a redelivery
/// sends no second mail. Group 2 also goes to the team's Telegram bot through `bot`.
pub async fn deliver_with_bot(app: &App, bot: Option<&dyn BotApi>, message_id: &str, body: &str) -> Result<()> {
    let job: Job = serde_json::from_str(body).map_err(|e| Error::invalid("body", "bad_job", e.to_string()))?;
    let key = keys::notification_delivered(message_id);
    if app.ports.table.get(&key.0, &key.1).await?.is_some() {
        tracing::info!(message_id, "already delivered");
        return Ok(());
    }
    if let Job::Customer { project_id, dialog_id, message_id: customer_message, event } = &job {
        customer(app, bot, project_id, dialog_id, customer_message, *event).await?;
        let mark = Item::new(key.0, key.1, serde_json::json!({})).expiring_at(app.now().timestamp() + DEDUP_SECS);
        app.ports.table.put(mark, Condition::Always).await?;
        return Ok(());
    }
    if let Job::Telegram { project_id, group, template } = &job {
        if let Some(api) = bot {
            let url = &app.settings.public_url;
            let text = |language| {
                let (subject, text) = render(template, url, language);
                format!("{subject}\n\n{text}")
            };
            crate::teambot::notify_group(app, api, project_id, *group, text).await?;
        }
        let mark = Item::new(key.0, key.1, serde_json::json!({})).expiring_at(app.now().timestamp() + DEDUP_SECS);
        app.ports.table.put(mark, Condition::Always).await?;
        return Ok(());
    }
    if let Job::NoReply { project_id, dialog_id, message_id: waiting, minutes } = &job {
        if let Some(api) = bot {
            no_reply(app, api, project_id, dialog_id, waiting, *minutes).await?;
        }
        let mark = Item::new(key.0, key.1, serde_json::json!({})).expiring_at(app.now().timestamp() + DEDUP_SECS);
        app.ports.table.put(mark, Condition::Always).await?;
        return Ok(());
    }
    if let Job::Statistics { project_id, day } = &job {
        crate::statistics::send_mail(app, project_id, *day).await?;
        let mark = Item::new(key.0, key.1, serde_json::json!({})).expiring_at(app.now().timestamp() + DEDUP_SECS);
        app.ports.table.put(mark, Condition::Always).await?;
        return Ok(());
    }
    let mut html = None;
    let (to, (subject, text)) = match &job {
        Job::Mail { to, template, language } => (to.clone(), render(template, &app.settings.public_url, *language)),
        Job::PasswordReset { email, lang } => {
            let Some(profile) = accounts::find_by_email(app, email).await? else {
                return Ok(());
            };
            let (p, link) = accounts::password_link(app, &profile.id, LinkPurpose::Reset).await?;
            (vec![p.email.clone()], render_link(LinkPurpose::Reset, lang.unwrap_or(p.language), &p.email, "", &link))
        }
        Job::Welcome { user_id, project_name } => {
            let (p, link) = accounts::password_link(app, user_id, LinkPurpose::Welcome).await?;
            (vec![p.email.clone()], render_link(LinkPurpose::Welcome, p.language, &p.email, project_name, &link))
        }
        Job::Invitation { user_id, project_name } => {
            let p = accounts::get_profile(app, user_id).await?;
            let (subject, text, body) =
                render_invitation(p.language, project_name, &format!("{}/", app.settings.public_url));
            html = Some(body);
            (vec![p.email], (subject, text))
        }
        Job::Customer { .. } | Job::Telegram { .. } | Job::NoReply { .. } | Job::Statistics { .. } => {
            return Ok(());
        }
    };
    let mail = Mail { from: app.settings.mail_from.clone(), to, subject, text, html };
    app.ports.mail.send(&mail).await?;
    let mark = Item::new(key.0, key.1, serde_json::json!({})).expiring_at(app.now().timestamp() + DEDUP_SECS);
    app.ports.table.put(mark, Condition::Always).await?;
    Ok(())
}

/// Mails group 2 of a customer's message, each recipient in their language with a link they
/// can open; an "unanswered" one only while the message still waits, for the first message of
/// the wait, once it has waited the project's «N minutes» (until then the job is put back).
async fn customer(
    app: &App,
    bot: Option<&dyn BotApi>,
    project_id: &str,
    dialog_id: &str,
    message_id: &str,
    event: CustomerEvent,
) -> Result<()> {
    use crate::dialogs::{self, From};
    let Ok(d) = dialogs::dialog(app, project_id, dialog_id).await else { return Ok(()) };
    let all = dialogs::messages(app, project_id, dialog_id, None).await?;
    let Some(at) = all.iter().position(|m| m.id == message_id) else { return Ok(()) };
    let minutes = settings(app, project_id).await?.unanswered_minutes;
    if event == CustomerEvent::Unanswered {
        let answered = all[at + 1..].iter().any(|m| m.from == From::Operator);
        let waiting_before =
            all[..at].iter().rev().take_while(|m| m.from != From::Operator).any(|m| m.from == From::Visitor);
        if answered || waiting_before || d.status != dialogs::Status::Open {
            return Ok(());
        }
        if let Some(left) = wait_left(all[at].at, app.now(), minutes) {
            let job = customer_job(project_id, dialog_id, message_id, event)?;
            app.ports.queue.send(NOTIFICATIONS.name, &job.body, left).await?;
            return Ok(());
        }
    }
    let (project, _) = crate::projects::get(app, project_id).await?;
    let customer = d.contact.get("name").cloned().or_else(|| d.chat.as_ref().and_then(|c| c.name.clone()));
    let mail = CustomerMail {
        project_name: &project.name,
        source: d.source.as_str(),
        customer: customer.as_deref(),
        text: &all[at].text,
        link: "",
        minutes,
        opens_dialog: true,
    };
    if let Some(api) = bot {
        crate::teambot::notify_customer(app, api, project_id, dialog_id, event, &mail).await?;
    }
    for (language, opens_dialog, to) in crate::team::request_recipients(app, project_id).await? {
        let link = match opens_dialog {
            true => format!("{}/dialogs/mine/{dialog_id}", app.settings.public_url),
            false => format!("{}/", app.settings.public_url),
        };
        let to_them = CustomerMail { link: &link, opens_dialog, ..mail };
        let Rendered { subject, text, html } = render_customer(event, language, &to_them);
        let mail = Mail { from: app.settings.mail_from.clone(), to, subject, text, html: Some(html) };
        app.ports.mail.send(&mail).await?;
    }
    Ok(())
}

/// Alerts the linked administrators that a customer has waited `minutes` (the no-reply chain).
async fn no_reply(
    app: &App,
    api: &dyn BotApi,
    project_id: &str,
    dialog_id: &str,
    message_id: &str,
    minutes: u32,
) -> Result<()> {
    let Ok(d) = crate::dialogs::dialog(app, project_id, dialog_id).await else { return Ok(()) };
    let Some(m) = crate::dialogs::store::message(app, project_id, dialog_id, message_id).await? else { return Ok(()) };
    let (project, _) = crate::projects::get(app, project_id).await?;
    let customer = d.contact.get("name").cloned().or_else(|| d.chat.as_ref().and_then(|c| c.name.clone()));
    let link = format!("{}/dialogs/mine/{dialog_id}", app.settings.public_url);
    let mail = CustomerMail {
        project_name: &project.name,
        source: d.source.as_str(),
        customer: customer.as_deref(),
        text: &m.text,
        link: &link,
        minutes,
        opens_dialog: true,
    };
    crate::teambot::alert_admins(app, api, project_id, dialog_id, &mail).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn requests_fall_back_to_the_administrator() {
        let off = Groups::default();
        let members = [
            Recipient { email: "admin@x.ru", is_admin: true, groups: off },
            Recipient { email: "op@x.ru", is_admin: false, groups: off },
        ];
        assert_eq!(recipients(&members, &[], Group::Requests), ["admin@x.ru"]);
        assert!(recipients(&members, &[], Group::Statistics).is_empty(), "only requests fall back");
        let extra = [("boss@x.ru".to_owned(), Groups { requests: true, ..off })];
        assert_eq!(recipients(&members, &extra, Group::Requests), ["boss@x.ru"], "someone has it: no fallback");
        let on = [Recipient { email: "op@x.ru", is_admin: false, groups: Groups::member_default() }];
        assert_eq!(recipients(&on, &[], Group::Requests), ["op@x.ru"]);
    }

    #[test]
    fn the_sample_event_body_is_a_job() {
        let body = r#"{"kind":"mail","to":["owner@example.com"],"template":{"type":"test","project_name":"Демо"}}"#;
        let job: Job = serde_json::from_str(body).unwrap();
        assert_eq!(
            job,
            Job::Mail {
                to: vec!["owner@example.com".into()],
                template: Template::Test { project_name: "Демо".into() },
                language: Language::Ru,
            }
        );
    }

    #[test]
    fn a_request_mail_lists_the_visitors_fields_in_the_readers_language() {
        let request = RequestCard::Callback {
            phone: "+79990001122".into(),
            name: Some("Олег".into()),
            call_first: crate::widget::CallFirst::Manager,
            forward: None,
            group: None,
        };
        let template = Template::NewRequest { project_name: "Ромашка".into(), request };
        let (subject, text) = render(&template, "https://chat.example.ru", Language::En);
        assert_eq!(subject, "Beseda: a new request — project «Ромашка»");
        assert!(
            text.starts_with("Callback request\nName: Олег\nPhone: +79990001122\nCall: the manager first"),
            "{text}"
        );
        assert!(text.ends_with("Lead journal: https://chat.example.ru/journal\n"), "{text}");
        let (subject, text) = render(&template, "https://chat.example.ru", Language::Ru);
        assert_eq!(subject, "Беседа: новое обращение — проект «Ромашка»");
        assert!(text.starts_with("Обратный звонок\nИмя: Олег"), "{text}");
    }

    #[tokio::test]
    async fn a_redelivered_message_sends_one_mail() {
        let (app, _, outbox) = testing::app();
        let job = Job::Mail {
            to: vec!["new@example.com".into()],
            template: Template::Test { project_name: "Ромашка".into() },
            language: Language::En,
        };
        let body = serde_json::to_string(&job).unwrap();
        deliver(&app, "m-1", &body).await.unwrap();
        deliver(&app, "m-1", &body).await.unwrap();
        let sent = outbox.list().unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].subject, "Beseda: a notification check of the project «Ромашка»", "in their language");
        assert!(matches!(deliver(&app, "m-2", "{not json").await, Err(Error::Invalid { code: "bad_job", .. })));
    }

    #[test]
    fn the_invitation_mail_follows_the_cabinet_language_and_escapes_its_html() {
        let (subject, text, html) = render_invitation(Language::Ru, "<b>Ромашка</b>", "http://l/");
        assert_eq!(subject, "Приглашение в проект «<b>Ромашка</b>» в Беседе");
        assert!(text.contains("Принять или отклонить") && text.contains("http://l/") && text.contains("7 дней"));
        assert!(html.contains("&lt;b&gt;Ромашка&lt;/b&gt;") && !html.contains("<b>"), "{html}");
        assert!(html.contains("<a href=\"http://l/\">"));
        let (subject, text, _) = render_invitation(Language::En, "Ромашка", "http://l/");
        assert_eq!(subject, "Invitation to the project “Ромашка” in Beseda");
        assert!(text.contains("Accept or decline") && text.contains("7 days"));
    }

    #[test]
    fn link_mails_follow_the_cabinet_language() {
        let (subject, text) = render_link(LinkPurpose::Welcome, Language::En, "a@x.ru", "Ромашка", "http://l/reset?t");
        assert_eq!(subject, "Access to the project “Ромашка” in Beseda");
        assert!(text.contains("Login: a@x.ru") && text.contains("http://l/reset?t"));
        let (subject, text) = render_link(LinkPurpose::Reset, Language::Ru, "a@x.ru", "", "http://l/reset?t");
        assert_eq!(subject, "Беседа: восстановление пароля");
        assert!(text.contains("1 час") && text.contains("http://l/reset?t"));
    }

    #[test]
    fn a_wait_is_counted_from_the_message_and_chained_past_the_queues_longest_delay() {
        let at = chrono::Utc::now();
        let after = |secs| at + chrono::Duration::seconds(secs);
        assert_eq!(wait_left(at, after(60), 3), Some(Duration::from_secs(120)));
        assert_eq!(wait_left(at, after(180), 3), None, "the time is up");
        assert_eq!(wait_left(at, after(500), 3), None);
        assert_eq!(wait_left(at, after(60), 60), Some(beseda_ports::queue::MAX_DELAY), "chained");
    }

    #[tokio::test]
    async fn the_minutes_are_bounded_and_default_to_three() {
        let (app, _, _) = testing::app();
        assert_eq!(settings(&app, "p").await.unwrap().unanswered_minutes, 3);
        for bad in [0, 61] {
            let s = NotifySettings { unanswered_minutes: bad };
            assert!(matches!(
                set_settings(&app, "p", s).await,
                Err(Error::Invalid { field: "unanswered_minutes", .. })
            ));
        }
        set_settings(&app, "p", NotifySettings { unanswered_minutes: 10 }).await.unwrap();
        assert_eq!(settings(&app, "p").await.unwrap().unanswered_minutes, 10);
    }

    #[test]
    fn a_customer_mail_escapes_the_customers_words_and_links_what_the_recipient_can_open() {
        let mail = CustomerMail {
            project_name: "Ромашка",
            source: "chat",
            customer: Some("<img src=x onerror=alert(1)>"),
            text: "\"quoted\" <b>bold</b>\nline two",
            link: "http://l/dialogs/mine/d1",
            minutes: 7,
            opens_dialog: true,
        };
        let r = render_customer(CustomerEvent::Unanswered, Language::En, &mail);
        assert_eq!(r.subject, "Beseda: a customer is waiting (website chat) — project “Ромашка”");
        assert!(r.text.contains("unanswered for 7 min.") && r.text.contains("Answer: http://l/dialogs/mine/d1"));
        assert!(!r.html.contains("<img") && !r.html.contains("<b>bold"), "{}", r.html);
        assert!(r.html.contains("&lt;img src=x onerror=alert(1)&gt;") && r.html.contains("&quot;quoted&quot;"));
        assert!(r.html.contains("&lt;b&gt;bold&lt;/b&gt;<br>line two"), "{}", r.html);
        assert!(r.html.contains("<a href=\"http://l/dialogs/mine/d1\">Answer</a>"), "{}", r.html);
        let cabinet = CustomerMail { link: "http://l/", opens_dialog: false, ..mail };
        let r = render_customer(CustomerEvent::NewDialog, Language::Ru, &cabinet);
        assert!(r.text.contains("Открыть кабинет: http://l/") && !r.text.contains("мин."), "{}", r.text);
    }
}
