//! Accounts (PRODUCT.md §1): users, log-in with e-mail and password, sessions, and the first
//! administrator of a new installation. The e-mail is the login and never changes.

use crate::{App, Error, Result, keys, secrets, throttle};
use beseda_ports::table::{Condition, Item, Query, StoreError, Write};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long a session lasts after log-in.
pub const SESSION_DAYS: i64 = 30;
pub const DEFAULT_TIMEZONE: &str = "Europe/Moscow";
/// The login the first administrator of a new installation gets.
pub const FIRST_ADMIN_EMAIL: &str = "admin@beseda.local";

/// Sound volumes 0–100 for the six events of §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Volumes {
    pub login: u8,
    pub presence: u8,
    pub new_request: u8,
    pub new_message: u8,
    pub settings_saved: u8,
    pub locked_click: u8,
}

impl Default for Volumes {
    fn default() -> Self {
        Self { login: 50, presence: 50, new_request: 80, new_message: 80, settings_saved: 30, locked_click: 30 }
    }
}

/// The language of the cabinet, which service mails to the user follow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Ru,
    En,
}

/// What a user sees of their own account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Profile {
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub timezone: String,
    pub hide_inactive_projects: bool,
    pub volumes: Volumes,
    #[serde(default)]
    pub has_avatar: bool,
    #[serde(default)]
    pub language: Language,
    pub created_at: DateTime<Utc>,
}

/// The stored user: the profile and the password hash, which never leaves the domain, and the
/// generation of the password: every change bumps it, which voids every outstanding link.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    profile: Profile,
    password_hash: String,
    #[serde(default)]
    generation: u64,
}

#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
}

/// Trims and lowercases an e-mail address and checks its shape.
pub fn normalize_email(raw: &str) -> Result<String> {
    let email = raw.trim().to_lowercase();
    let bad = || Error::invalid("email", "invalid_email", "Введите e-mail в виде name@domain.ru");
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let ok = email.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !email.chars().any(|c| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c))
        && !domain.contains('@');
    if ok { Ok(email) } else { Err(bad()) }
}

/// Passwords are at least 8 characters and at most 128.
pub fn check_password(password: &str) -> Result<()> {
    match password.chars().count() {
        n if n < 8 => Err(Error::invalid("password", "password_too_short", "Пароль должен быть не короче 8 символов")),
        n if n > 128 => {
            Err(Error::invalid("password", "password_too_long", "Пароль должен быть не длиннее 128 символов"))
        }
        _ => Ok(()),
    }
}

async fn load(app: &App, user_id: &str) -> Result<Option<(Stored, u64)>> {
    let (pk, sk) = keys::user(user_id);
    match app.ports.table.get(&pk, &sk).await? {
        Some(item) => Ok(Some((item.decode()?, item.version))),
        None => Ok(None),
    }
}

fn user_item(stored: &Stored) -> Result<Item> {
    let (pk, sk) = keys::user(&stored.profile.id);
    let body = serde_json::to_value(stored).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Item::new(pk, sk, body)
        .with_index(keys::USERS_INDEX, format!("{}#{}", stored.profile.created_at.to_rfc3339(), stored.profile.id)))
}

/// Creates an account with the given password; the e-mail must be free.
pub async fn create_user(app: &App, new: NewUser, password: &str) -> Result<Profile> {
    let email = normalize_email(&new.email)?;
    check_password(password)?;
    let profile = Profile {
        id: secrets::new_id(),
        email: email.clone(),
        first_name: new.first_name.trim().to_owned(),
        last_name: new.last_name.trim().to_owned(),
        phone: new.phone,
        timezone: DEFAULT_TIMEZONE.into(),
        hide_inactive_projects: false,
        volumes: Volumes::default(),
        has_avatar: false,
        language: Language::default(),
        created_at: app.now(),
    };
    let stored = Stored { profile: profile.clone(), password_hash: secrets::hash_password(password), generation: 0 };
    let (epk, esk) = keys::email(&email);
    let claim = Item::new(epk, esk, serde_json::json!({ "user_id": profile.id }));
    let writes = vec![
        Write::Put { item: claim, condition: Condition::NotExists },
        Write::Put { item: user_item(&stored)?, condition: Condition::NotExists },
    ];
    match app.ports.table.transact(writes).await {
        Ok(()) => Ok(profile),
        Err(StoreError::TransactionCancelled) => {
            Err(Error::conflict("email_taken", "Пользователь с таким e-mail уже есть"))
        }
        Err(e) => Err(e.into()),
    }
}

