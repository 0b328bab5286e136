//! Notifications (PRODUCT.md §4): the jobs that go through the `notifications` queue, the
//! service mails they render to, and their delivery, once per queue message.

use crate::accounts::{self, Language, LinkPurpose};
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

    fn has(&self, group: Group) -> bool {
        match group {
            Group::Services => self.services,
            Group::Requests => self.requests,
            Group::Statistics => self.statistics,
            Group::News => self.news,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    },
    /// Someone asked for a password-reset link for this e-mail: mailed if the account exists.
    PasswordReset {
        email: String,
        /// The language of the page it was asked from; the account's cabinet language when absent.
        #[serde(default)]
        lang: Option<Language>,
    },
    /// A member was added as a new account: mailed the login and a link to set the password.
    Welcome {
        user_id: String,
        project_name: String,
    },
    /// An existing account was invited to a project: mailed where to accept or decline.
    Invitation {
        user_id: String,
        project_name: String,
    },
    /// A customer's message the team should hear of (§4 group 2), whatever its source; the
    /// recipients and their languages are read when it is sent.
    Customer {
        project_id: String,
        dialog_id: String,
        message_id: String,
        event: CustomerEvent,
    },
    /// The daily statistics mail of a project's local day (§4 group 3), see `statistics`.
    Statistics {
        project_id: String,
        day: chrono::NaiveDate,
    },
}

/// Why the team hears of a customer's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerEvent {
    /// The first message of a new dialog.
    NewDialog,
    /// Nobody has answered it for [`UNANSWERED_AFTER`]; sent for the first message of a wait.
    Unanswered,
}

/// How long a customer's message may wait for an answer before group 2 hears of it (§4).
pub const UNANSWERED_AFTER: Duration = Duration::from_secs(3 * 60);

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
    let delay = if event == CustomerEvent::Unanswered { UNANSWERED_AFTER } else { Duration::ZERO };
    Ok(beseda_ports::atomic::Outgoing::new(NOTIFICATIONS.name, body, delay))
}

/// What a customer notification says: the source, who wrote, their words, and the link that
/// opens the dialog.
pub struct CustomerMail<'a> {
    pub project_name: &'a str,
    pub source: &'a str,
    pub customer: Option<&'a str>,
    pub text: &'a str,
    pub link: &'a str,
}

/// Subject and text of a customer notification in the recipient's cabinet language.
pub fn render_customer(event: CustomerEvent, language: Language, m: &CustomerMail) -> (String, String) {
    let CustomerMail { project_name, source, customer, text, link } = m;
    let source = source_name(source, language);
    match (event, language) {
        (CustomerEvent::NewDialog, Language::Ru) => (
            format!("Беседа: новое обращение ({source}) — проект «{project_name}»"),
            format!(
                "{}: {text}

Открыть диалог: {link}
",
                customer.unwrap_or("Клиент")
            ),
        ),
        (CustomerEvent::NewDialog, Language::En) => (
            format!("Beseda: a new request ({source}) — project “{project_name}”"),
            format!(
                "{}: {text}

Open the dialog: {link}
",
                customer.unwrap_or("Customer")
            ),
        ),
        (CustomerEvent::Unanswered, Language::Ru) => (
            format!("Беседа: клиент ждёт ответа ({source}) — проект «{project_name}»"),
            format!(
                "Сообщение без ответа уже {} мин.

{}: {text}

Ответить: {link}
",
                UNANSWERED_AFTER.as_secs() / 60,
                customer.unwrap_or("Клиент")
            ),
        ),
        (CustomerEvent::Unanswered, Language::En) => (
            format!("Beseda: a customer is waiting ({source}) — project “{project_name}”"),
            format!(
                "A message has been unanswered for {} min.

{}: {text}

Answer: {link}
",
                UNANSWERED_AFTER.as_secs() / 60,
                customer.unwrap_or("Customer")
            ),
        ),
    }
}

fn source_name(source: &str, language: Language) -> &'static str {
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
    NewRequest { project_name: String, summary: String },
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

