//! The team of a project (PRODUCT.md §3, §4): adding members (a new account gets its login
//! and a one-time link to set its password by mail, an existing one is invited and joins when
//! it accepts, see [`crate::invitations`]), their accesses, exactly one administrator with a
//! transfer, and who receives which notifications.

use crate::access::Access;
use crate::accounts::{self, Language, NewUser, Profile};
use crate::invitations;
use crate::notify::{self, Group, Groups, Job, Recipient, Template};
use crate::projects::{self, Membership, member_item};
use crate::{App, Error, Result, keys, phone, secrets};
use beseda_ports::table::{Condition, Item, StoreError, Write};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A member as the Команда tab shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Member {
    pub user_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub accesses: Vec<Access>,
    pub notifications: Groups,
}

fn view(m: &Membership, p: &Profile) -> Member {
    Member {
        user_id: m.user_id.clone(),
        email: p.email.clone(),
        first_name: p.first_name.clone(),
        last_name: p.last_name.clone(),
        phone: p.phone.clone(),
        accesses: m.accesses.clone(),
        notifications: m.notifications,
    }
}

/// Accesses that can be given by hand: at least one, never the administrator's (that moves
/// only by transfer).
fn check_accesses(accesses: &[Access]) -> Result<Vec<Access>> {
    if accesses.contains(&Access::Admin) {
        return Err(Error::invalid("accesses", "admin_via_transfer", "Администратор назначается передачей прав"));
    }
    let mut list = accesses.to_vec();
    list.sort();
    list.dedup();
    if list.is_empty() {
        return Err(Error::invalid("accesses", "access_required", "Выберите хотя бы один доступ"));
    }
    Ok(list)
}

/// Members matching a search text (name, e-mail, phone) and holding an access.
pub async fn list(app: &App, project_id: &str, search: Option<&str>, access: Option<Access>) -> Result<Vec<Member>> {
    let needle = search.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    let mut out = Vec::new();
    for (m, _) in projects::members(app, project_id).await? {
        if access.is_some_and(|a| !m.accesses.contains(&a)) {
            continue;
        }
        let Ok(profile) = accounts::get_profile(app, &m.user_id).await else { continue };
        let member = view(&m, &profile);
        let haystack = format!(
            "{} {} {} {}",
            member.first_name,
            member.last_name,
            member.email,
            member.phone.as_deref().unwrap_or_default()
        )
        .to_lowercase();
        if needle.as_ref().is_none_or(|n| haystack.contains(n.as_str())) {
            out.push(member);
        }
    }
    Ok(out)
}

/// Hides colleagues' e-mails and phones from a viewer who cannot change the team (operators,
/// analysts): they see names and accesses only; their own entry stays whole.
pub fn mask(members: Vec<Member>, viewer: &Membership) -> Vec<Member> {
    if crate::access::allows(&viewer.accesses, crate::access::Action::EditSettings) {
        return members;
    }
    members
        .into_iter()
        .map(|m| if m.user_id == viewer.user_id { m } else { Member { email: String::new(), phone: None, ..m } })
        .collect()
}

/// The team as a member sees it: [`list`], then [`mask`].
pub async fn list_for(
    app: &App,
    viewer: &Membership,
    search: Option<&str>,
    access: Option<Access>,
) -> Result<Vec<Member>> {
    Ok(mask(list(app, &viewer.project_id, search, access).await?, viewer))
}

#[derive(Debug, Clone, Default)]
pub struct NewMember {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub accesses: Vec<Access>,
}

/// What adding an e-mail did. The caller's answer must not tell the two apart: whether an
/// e-mail has an account is nobody's business but its owner's.
#[derive(Debug, Clone, PartialEq)]
pub struct Added {
    pub user_id: String,
    /// The e-mail had an account: it was invited, and joins when it accepts.
    pub invited: bool,
}