/// The user that owns this e-mail, if any.
pub async fn find_by_email(app: &App, email: &str) -> Result<Option<Profile>> {
    Ok(find_stored(app, email).await?.map(|(s, _)| s.profile))
}

/// Whether `password` is the account's password now, with no session and no throttle: the
/// local runner's first-login note asks whether the generated password was changed.
pub async fn password_is(app: &App, email: &str, password: &str) -> Result<bool> {
    let Some((stored, _)) = find_stored(app, email).await? else { return Ok(false) };
    let (password, hash) = (password.to_owned(), stored.password_hash);
    Ok(tokio::task::spawn_blocking(move || secrets::verify_password(&password, &hash)).await.unwrap_or(false))
}

async fn find_stored(app: &App, email: &str) -> Result<Option<(Stored, u64)>> {
    let Ok(email) = normalize_email(email) else {
        return Ok(None);
    };
    let (pk, sk) = keys::email(&email);
    let Some(claim) = app.ports.table.get(&pk, &sk).await? else {
        return Ok(None);
    };
    let user_id = claim.body["user_id"].as_str().unwrap_or_default().to_owned();
    load(app, &user_id).await
}

pub async fn get_profile(app: &App, user_id: &str) -> Result<Profile> {
    load(app, user_id).await?.map(|(s, _)| s.profile).ok_or(Error::NotFound("user"))
}

/// A session token and the user it belongs to.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub user: Profile,
}

/// Checks e-mail and password and opens a session. Attempts are counted per account and per
/// client IP before the password is checked (a right password gives its attempt back); past 10
/// in 15 minutes the answer is `RateLimited` whatever the password.
pub async fn login(app: &App, email: &str, password: &str, ip: &str) -> Result<Session> {
    let email_key = format!("email#{}", email.trim().to_lowercase());
    let ip_key = format!("ip#{ip}");
    let ip_at = throttle::take(app, &ip_key, throttle::LOGIN).await?;
    let email_at = throttle::take(app, &email_key, throttle::LOGIN).await?;
    let found = find_stored(app, email).await?;
    let hash = found.as_ref().map_or(secrets::DUMMY_HASH, |(s, _)| s.password_hash.as_str()).to_owned();
    // Argon2 takes tens of milliseconds of CPU: off the async threads.
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || secrets::verify_password(&password, &hash)).await.unwrap_or(false);
    match found {
        Some((stored, _)) if ok => {
            throttle::give_back(app, &email_key, throttle::LOGIN, email_at).await?;
            throttle::give_back(app, &ip_key, throttle::LOGIN, ip_at).await?;
            Ok(Session { token: open_session(app, &stored.profile.id).await?, user: stored.profile })
        }
        _ => Err(Error::WrongCredentials),
    }
}

async fn open_session(app: &App, user_id: &str) -> Result<String> {
    let token = secrets::token();
    let (pk, sk) = keys::session(&secrets::token_hash(&token));
    let expires = app.now().timestamp() + SESSION_DAYS * 86_400;
    let item = Item::new(pk, sk, serde_json::json!({ "user_id": user_id }))
        .with_index(keys::user_sessions(user_id), app.now().to_rfc3339())
        .expiring_at(expires);
    app.ports.table.put(item, Condition::NotExists).await?;
    Ok(token)
}

/// The user of a live session.
pub async fn session_user(app: &App, token: &str) -> Result<Profile> {
    Ok(session_user_until(app, token).await?.0)
}

/// The user of a live session and when the session ends (epoch seconds).
pub async fn session_user_until(app: &App, token: &str) -> Result<(Profile, Option<i64>)> {
    let (pk, sk) = keys::session(&secrets::token_hash(token));
    let item = app.ports.table.get(&pk, &sk).await?.ok_or(Error::Unauthenticated)?;
    let user_id = item.body["user_id"].as_str().ok_or(Error::Unauthenticated)?.to_owned();
    let profile = load(app, &user_id).await?.map(|(s, _)| s.profile).ok_or(Error::Unauthenticated)?;
    Ok((profile, item.expires_at))
}