/// Subject and text of a service mail.
pub fn render(template: &Template, public_url: &str) -> (String, String) {
    match template {
        Template::Test { project_name } => (
            format!("Беседа: проверка уведомлений проекта «{project_name}»"),
            format!("Это проверочное письмо проекта «{project_name}». Уведомления доходят.\n\n{public_url}\n"),
        ),
        Template::NewRequest { project_name, summary } => (
            format!("Беседа: новое обращение — проект «{project_name}»"),
            format!("{summary}\n\nЖурнал обращений: {public_url}/journal\n"),
        ),
        Template::Tariff { project_name, event, tariff, until } => {
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

/// Carries out one queue message; a message id already delivered is skipped, so a redelivery
/// sends no second mail.
pub async fn deliver(app: &App, message_id: &str, body: &str) -> Result<()> {
    let job: Job = serde_json::from_str(body).map_err(|e| Error::invalid("body", "bad_job", e.to_string()))?;
    let key = keys::notification_delivered(message_id);
    if app.ports.table.get(&key.0, &key.1).await?.is_some() {
        tracing::info!(message_id, "already delivered");
        return Ok(());
    }
    if let Job::Customer { project_id, dialog_id, message_id: customer_message, event } = &job {
        customer(app, project_id, dialog_id, customer_message, *event).await?;
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
        Job::Mail { to, template } => (to.clone(), render(template, &app.settings.public_url)),
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
        Job::Customer { .. } | Job::Statistics { .. } => return Ok(()),
    };
    let mail = Mail { from: app.settings.mail_from.clone(), to, subject, text, html };
    app.ports.mail.send(&mail).await?;
    let mark = Item::new(key.0, key.1, serde_json::json!({})).expiring_at(app.now().timestamp() + DEDUP_SECS);
    app.ports.table.put(mark, Condition::Always).await?;
    Ok(())
}

/// Mails group 2 of a customer's message, each recipient in their language; an
/// "unanswered" one only while the message still waits and starts the wait.
async fn customer(app: &App, project_id: &str, dialog_id: &str, message_id: &str, event: CustomerEvent) -> Result<()> {
    use crate::dialogs::{self, From};
    let Ok(d) = dialogs::dialog(app, project_id, dialog_id).await else { return Ok(()) };
    let all = dialogs::messages(app, project_id, dialog_id, None).await?;
    let Some(at) = all.iter().position(|m| m.id == message_id) else { return Ok(()) };
    if event == CustomerEvent::Unanswered {
        let answered = all[at + 1..].iter().any(|m| m.from == From::Operator);
        let waiting_before =
            all[..at].iter().rev().take_while(|m| m.from != From::Operator).any(|m| m.from == From::Visitor);
        if answered || waiting_before || d.status != dialogs::Status::Open {
            return Ok(());
        }
    }
    let (project, _) = crate::projects::get(app, project_id).await?;
    let customer = d.contact.get("name").cloned().or_else(|| d.chat.as_ref().and_then(|c| c.name.clone()));
    let link = format!("{}/dialogs/mine/{dialog_id}", app.settings.public_url);
    let mail = CustomerMail {
        project_name: &project.name,
        source: d.source.as_str(),
        customer: customer.as_deref(),
        text: &all[at].text,
        link: &link,
    };
    for (language, to) in crate::team::recipients_by_language(app, project_id, Group::Requests).await? {
        let (subject, text) = render_customer(event, language, &mail);
        app.ports.mail.send(&Mail { from: app.settings.mail_from.clone(), to, subject, text, html: None }).await?;
    }
    Ok(())
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
                template: Template::Test { project_name: "Демо".into() }
            }
        );
    }

    #[tokio::test]
    async fn a_redelivered_message_sends_one_mail() {
        let (app, _, outbox) = testing::app();
        let job = Job::Mail {
            to: vec!["new@example.com".into()],
            template: Template::Test { project_name: "Ромашка".into() },
        };
        let body = serde_json::to_string(&job).unwrap();
        deliver(&app, "m-1", &body).await.unwrap();
        deliver(&app, "m-1", &body).await.unwrap();
        let sent = outbox.list().unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].subject, "Беседа: проверка уведомлений проекта «Ромашка»");
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
}