/// Adds a member. A new e-mail gets an account, its membership and a mail with its login and
/// a one-time link to set its password (no password exists anywhere but as its hash); an
/// existing account is invited (nothing about it is read or returned) and joins on accept.
/// Both paths hash a password, so they take as long.
pub async fn add(app: &App, project_id: &str, new: NewMember) -> Result<Added> {
    let accesses = check_accesses(&new.accesses)?;
    let email = accounts::normalize_email(&new.email)?;
    let phone = match new.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(phone::normalize("phone", p)?),
        None => None,
    };
    let (project, _) = projects::get(app, project_id).await?;
    if let Some(existing) = accounts::find_by_email(app, &email).await? {
        if projects::membership(app, project_id, &existing.id).await?.is_some() {
            return Err(Error::conflict("already_member", "Этот сотрудник уже в команде проекта"));
        }
        secrets::hash_password(&secrets::token());
        invitations::invite(app, &project, &existing.id, accesses).await?;
        return Ok(Added { user_id: existing.id, invited: true });
    }
    let user = NewUser { email, first_name: new.first_name, last_name: new.last_name, phone };
    // A password nobody knows: the account gets its real one through the mailed link.
    let created = accounts::create_user(app, user, &secrets::token()).await?;
    let membership = Membership {
        project_id: project_id.to_owned(),
        user_id: created.id.clone(),
        accesses,
        notifications: Groups::member_default(),
        joined_at: app.now(),
    };
    match app.ports.table.put(member_item(&membership)?, Condition::NotExists).await {
        Ok(_) => {}
        Err(StoreError::ConditionFailed) => {
            return Err(Error::conflict("already_member", "Этот сотрудник уже в команде проекта"));
        }
        Err(e) => return Err(e.into()),
    }
    notify::enqueue(app, &Job::Welcome { user_id: created.id.clone(), project_name: project.name }).await?;
    Ok(Added { user_id: created.id, invited: false })
}

async fn load(app: &App, project_id: &str, user_id: &str) -> Result<(Membership, u64)> {
    projects::membership(app, project_id, user_id).await?.ok_or(Error::NotFound("member"))
}

/// Changes a member's accesses (the administrator's own access stays) and/or notifications.
pub async fn update(
    app: &App,
    project_id: &str,
    user_id: &str,
    accesses: Option<Vec<Access>>,
    notifications: Option<Groups>,
) -> Result<Member> {
    let (mut m, version) = load(app, project_id, user_id).await?;
    if let Some(list) = accesses {
        let admin = m.is_admin();
        let rest: Vec<Access> = list.into_iter().filter(|a| !(admin && *a == Access::Admin)).collect();
        m.accesses = if admin {
            let mut all = vec![Access::Admin];
            all.extend(if rest.is_empty() { Vec::new() } else { check_accesses(&rest)? });
            all
        } else {
            check_accesses(&rest)?
        };
    }
    if let Some(groups) = notifications {
        m.notifications = groups;
    }
    app.ports.table.put(member_item(&m)?, Condition::Version(version)).await?;
    crate::realtime::recheck(app, user_id, project_id).await?;
    Ok(view(&m, &accounts::get_profile(app, user_id).await?))
}

pub async fn remove(app: &App, project_id: &str, user_id: &str) -> Result<()> {
    let (m, version) = load(app, project_id, user_id).await?;
    if m.is_admin() {
        return Err(Error::conflict(
            "cannot_remove_admin",
            "Сначала передайте права администратора другому сотруднику",
        ));
    }
    let (pk, sk) = keys::member(project_id, user_id);
    app.ports.table.delete(&pk, &sk, Condition::Version(version)).await?;
    crate::realtime::end_subscriptions(app, user_id, project_id).await
}

/// Hands the administrator's access to another member; the former administrator keeps
/// «Настройка проекта». Both changes happen together or not at all.
pub async fn transfer_admin(app: &App, project_id: &str, from: &str, to: &str) -> Result<()> {
    if from == to {
        return Err(Error::invalid("user_id", "already_admin", "Этот сотрудник уже администратор"));
    }
    let (mut old, old_version) = load(app, project_id, from).await?;
    let (mut new, new_version) = load(app, project_id, to).await?;
    old.accesses.retain(|a| *a != Access::Admin);
    if !old.accesses.contains(&Access::Settings) {
        old.accesses.push(Access::Settings);
    }
    new.accesses.retain(|a| *a != Access::Admin);
    new.accesses.insert(0, Access::Admin);
    new.notifications.services = true;
    let writes = vec![
        Write::Put { item: member_item(&old)?, condition: Condition::Version(old_version) },
        Write::Put { item: member_item(&new)?, condition: Condition::Version(new_version) },
    ];
    app.ports.table.transact(writes).await?;
    crate::realtime::recheck(app, from, project_id).await?;
    crate::realtime::recheck(app, to, project_id).await
}