/// Closes the session, and the realtime sockets opened with it.
pub async fn logout(app: &App, token: &str) -> Result<()> {
    let hash = secrets::token_hash(token);
    let (pk, sk) = keys::session(&hash);
    let item = app.ports.table.get(&pk, &sk).await?;
    app.ports.table.delete(&pk, &sk, Condition::Always).await?;
    if let Some(user_id) = item.as_ref().and_then(|i| i.body["user_id"].as_str()) {
        crate::realtime::end_sessions(app, user_id, |s| s == hash).await?;
    }
    Ok(())
}

/// Closes every session of a user but the one given, and the realtime sockets opened with them.
async fn revoke_sessions(app: &App, user_id: &str, keep: Option<&str>) -> Result<()> {
    let keep_hash = keep.map(secrets::token_hash);
    crate::realtime::end_sessions(app, user_id, |s| Some(s) != keep_hash.as_deref()).await?;
    let keep = keep_hash.map(|h| keys::session(&h).0);
    loop {
        let page = app.ports.table.query(Query::index(keys::user_sessions(user_id)).limit(100)).await?;
        let doomed: Vec<_> = page.items.into_iter().filter(|i| Some(&i.pk) != keep.as_ref()).collect();
        if doomed.is_empty() {
            return Ok(());
        }
        for item in doomed {
            app.ports.table.delete(&item.pk, &item.sk, Condition::Always).await?;
        }
    }
}

/// Changes to one's own profile; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ProfileChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Empty to remove.
    pub phone: Option<String>,
    pub timezone: Option<String>,
    pub hide_inactive_projects: Option<bool>,
    pub volumes: Option<Volumes>,
    pub language: Option<Language>,
}

fn check_name(field: &'static str, name: &str) -> Result<String> {
    let name = name.trim();
    if name.chars().count() > 50 {
        return Err(Error::invalid(field, "name_too_long", "Не длиннее 50 символов"));
    }
    Ok(name.to_owned())
}

async fn save(app: &App, stored: &Stored, version: u64) -> Result<()> {
    app.ports.table.put(user_item(stored)?, Condition::Version(version)).await?;
    Ok(())
}

pub async fn update_profile(app: &App, user_id: &str, changes: ProfileChanges) -> Result<Profile> {
    let (mut stored, version) = load(app, user_id).await?.ok_or(Error::NotFound("user"))?;
    let p = &mut stored.profile;
    if let Some(v) = changes.first_name {
        p.first_name = check_name("first_name", &v)?;
    }
    if let Some(v) = changes.last_name {
        p.last_name = check_name("last_name", &v)?;
    }
    if let Some(v) = changes.phone {
        p.phone = if v.trim().is_empty() { None } else { Some(crate::phone::normalize("phone", &v)?) };
    }
    if let Some(tz) = changes.timezone {
        crate::projects::check_timezone("timezone", &tz)?;
        p.timezone = tz;
    }
    if let Some(v) = changes.hide_inactive_projects {
        p.hide_inactive_projects = v;
    }
    if let Some(v) = changes.volumes {
        let all = [v.login, v.presence, v.new_request, v.new_message, v.settings_saved, v.locked_click];
        if all.iter().any(|x| *x > 100) {
            return Err(Error::invalid("volumes", "invalid_volume", "Громкость — от 0 до 100"));
        }
        p.volumes = v;
    }
    if let Some(v) = changes.language {
        p.language = v;
    }
    save(app, &stored, version).await?;
    Ok(stored.profile)
}

/// Changes the password knowing the old one; other sessions of the user are closed.
pub async fn change_password(
    app: &App,
    user_id: &str,
    current_token: &str,
    old: &str,
    new: &str,
    again: &str,
) -> Result<()> {
    let (mut stored, version) = load(app, user_id).await?.ok_or(Error::NotFound("user"))?;
    let (old, hash) = (old.to_owned(), stored.password_hash.clone());
    if !tokio::task::spawn_blocking(move || secrets::verify_password(&old, &hash)).await.unwrap_or(false) {
        return Err(Error::invalid("old_password", "wrong_password", "Старый пароль указан неверно"));
    }
    if new != again {
        return Err(Error::invalid("new_password_again", "passwords_differ", "Новые пароли не совпадают"));
    }
    check_password(new).map_err(|e| match e {
        Error::Invalid { code, message, .. } => Error::Invalid { field: "new_password", code, message },
        other => other,
    })?;
    stored.password_hash = secrets::hash_password(new);
    stored.generation += 1;
    save(app, &stored, version).await?;
    revoke_sessions(app, user_id, Some(current_token)).await
}

/// What a one-time password link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkPurpose {
    /// «Забыли пароль?»: valid one hour.
    Reset,
    /// A new account made by adding a member: set the first password, valid seven days.
    Welcome,
}

/// How long a password-reset link works.
pub const RESET_SECS: i64 = 3600;
/// How long the "set your password" link of a new account works.
pub const WELCOME_SECS: i64 = 7 * 86_400;

impl LinkPurpose {
    pub fn valid_secs(self) -> i64 {
        match self {
            LinkPurpose::Reset => RESET_SECS,
            LinkPurpose::Welcome => WELCOME_SECS,
        }
    }
}

fn reset_key(token: &str) -> (String, String) {
    keys::password_reset(&secrets::token_hash(token))
}

/// Asks for a password-reset link. Requests are limited per client IP and per e-mail, and the
/// answer is the same work whether the account exists or not: the lookup and the mail happen in
/// the notifications worker ([`crate::notify::Job::PasswordReset`]), and the queue holds no link.
pub async fn request_reset(app: &App, email: &str, ip: &str, lang: Option<Language>) -> Result<()> {
    throttle::take(app, &format!("reset#ip#{ip}"), throttle::RESET_IP).await?;
    let Ok(email) = normalize_email(email) else { return Ok(()) };
    throttle::take(app, &format!("reset#email#{email}"), throttle::RESET_ACCOUNT).await?;
    crate::notify::enqueue(app, &crate::notify::Job::PasswordReset { email, lang }).await
}

/// Makes a one-time link that sets the account's password; it works until it expires, is used,
/// or the password changes in any way. Returns the account and the link, for the mail only.
pub async fn password_link(app: &App, user_id: &str, purpose: LinkPurpose) -> Result<(Profile, String)> {
    let (stored, _) = load(app, user_id).await?.ok_or(Error::NotFound("user"))?;
    let token = secrets::token();
    let (pk, sk) = reset_key(&token);
    let body = serde_json::json!({ "user_id": user_id, "generation": stored.generation });
    let item = Item::new(pk, sk, body).expiring_at(app.now().timestamp() + purpose.valid_secs());
    app.ports.table.put(item, Condition::NotExists).await?;
    let welcome = if purpose == LinkPurpose::Welcome { "&welcome=1" } else { "" };
    Ok((stored.profile, format!("{}/reset?token={token}{welcome}", app.settings.public_url)))
}

/// Sets a new password with a link's token; the link works once, using it voids every other
/// link of the account, and every session of the account is closed.
pub async fn confirm_reset(app: &App, token: &str, password: &str, again: &str) -> Result<()> {
    if password != again {
        return Err(Error::invalid("password_again", "passwords_differ", "Пароли не совпадают"));
    }
    check_password(password)?;
    let (pk, sk) = reset_key(token);
    let bad_link =
        || Error::invalid("token", "invalid_reset_link", "Ссылка устарела или уже использована; запросите новую");
    let item = app.ports.table.get(&pk, &sk).await?.ok_or_else(bad_link)?;
    let user_id = item.body["user_id"].as_str().ok_or_else(bad_link)?.to_owned();
    let (mut stored, version) = load(app, &user_id).await?.ok_or_else(bad_link)?;
    if item.body["generation"].as_u64().unwrap_or(0) != stored.generation {
        return Err(bad_link());
    }
    stored.password_hash = secrets::hash_password(password);
    stored.generation += 1;
    let writes = vec![
        Write::Delete { pk, sk, condition: Condition::Version(item.version) },
        Write::Put { item: user_item(&stored)?, condition: Condition::Version(version) },
    ];
    app.ports.table.transact(writes).await.map_err(|e| match e {
        StoreError::TransactionCancelled => bad_link(),
        other => other.into(),
    })?;
    revoke_sessions(app, &user_id, None).await
}