/// An e-mail outside the team that receives chosen groups («Только уведомления»).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotifyEmail {
    pub email: String,
    pub groups: Groups,
}

pub async fn notify_emails(app: &App, project_id: &str) -> Result<Vec<NotifyEmail>> {
    let (pk, sk) = keys::notify_emails(project_id);
    Ok(match app.ports.table.get(&pk, &sk).await? {
        Some(item) => {
            serde_json::from_value(item.body["emails"].clone()).map_err(|e| Error::Internal(e.to_string()))?
        }
        None => Vec::new(),
    })
}

pub async fn set_notify_emails(app: &App, project_id: &str, emails: Vec<NotifyEmail>) -> Result<Vec<NotifyEmail>> {
    let mut clean: Vec<NotifyEmail> = Vec::new();
    for e in emails {
        let email = accounts::normalize_email(&e.email)?;
        if !clean.iter().any(|c| c.email == email) {
            clean.push(NotifyEmail { email, groups: e.groups });
        }
    }
    if clean.len() > 50 {
        return Err(Error::invalid("emails", "too_many_emails", "Не больше 50 адресов"));
    }
    let (pk, sk) = keys::notify_emails(project_id);
    app.ports.table.put(Item::new(pk, sk, serde_json::json!({ "emails": clean })), Condition::Always).await?;
    Ok(clean)
}

/// Mails a notification of a group to whoever should receive it in the project, and sends it
/// to the team's Telegram bot when the project has one.
pub async fn notify_group(app: &App, project_id: &str, group: Group, template: Template) -> Result<()> {
    if crate::teambot::exists(app, project_id).await? {
        let job = Job::Telegram { project_id: project_id.to_owned(), group, template: template.clone() };
        notify::enqueue(app, &job).await?;
    }
    for (language, to) in recipients_by_language(app, project_id, group).await? {
        if !to.is_empty() {
            notify::enqueue(app, &Job::Mail { to, template: template.clone(), language }).await?;
        }
    }
    Ok(())
}

/// Who should receive a notification of a group in the project, by the language of their
/// cabinet (notification-only e-mails read Russian, the product's first language).
pub async fn recipients_by_language(app: &App, project_id: &str, group: Group) -> Result<Vec<(Language, Vec<String>)>> {
    let mut people = Vec::new();
    let mut languages = std::collections::BTreeMap::new();
    for (m, _) in projects::members(app, project_id).await? {
        if let Ok(p) = accounts::get_profile(app, &m.user_id).await {
            languages.insert(p.email.clone(), p.language);
            people.push((p.email, m.is_admin(), m.notifications));
        }
    }
    let members: Vec<Recipient> = people
        .iter()
        .map(|(email, is_admin, groups)| Recipient { email, is_admin: *is_admin, groups: *groups })
        .collect();
    let extra: Vec<(String, Groups)> =
        notify_emails(app, project_id).await?.into_iter().map(|e| (e.email, e.groups)).collect();
    let mut by_language: Vec<(Language, Vec<String>)> = Vec::new();
    for email in notify::recipients(&members, &extra, group) {
        let language = languages.get(&email).copied().unwrap_or_default();
        match by_language.iter_mut().find(|(l, _)| *l == language) {
            Some((_, to)) => to.push(email),
            None => by_language.push((language, vec![email])),
        }
    }
    Ok(by_language)
}