/// The largest avatar accepted.
pub const AVATAR_MAX: usize = 2 * 1024 * 1024;

/// The image type of an avatar, told by its content: PNG or JPEG only.
pub fn avatar_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

fn avatar_key(user_id: &str) -> String {
    format!("users/{user_id}/avatar")
}

pub async fn set_avatar(app: &App, user_id: &str, bytes: bytes::Bytes) -> Result<Profile> {
    if bytes.len() > AVATAR_MAX {
        return Err(Error::invalid("avatar", "avatar_too_large", "Аватар — не больше 2 МБ"));
    }
    let content_type =
        avatar_type(&bytes).ok_or_else(|| Error::invalid("avatar", "avatar_type", "Аватар — только JPG или PNG"))?;
    app.ports.blobs.put(&avatar_key(user_id), beseda_ports::Blob { bytes, content_type: content_type.into() }).await?;
    let (mut stored, version) = load(app, user_id).await?.ok_or(Error::NotFound("user"))?;
    stored.profile.has_avatar = true;
    save(app, &stored, version).await?;
    Ok(stored.profile)
}

pub async fn avatar(app: &App, user_id: &str) -> Result<beseda_ports::Blob> {
    app.ports.blobs.get(&avatar_key(user_id)).await?.ok_or(Error::NotFound("avatar"))
}

pub async fn delete_avatar(app: &App, user_id: &str) -> Result<()> {
    app.ports.blobs.delete(&avatar_key(user_id)).await?;
    let (mut stored, version) = load(app, user_id).await?.ok_or(Error::NotFound("user"))?;
    stored.profile.has_avatar = false;
    save(app, &stored, version).await
}