/// Who hears of a customer's request (group 2), grouped by the language of their cabinet and
/// by whether they may open dialogs (the others get a link to the cabinet instead).
pub async fn request_recipients(app: &App, project_id: &str) -> Result<Vec<(Language, bool, Vec<String>)>> {
    let mut dialogs = std::collections::BTreeSet::new();
    for (m, _) in projects::members(app, project_id).await? {
        if crate::access::allows(&m.accesses, crate::access::Action::ViewDialogs) {
            dialogs.insert(m.user_id);
        }
    }
    let mut emails_with_dialogs = std::collections::BTreeSet::new();
    for user_id in &dialogs {
        if let Ok(p) = accounts::get_profile(app, user_id).await {
            emails_with_dialogs.insert(p.email);
        }
    }
    let mut out: Vec<(Language, bool, Vec<String>)> = Vec::new();
    for (language, to) in recipients_by_language(app, project_id, Group::Requests).await? {
        for email in to {
            let opens = emails_with_dialogs.contains(&email);
            match out.iter_mut().find(|(l, o, _)| *l == language && *o == opens) {
                Some((_, _, list)) => list.push(email),
                None => out.push((language, opens, vec![email])),
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projects::NewProject;
    use crate::testing;
    use beseda_ports::queue::NOTIFICATIONS;
    use std::sync::Arc;
    use std::time::Duration;

    async fn mails(app: &App) -> Vec<Job> {
        let got = app.ports.queue.receive(NOTIFICATIONS.name, 10, Duration::ZERO).await.unwrap();
        got.iter().map(|r| serde_json::from_str(&r.body).unwrap()).collect()
    }

    #[tokio::test]
    async fn add_members_transfer_admin_and_remove() {
        let (app, _, _) = testing::app();
        let owner =
            accounts::create_user(&app, NewUser { email: "owner@x.ru".into(), ..Default::default() }, "password1")
                .await
                .unwrap();
        let p = projects::create(&app, &owner.id, NewProject { name: "Ромашка".into(), ..Default::default() }, None)
            .await
            .unwrap();

        let added = add(
            &app,
            &p.id,
            NewMember {
                email: "Ann@X.ru".into(),
                first_name: "Анна".into(),
                phone: Some("8 (912) 345-67-89".into()),
                accesses: vec![Access::Analytics],
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(!added.invited, "a new e-mail joins at once");
        let ann = &list(&app, &p.id, Some("анна"), None).await.unwrap()[0];
        assert_eq!((ann.user_id.as_str(), ann.email.as_str()), (added.user_id.as_str(), "ann@x.ru"));
        assert_eq!(ann.phone.as_deref(), Some("+79123456789"));
        let sent = mails(&app).await;
        assert!(matches!(&sent[0], Job::Welcome { user_id, .. } if *user_id == added.user_id), "{sent:?}");

        let again = NewMember { email: "ann@x.ru".into(), accesses: vec![Access::Operator], ..Default::default() };
        assert!(matches!(add(&app, &p.id, again).await, Err(Error::Conflict { code: "already_member", .. })));
        let none = NewMember { email: "z@x.ru".into(), ..Default::default() };
        assert!(matches!(add(&app, &p.id, none).await, Err(Error::Invalid { code: "access_required", .. })));
        let admin = NewMember { email: "z@x.ru".into(), accesses: vec![Access::Admin], ..Default::default() };
        assert!(matches!(add(&app, &p.id, admin).await, Err(Error::Invalid { code: "admin_via_transfer", .. })));

        let other = projects::create(&app, &owner.id, NewProject { name: "Лютик".into(), ..Default::default() }, None)
            .await
            .unwrap();
        let invited = NewMember { email: "ann@x.ru".into(), accesses: vec![Access::Operator], ..Default::default() };
        assert!(add(&app, &other.id, invited).await.unwrap().invited, "an existing account is invited");
        assert!(matches!(&mails(&app).await[0], Job::Invitation { user_id, .. } if *user_id == added.user_id));
        assert!(list(&app, &other.id, None, None).await.unwrap().iter().all(|m| m.user_id != added.user_id));

        assert_eq!(list(&app, &p.id, Some("анна"), None).await.unwrap().len(), 1);
        assert_eq!(list(&app, &p.id, None, Some(Access::Analytics)).await.unwrap().len(), 1);
        assert_eq!(list(&app, &p.id, None, Some(Access::Operator)).await.unwrap().len(), 0);

        assert!(matches!(
            remove(&app, &p.id, &owner.id).await,
            Err(Error::Conflict { code: "cannot_remove_admin", .. })
        ));
        transfer_admin(&app, &p.id, &owner.id, &added.user_id).await.unwrap();
        let team = list(&app, &p.id, None, None).await.unwrap();
        let admins: Vec<_> = team.iter().filter(|m| m.accesses.contains(&Access::Admin)).collect();
        assert_eq!(admins.len(), 1, "exactly one administrator");
        assert_eq!(admins[0].user_id, added.user_id);
        let former = team.iter().find(|m| m.user_id == owner.id).unwrap();
        assert_eq!(former.accesses, [Access::Settings]);
        remove(&app, &p.id, &owner.id).await.unwrap();
        assert_eq!(list(&app, &p.id, None, None).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_new_account_gets_a_link_and_no_queue_message_holds_a_secret() {
        let (app, _, outbox) = testing::app();
        let owner =
            accounts::create_user(&app, NewUser { email: "owner@x.ru".into(), ..Default::default() }, "password1")
                .await
                .unwrap();
        let p = projects::create(&app, &owner.id, NewProject { name: "Ромашка".into(), ..Default::default() }, None)
            .await
            .unwrap();
        let new = NewMember { email: "new@x.ru".into(), accesses: vec![Access::Operator], ..Default::default() };
        add(&app, &p.id, new).await.unwrap();
        let queued = app.ports.queue.receive(NOTIFICATIONS.name, 10, Duration::ZERO).await.unwrap();
        assert_eq!(queued.len(), 1);
        let body = &queued[0].body;
        let failing =
            App { ports: beseda_ports::Ports { mail: Arc::new(FailingMail), ..app.ports.clone() }, ..app.clone() };
        assert!(notify::deliver(&failing, &queued[0].message_id, body).await.is_err(), "the mail fails: a dead letter");
        notify::deliver(&app, &queued[0].message_id, body).await.unwrap();
        let mails = outbox.list().unwrap();
        let link = mails[0].text.split_whitespace().find(|w| w.contains("/reset?token=")).unwrap();
        assert!(link.ends_with("&welcome=1"));
        let token = link.split("token=").nth(1).unwrap().split('&').next().unwrap();
        assert!(!body.contains(token) && !body.contains("password"), "the queued job holds no secret: {body}");
        assert!(mails.iter().all(|m| !m.text.contains("Пароль:")));
        accounts::confirm_reset(&app, token, "chosen-pass-1", "chosen-pass-1").await.unwrap();
        assert!(accounts::login(&app, "new@x.ru", "chosen-pass-1", "ip").await.is_ok(), "the link sets the password");
    }

    struct FailingMail;

    #[async_trait::async_trait]
    impl beseda_ports::Mailer for FailingMail {
        async fn send(&self, _: &beseda_ports::Mail) -> Result<String, beseda_ports::MailError> {
            Err(beseda_ports::MailError::Backend("down".into()))
        }
    }

    #[test]
    fn operators_and_analysts_see_names_but_not_contacts() {
        let member = |id: &str, accesses: Vec<Access>| Member {
            user_id: id.into(),
            email: format!("{id}@x.ru"),
            first_name: id.to_uppercase(),
            last_name: String::new(),
            phone: Some("+79123456789".into()),
            accesses,
            notifications: Groups::default(),
        };
        let team = vec![member("boss", vec![Access::Admin]), member("op", vec![Access::Operator, Access::Analytics])];
        let viewer = |id: &str, accesses: Vec<Access>| Membership {
            project_id: "p".into(),
            user_id: id.into(),
            accesses,
            notifications: Groups::default(),
            joined_at: chrono::Utc::now(),
        };
        let seen = mask(team.clone(), &viewer("op", vec![Access::Operator, Access::Analytics]));
        assert_eq!((seen[0].first_name.as_str(), seen[0].email.as_str(), seen[0].phone.as_deref()), ("BOSS", "", None));
        assert_eq!(seen[1].email, "op@x.ru", "one's own entry stays whole");
        assert_eq!(mask(team.clone(), &viewer("s", vec![Access::Settings])), team);
    }

    #[tokio::test]
    async fn requests_reach_the_admin_when_nobody_has_them() {
        let (app, _, _) = testing::app();
        let owner =
            accounts::create_user(&app, NewUser { email: "owner@x.ru".into(), ..Default::default() }, "password1")
                .await
                .unwrap();
        let p = projects::create(&app, &owner.id, NewProject { name: "Ромашка".into(), ..Default::default() }, None)
            .await
            .unwrap();
        update(&app, &p.id, &owner.id, None, Some(Groups::default())).await.unwrap();
        notify_group(&app, &p.id, Group::Requests, Template::Test { project_name: "Ромашка".into() }).await.unwrap();
        let sent = mails(&app).await;
        assert!(matches!(&sent[0], Job::Mail { to, .. } if to == &["owner@x.ru"]));
        set_notify_emails(
            &app,
            &p.id,
            vec![NotifyEmail { email: "Boss@X.ru".into(), groups: Groups { statistics: true, ..Groups::default() } }],
        )
        .await
        .unwrap();
        notify_group(&app, &p.id, Group::Statistics, Template::Test { project_name: "Ромашка".into() }).await.unwrap();
        assert!(matches!(&mails(&app).await[0], Job::Mail { to, .. } if to == &["boss@x.ru"]));
    }
}