/// On a new installation (no user at all) creates the first administrator with a generated
/// password and returns the login and password to show once.
pub async fn ensure_first_admin(app: &App) -> Result<Option<(String, String)>> {
    let any = app.ports.table.query(Query::index(keys::USERS_INDEX).limit(1)).await?;
    if !any.items.is_empty() {
        return Ok(None);
    }
    let password = secrets::password();
    let new = NewUser {
        email: FIRST_ADMIN_EMAIL.into(), first_name: "Администратор".into(), ..NewUser::default()
    };
    create_user(app, new, &password).await?;
    Ok(Some((FIRST_ADMIN_EMAIL.into(), password)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    async fn user(app: &App, email: &str) -> Profile {
        create_user(app, NewUser { email: email.into(), ..Default::default() }, "password1").await.unwrap()
    }

    #[tokio::test]
    async fn profile_changes_are_checked() {
        let (app, _, _) = testing::app();
        let u = user(&app, "p@x.ru").await;
        let changes = ProfileChanges {
            first_name: Some(" Анна ".into()),
            phone: Some("8 912 345 67 89".into()),
            timezone: Some("Asia/Yekaterinburg".into()),
            ..Default::default()
        };
        let p = update_profile(&app, &u.id, changes).await.unwrap();
        assert_eq!(
            (p.first_name.as_str(), p.phone.as_deref(), p.timezone.as_str()),
            ("Анна", Some("+79123456789"), "Asia/Yekaterinburg")
        );
        let bad = ProfileChanges { timezone: Some("Nowhere/City".into()), ..Default::default() };
        assert!(matches!(update_profile(&app, &u.id, bad).await, Err(Error::Invalid { field: "timezone", .. })));
        let loud = ProfileChanges { volumes: Some(Volumes { login: 101, ..Volumes::default() }), ..Default::default() };
        assert!(matches!(update_profile(&app, &u.id, loud).await, Err(Error::Invalid { code: "invalid_volume", .. })));
        assert_eq!(get_profile(&app, &u.id).await.unwrap().email, "p@x.ru", "the e-mail never changes");
    }

    #[tokio::test]
    async fn changing_the_password_closes_other_sessions() {
        let (app, _, _) = testing::app();
        let u = user(&app, "c@x.ru").await;
        let here = login(&app, "c@x.ru", "password1", "ip").await.unwrap().token;
        let elsewhere = login(&app, "c@x.ru", "password1", "ip").await.unwrap().token;
        assert!(matches!(
            change_password(&app, &u.id, &here, "nope", "newpass12", "newpass12").await,
            Err(Error::Invalid { code: "wrong_password", .. })
        ));
        assert!(matches!(
            change_password(&app, &u.id, &here, "password1", "newpass12", "other123").await,
            Err(Error::Invalid { code: "passwords_differ", .. })
        ));
        assert!(matches!(
            change_password(&app, &u.id, &here, "password1", "short", "short").await,
            Err(Error::Invalid { field: "new_password", .. })
        ));
        change_password(&app, &u.id, &here, "password1", "newpass12", "newpass12").await.unwrap();
        assert!(session_user(&app, &here).await.is_ok());
        assert!(session_user(&app, &elsewhere).await.is_err());
        assert!(login(&app, "c@x.ru", "newpass12", "ip").await.is_ok());
    }

    /// Runs the notifications worker over the queue and returns the link of the last mail.
    async fn mailed_link(app: &App, outbox: &beseda_embedded::Outbox) -> Option<String> {
        let got = app.ports.queue.receive("notifications", 10, std::time::Duration::ZERO).await.unwrap();
        for m in &got {
            crate::notify::deliver(app, &m.message_id, &m.body).await.unwrap();
        }
        let mails = outbox.list().unwrap();
        let last = mails.last()?;
        let link = last.text.split_whitespace().find(|w| w.contains("/reset?token="))?.to_owned();
        Some(link)
    }

    fn token_of(link: &str) -> String {
        link.split("token=").nth(1).unwrap().split('&').next().unwrap().to_owned()
    }

    #[tokio::test]
    async fn a_reset_link_works_once_and_for_an_hour() {
        let (app, clock, outbox) = testing::app();
        user(&app, "r@x.ru").await;
        request_reset(&app, "nobody@x.ru", "ip", None).await.unwrap();
        assert_eq!(mailed_link(&app, &outbox).await, None, "no account, no mail");
        request_reset(&app, "R@x.ru", "ip", None).await.unwrap();
        let link = mailed_link(&app, &outbox).await.unwrap();
        assert!(link.starts_with("http://cabinet.test/reset?token="));
        let token = token_of(&link);
        confirm_reset(&app, &token, "brand-new-1", "brand-new-1").await.unwrap();
        assert!(matches!(
            confirm_reset(&app, &token, "again-new-1", "again-new-1").await,
            Err(Error::Invalid { code: "invalid_reset_link", .. })
        ));
        assert!(login(&app, "r@x.ru", "brand-new-1", "ip").await.is_ok());

        request_reset(&app, "r@x.ru", "ip", None).await.unwrap();
        let token = token_of(&mailed_link(&app, &outbox).await.unwrap());
        clock.advance(chrono::Duration::seconds(RESET_SECS + 1));
        assert!(matches!(
            confirm_reset(&app, &token, "late-pass-1", "late-pass-1").await,
            Err(Error::Invalid { code: "invalid_reset_link", .. })
        ));
    }

    #[tokio::test]
    async fn using_a_link_or_changing_the_password_voids_every_other_link() {
        let (app, _, outbox) = testing::app();
        let u = user(&app, "v@x.ru").await;
        request_reset(&app, "v@x.ru", "ip", None).await.unwrap();
        let older = token_of(&mailed_link(&app, &outbox).await.unwrap());
        request_reset(&app, "v@x.ru", "ip", None).await.unwrap();
        let newer = token_of(&mailed_link(&app, &outbox).await.unwrap());
        confirm_reset(&app, &newer, "newer-pass-1", "newer-pass-1").await.unwrap();
        assert!(matches!(
            confirm_reset(&app, &older, "older-pass-1", "older-pass-1").await,
            Err(Error::Invalid { code: "invalid_reset_link", .. })
        ));

        request_reset(&app, "v@x.ru", "ip", None).await.unwrap();
        let pending = token_of(&mailed_link(&app, &outbox).await.unwrap());
        let here = login(&app, "v@x.ru", "newer-pass-1", "ip").await.unwrap().token;
        change_password(&app, &u.id, &here, "newer-pass-1", "third-pass-1", "third-pass-1").await.unwrap();
        assert!(matches!(
            confirm_reset(&app, &pending, "hijack-pass-1", "hijack-pass-1").await,
            Err(Error::Invalid { code: "invalid_reset_link", .. })
        ));
        assert!(login(&app, "v@x.ru", "third-pass-1", "ip").await.is_ok());
    }

    #[tokio::test]
    async fn reset_requests_are_limited_and_alike_for_unknown_accounts() {
        let (app, _, _) = testing::app();
        user(&app, "w@x.ru").await;
        for email in ["w@x.ru", "nobody@x.ru"] {
            for i in 0..throttle::RESET_ACCOUNT.max {
                request_reset(&app, email, &format!("10.3.0.{i}"), None).await.unwrap();
            }
            assert!(matches!(request_reset(&app, email, "10.3.1.1", None).await, Err(Error::RateLimited { .. })));
        }
        let queued = app.ports.queue.receive("notifications", 20, std::time::Duration::ZERO).await.unwrap();
        let shapes: std::collections::BTreeSet<String> =
            queued.iter().map(|m| m.body.replace("w@x.ru", "E").replace("nobody@x.ru", "E")).collect();
        assert_eq!(shapes.len(), 1, "one job shape whether the account exists or not: {shapes:?}");
        for i in 0..throttle::RESET_IP.max {
            let _ = request_reset(&app, &format!("k{i}@x.ru"), "10.4.0.1", None).await;
        }
        assert!(matches!(request_reset(&app, "w@x.ru", "10.4.0.1", None).await, Err(Error::RateLimited { .. })));
    }

    #[tokio::test]
    async fn avatars_are_checked_by_content() {
        let (app, _, _) = testing::app();
        let u = user(&app, "a@x.ru").await;
        let png = bytes::Bytes::from_static(b"\x89PNG\r\n\x1a\nrest-of-image");
        assert!(set_avatar(&app, &u.id, png.clone()).await.unwrap().has_avatar);
        assert_eq!(avatar(&app, &u.id).await.unwrap().content_type, "image/png");
        let gif_named_png = bytes::Bytes::from_static(b"GIF89a....");
        assert!(matches!(
            set_avatar(&app, &u.id, gif_named_png).await,
            Err(Error::Invalid { code: "avatar_type", .. })
        ));
        let huge = bytes::Bytes::from(vec![0xFF; AVATAR_MAX + 1]);
        assert!(matches!(set_avatar(&app, &u.id, huge).await, Err(Error::Invalid { code: "avatar_too_large", .. })));
        delete_avatar(&app, &u.id).await.unwrap();
        assert!(!get_profile(&app, &u.id).await.unwrap().has_avatar);
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(normalize_email("  Anna@Example.RU ").unwrap(), "anna@example.ru");
        for bad in ["", "anna", "anna@", "@x.ru", "anna@ru", "an na@x.ru", "a@x..ru", "a@.x.ru", "a<b>@x.ru"] {
            assert!(normalize_email(bad).is_err(), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn log_in_with_the_right_password_only() {
        let (app, _, _) = testing::app();
        let new = NewUser { email: "Anna@Example.ru".into(), first_name: "Анна".into(), ..Default::default() };
        let anna = create_user(&app, new.clone(), "s3cret-pass").await.unwrap();
        assert!(matches!(create_user(&app, new, "other-pass").await, Err(Error::Conflict { code: "email_taken", .. })));
        let session = login(&app, "anna@example.ru", "s3cret-pass", "10.0.0.1").await.unwrap();
        assert_eq!(session.user.id, anna.id);
        assert_eq!(session_user(&app, &session.token).await.unwrap().email, "anna@example.ru");
        assert!(matches!(login(&app, "anna@example.ru", "wrong", "10.0.0.1").await, Err(Error::WrongCredentials)));
        assert!(matches!(
            login(&app, "nobody@example.ru", "s3cret-pass", "10.0.0.1").await,
            Err(Error::WrongCredentials)
        ));
        logout(&app, &session.token).await.unwrap();
        assert!(matches!(session_user(&app, &session.token).await, Err(Error::Unauthenticated)));
    }

    #[tokio::test]
    async fn sessions_expire_after_thirty_days() {
        let (app, clock, _) = testing::app();
        create_user(&app, NewUser { email: "b@x.ru".into(), ..Default::default() }, "password1").await.unwrap();
        let s = login(&app, "b@x.ru", "password1", "ip").await.unwrap();
        clock.advance(chrono::Duration::days(SESSION_DAYS) - chrono::Duration::seconds(1));
        assert!(session_user(&app, &s.token).await.is_ok());
        clock.advance(chrono::Duration::seconds(2));
        assert!(matches!(session_user(&app, &s.token).await, Err(Error::Unauthenticated)));
    }

    #[tokio::test]
    async fn ten_failures_lock_the_account_even_for_the_right_password() {
        let (app, clock, _) = testing::app();
        create_user(&app, NewUser { email: "c@x.ru".into(), ..Default::default() }, "password1").await.unwrap();
        for i in 0..10 {
            let ip = format!("10.0.0.{i}");
            assert!(matches!(login(&app, "c@x.ru", "bad", &ip).await, Err(Error::WrongCredentials)));
        }
        assert!(matches!(login(&app, "c@x.ru", "password1", "10.9.9.9").await, Err(Error::RateLimited { .. })));
        clock.advance(chrono::Duration::minutes(15));
        assert!(login(&app, "c@x.ru", "password1", "10.9.9.9").await.is_ok());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn forty_parallel_guesses_get_at_most_ten_password_checks() {
        let (app, _, _) = testing::app();
        create_user(&app, NewUser { email: "e@x.ru".into(), ..Default::default() }, "password1").await.unwrap();
        let tasks: Vec<_> = (0..40)
            .map(|i| {
                let app = app.clone();
                tokio::spawn(async move { login(&app, "e@x.ru", "wrong-guess", &format!("10.1.0.{i}")).await })
            })
            .collect();
        let (mut checked, mut limited) = (0, 0);
        for t in tasks {
            match t.await.unwrap() {
                Err(Error::WrongCredentials) => checked += 1,
                Err(Error::RateLimited { .. }) => limited += 1,
                other => panic!("{other:?}"),
            }
        }
        assert!(checked <= 10, "{checked} passwords checked");
        assert_eq!(checked + limited, 40);
    }

    #[tokio::test]
    async fn right_passwords_do_not_use_up_the_limit() {
        let (app, _, _) = testing::app();
        create_user(&app, NewUser { email: "f@x.ru".into(), ..Default::default() }, "password1").await.unwrap();
        for _ in 0..15 {
            login(&app, "f@x.ru", "password1", "10.2.0.1").await.unwrap();
        }
    }

    #[tokio::test]
    async fn ten_failures_from_one_ip_lock_that_ip() {
        let (app, _, _) = testing::app();
        create_user(&app, NewUser { email: "d@x.ru".into(), ..Default::default() }, "password1").await.unwrap();
        for i in 0..10 {
            let _ = login(&app, &format!("guess{i}@x.ru"), "bad", "192.0.2.7").await;
        }
        assert!(matches!(login(&app, "d@x.ru", "password1", "192.0.2.7").await, Err(Error::RateLimited { .. })));
        assert!(login(&app, "d@x.ru", "password1", "192.0.2.8").await.is_ok());
    }

    #[tokio::test]
    async fn the_first_admin_is_made_once() {
        let (app, _, _) = testing::app();
        let (email, password) = ensure_first_admin(&app).await.unwrap().expect("created on an empty store");
        assert_eq!(email, FIRST_ADMIN_EMAIL);
        assert!(login(&app, &email, &password, "ip").await.is_ok());
        assert_eq!(ensure_first_admin(&app).await.unwrap(), None);
    }
}
