//! The messenger integrations of a project (PRODUCT.md «Синхронизации»): a Telegram bot, a VK
//! community, a Viber bot. Their settings are stored with every secret field sealed by the
//! installation's data key (`keyring`; never logged, never returned in full, never put in a queue); enabling one
//! checks the credentials with the platform and registers the webhook; a webhook URL resolves
//! to its integration; what a verified webhook says goes into the dialogs.

use crate::dialogs::{self, Source, messenger};
use crate::keyring::secret_key;
use crate::secrets::{self, SecretKey};
use crate::{App, Error, Result, keys};
use beseda_channels::{Credentials, Event};
use beseda_ports::table::{Condition, Item, Query};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

pub use beseda_channels::Kind;
pub use dialogs::delivery::ChannelSet;

/// The random secret Telegram echoes in every webhook request (generated, never typed in).
const TELEGRAM_SECRET_TOKEN: &str = "secret_token";
/// The VK setting whose value is the webhook URL's key.
const VK_COMMUNITY_ID: &str = "community_id";
const TELEGRAM_USERNAME: &str = "username";

/// A Telegram bot's @username as BotFather allows it: 5–32 latin letters, digits and `_`,
/// ending in `bot` (`shop_bot`, `ShopBot`).
fn bot_username_ok(u: &str) -> bool {
    (5..=32).contains(&u.len())
        && u.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && u.to_ascii_lowercase().ends_with("bot")
}

/// An enabled integration, resolved for a webhook or a delivery, with its secrets decrypted.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub project_id: String,
    pub integration_id: String,
    pub kind: Kind,
    /// Decrypted; `Debug` prints only the field names.
    pub credentials: Credentials,
    pub show_operator_name: bool,
}

/// The health of an integration as the cabinet shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Status {
    pub webhook_registered: bool,
    pub last_inbound_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// An integration as stored: non-secret settings in the clear, secret ones sealed. Never sent
/// anywhere as it is.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    id: String,
    kind: Kind,
    enabled: bool,
    enabled_at: Option<DateTime<Utc>>,
    show_operator_name: bool,
    settings: BTreeMap<String, String>,
    sealed: BTreeMap<String, String>,
    status: Status,
}

/// An integration as the cabinet sees it: secrets masked like `12…xY`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct View {
    /// `telegram`, `vk` or `viber`.
    pub kind: String,
    pub enabled: bool,
    pub enabled_at: Option<DateTime<Utc>>,
    pub show_operator_name: bool,
    /// Where the platform sends webhooks (pasted by hand for VK); None until saved.
    pub webhook_url: Option<String>,
    pub settings: BTreeMap<String, String>,
    pub status: Status,
}

/// What the cabinet saves.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct Change {
    pub enabled: bool,
    #[serde(default)]
    pub show_operator_name: bool,
    /// Field values; a secret field omitted or empty keeps its stored value.
    #[serde(default)]
    pub settings: BTreeMap<String, String>,
}

/// The key a webhook URL carries: the integration id, or the VK community id.
fn route_key(r: &Record) -> Option<String> {
    match r.kind {
        Kind::Vk => r.settings.get(VK_COMMUNITY_ID).cloned(),
        Kind::Telegram | Kind::Viber => Some(r.id.clone()),
    }
}

fn webhook_url(app: &App, r: &Record) -> Option<String> {
    let key = route_key(r)?;
    Some(match r.kind {
        Kind::Vk => format!("{}/mp/webhooks/vk/{key}", app.settings.public_url),
        Kind::Telegram | Kind::Viber => format!("{}/webhooks/{}/{key}", app.settings.public_url, r.kind),
    })
}

fn view(app: &App, r: &Record, key: Option<&SecretKey>) -> View {
    let mut settings = r.settings.clone();
    for (field, sealed) in &r.sealed {
        if field == TELEGRAM_SECRET_TOKEN {
            continue;
        }
        let masked = key.and_then(|k| k.open(sealed)).map_or_else(|| "…".to_owned(), |s| secrets::mask(&s));
        settings.insert(field.clone(), masked);
    }
    View {
        kind: r.kind.to_string(),
        enabled: r.enabled,
        enabled_at: r.enabled_at,
        show_operator_name: r.show_operator_name,
        webhook_url: webhook_url(app, r),
        settings,
        status: r.status.clone(),
    }
}

fn credentials(r: &Record, key: &SecretKey) -> Result<Credentials> {
    let mut values = r.settings.clone();
    for (field, sealed) in &r.sealed {
        let plain =
            key.open(sealed).ok_or_else(|| Error::Internal(format!("the {} secret does not decrypt", r.kind)))?;
        values.insert(field.clone(), plain);
    }
    Ok(Credentials(values))
}

async fn load(app: &App, project_id: &str, kind: Kind) -> Result<Option<(Record, u64)>> {
    let (pk, sk) = keys::integration(project_id, kind.as_str());
    Ok(app.ports.table.get(&pk, &sk).await?.map(|i| i.decode().map(|r| (r, i.version))).transpose()?)
}

async fn store(app: &App, project_id: &str, r: &Record, version: Option<u64>) -> Result<()> {
    let (pk, sk) = keys::integration(project_id, r.kind.as_str());
    let body = serde_json::to_value(r).map_err(|e| Error::Internal(e.to_string()))?;
    let mut item = Item::new(pk, sk, body);
    if let (true, Some(route)) = (r.enabled, route_key(r)) {
        item = item.with_index(keys::webhook_route(r.kind.as_str(), &route), project_id);
    }
    let condition = version.map_or(Condition::NotExists, Condition::Version);
    match app.ports.table.put(item, condition).await {
        Ok(_) => Ok(()),
        Err(beseda_ports::StoreError::ConditionFailed) => {
            Err(Error::conflict("changed", "Настройки изменились одновременно; обновите страницу"))
        }
        Err(e) => Err(e.into()),
    }
}

async fn last_inbound(app: &App, project_id: &str, kind: Kind) -> Result<Option<DateTime<Utc>>> {
    let (pk, sk) = keys::integration_activity(project_id, kind.as_str());
    let item = app.ports.table.get(&pk, &sk).await?;
    Ok(item.and_then(|i| serde_json::from_value(i.body["at"].clone()).ok()))
}

/// Every platform's integration of a project, set up or not.
pub async fn list(app: &App, project_id: &str) -> Result<Vec<View>> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let mut v = match load(app, project_id, kind).await? {
            Some((r, _)) if r.sealed.is_empty() => view(app, &r, None),
            Some((r, _)) => view(app, &r, Some(secret_key(app).await?)),
            None => View {
                kind: kind.to_string(),
                enabled: false,
                enabled_at: None,
                show_operator_name: false,
                webhook_url: None,
                settings: BTreeMap::new(),
                status: Status::default(),
            },
        };
        v.status.last_inbound_at = last_inbound(app, project_id, kind).await?;
        out.push(v);
    }
    Ok(out)
}

/// Applies the cabinet's change to a record: unknown fields refused, secrets sealed (an empty
/// one keeps the stored value), the Telegram username checked. An error names the setting
/// (`username`, `token`…) so the cabinet shows it at its input.
fn apply(r: &mut Record, change: &Change, fields: &[beseda_channels::Field], key: &SecretKey) -> Result<()> {
    for (name, value) in &change.settings {
        let field = fields
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| Error::invalid("settings", "unknown_field", format!("Нет поля «{name}»")))?;
        let value = value.trim();
        match (field.secret, value.is_empty()) {
            (true, true) => {}
            (true, false) => {
                r.sealed.insert(name.clone(), key.seal(value));
            }
            (false, true) => {
                r.settings.remove(name);
            }
            (false, false) => {
                r.settings.insert(name.clone(), value.to_owned());
            }
        }
    }
    if r.kind == Kind::Telegram {
        if let Some(u) = r.settings.get_mut(TELEGRAM_USERNAME) {
            *u = u.trim_start_matches('@').to_owned();
            if !bot_username_ok(u) {
                return Err(Error::invalid(
                    TELEGRAM_USERNAME,
                    "invalid_bot_username",
                    "Имя бота — 5–32 латинских букв, цифр и _, оканчивается на bot (как shop_bot или ShopBot)",
                ));
            }
        }
        if !r.sealed.contains_key(TELEGRAM_SECRET_TOKEN) {
            r.sealed.insert(TELEGRAM_SECRET_TOKEN.to_owned(), key.seal(&secrets::token()));
        }
    }
    if let Some(missing) =
        fields.iter().find(|f| f.required && !r.settings.contains_key(f.name) && !r.sealed.contains_key(f.name))
    {
        return Err(Error::invalid(missing.name, "field_required", format!("Заполните поле «{}»", missing.name)));
    }
    Ok(())
}

/// Saves an integration; enabling it checks the credentials with the platform and registers
/// the webhook (a refusal is kept as the status's last error and answered 422), disabling it
/// unregisters the webhook.
pub async fn save(app: &App, channels: &dyn ChannelSet, project_id: &str, kind: Kind, change: Change) -> Result<View> {
    let key = secret_key(app).await?;
    let channel = channels.get(kind);
    let (mut r, version) = match load(app, project_id, kind).await? {
        Some((r, v)) => (r, Some(v)),
        None => (
            Record {
                id: secrets::new_id(),
                kind,
                enabled: false,
                enabled_at: None,
                show_operator_name: false,
                settings: BTreeMap::new(),
                sealed: BTreeMap::new(),
                status: Status::default(),
            },
            None,
        ),
    };
    let was_enabled = r.enabled;
    apply(&mut r, &change, channel.fields(), key)?;
    r.show_operator_name = change.show_operator_name;
    if change.enabled {
        if let Some(route) = route_key(&r) {
            let q = Query::index(keys::webhook_route(kind.as_str(), &route)).limit(2);
            let taken = app.ports.table.query(q).await?.items.iter().any(|i| i.pk != keys::project(project_id));
            if taken {
                return Err(Error::conflict("already_connected", "Это сообщество уже подключено к другому проекту"));
            }
        }
        let url = webhook_url(app, &r).unwrap_or_default();
        match channel.connect(&credentials(&r, key)?, &url).await {
            Ok(c) => {
                r.status.webhook_registered = c.webhook_registered;
                r.status.last_error = None;
                r.enabled = true;
                if !was_enabled {
                    r.enabled_at = Some(app.now());
                }
            }
            Err(e) => {
                r.enabled = false;
                r.status.webhook_registered = false;
                r.status.last_error = Some(e.to_string());
                store(app, project_id, &r, version).await?;
                return Err(Error::invalid("settings", "connect_failed", format!("Платформа отказала: {e}")));
            }
        }
    } else {
        if was_enabled {
            r.status.last_error = channel.disconnect(&credentials(&r, key)?).await.err().map(|e| e.to_string());
        }
        r.enabled = false;
        r.status.webhook_registered = false;
    }
    store(app, project_id, &r, version).await?;
    let mut v = view(app, &r, Some(key));
    v.status.last_inbound_at = last_inbound(app, project_id, kind).await?;
    Ok(v)
}

/// Checks an enabled integration again: `connect` re-registers the webhook, the status says
/// how it went.
pub async fn check(app: &App, channels: &dyn ChannelSet, project_id: &str, kind: Kind) -> Result<View> {
    let key = secret_key(app).await?;
    let (mut r, version) = load(app, project_id, kind).await?.ok_or(Error::NotFound("integration"))?;
    let url = webhook_url(app, &r).unwrap_or_default();
    match channels.get(kind).connect(&credentials(&r, key)?, &url).await {
        Ok(c) => {
            r.status.webhook_registered = c.webhook_registered;
            r.status.last_error = None;
        }
        Err(e) => r.status.last_error = Some(e.to_string()),
    }
    store(app, project_id, &r, Some(version)).await?;
    let mut v = view(app, &r, Some(key));
    v.status.last_inbound_at = last_inbound(app, project_id, kind).await?;
    Ok(v)
}

/// Removes an integration (its webhook unregistered where the platform allows it).
pub async fn delete(app: &App, channels: &dyn ChannelSet, project_id: &str, kind: Kind) -> Result<()> {
    let Some((r, _)) = load(app, project_id, kind).await? else { return Err(Error::NotFound("integration")) };
    if r.enabled {
        if let Ok(creds) = secret_key(app).await.and_then(|k| credentials(&r, k)) {
            if let Err(e) = channels.get(kind).disconnect(&creds).await {
                tracing::warn!(project_id, kind = %kind, error = %e, "could not unregister the webhook");
            }
        }
    }
    let (pk, sk) = keys::integration(project_id, kind.as_str());
    app.ports.table.delete(&pk, &sk, Condition::Always).await?;
    Ok(())
}

/// The enabled integration of a project and platform, with its secrets decrypted.
pub async fn of_project(app: &App, project_id: &str, kind: Kind) -> Result<Resolved> {
    let (r, _) = load(app, project_id, kind).await?.filter(|(r, _)| r.enabled).ok_or(Error::NotFound("integration"))?;
    Ok(Resolved {
        project_id: project_id.to_owned(),
        integration_id: r.id.clone(),
        kind,
        credentials: credentials(&r, secret_key(app).await?)?,
        show_operator_name: r.show_operator_name,
    })
}

/// The integration a webhook URL points at: `key` is the integration id for Telegram and Viber
/// (`/webhooks/telegram/{id}`, `/webhooks/viber/{id}`) and the community id for VK
/// (`/mp/webhooks/vk/{community_id}`). Error::NotFound when none is enabled.
pub async fn resolve(app: &App, kind: Kind, key: &str) -> Result<Resolved> {
    let page = app.ports.table.query(Query::index(keys::webhook_route(kind.as_str(), key)).limit(1)).await?;
    let item = page.items.first().ok_or(Error::NotFound("integration"))?;
    let project_id = item.gsi1.as_ref().map(|i| i.sk.clone()).ok_or(Error::NotFound("integration"))?;
    of_project(app, &project_id, kind).await
}

/// Stores what a verified webhook said, idempotent on each event's id; returns after the commit.
pub async fn receive(app: &App, r: &Resolved, events: Vec<Event>) -> Result<()> {
    for event in events {
        match event {
            Event::Message(m) => messenger::receive(app, r, m).await?,
            Event::Status(s) => dialogs::delivery::report(app, r, &s).await?,
            Event::Unsubscribed { user_id, .. } => messenger::unsubscribed(app, r, &user_id).await?,
            Event::Press(p) => crate::ratings::press(app, r, &p).await?,
            // Opening the conversation says nothing to store: the dialog starts with the
            // customer's first message.
            Event::Started { .. } => {}
        }
    }
    let (pk, sk) = keys::integration_activity(&r.project_id, r.kind.as_str());
    app.ports.table.put(Item::new(pk, sk, serde_json::json!({ "at": app.now() })), Condition::Always).await?;
    Ok(())
}

impl From<Kind> for Source {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Telegram => Source::Telegram,
            Kind::Vk => Source::Vk,
            Kind::Viber => Source::Viber,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialogs::tests::{FakeChannels, world};

    fn change(settings: &[(&str, &str)]) -> Change {
        Change {
            enabled: true,
            show_operator_name: false,
            settings: settings.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        }
    }

    #[tokio::test]
    async fn secrets_are_sealed_masked_and_kept_when_left_empty() {
        let (w, _) = world().await;
        let channels = FakeChannels(Default::default());
        let v = save(
            &w.app,
            &channels,
            &w.project,
            Kind::Telegram,
            change(&[("token", "123456:ABC-xY"), ("username", "@shop_bot")]),
        )
        .await
        .unwrap();
        assert!(v.enabled && v.status.webhook_registered && v.enabled_at.is_some());
        assert_eq!(v.settings["token"], "12…xY");
        assert_eq!(v.settings["username"], "shop_bot");
        assert!(!v.settings.contains_key("secret_token"), "the generated secret is never shown");
        let url = v.webhook_url.clone().unwrap();
        assert!(url.starts_with("http://cabinet.test/webhooks/telegram/"));
        assert_eq!(channels.0.connected.lock().unwrap().as_slice(), [url.clone()]);
        let (pk, sk) = keys::integration(&w.project, "telegram");
        let raw = w.app.ports.table.get(&pk, &sk).await.unwrap().unwrap();
        assert!(!raw.body.to_string().contains("ABC"), "the token is not stored in the clear");

        let again =
            save(&w.app, &channels, &w.project, Kind::Telegram, change(&[("token", ""), ("username", "shop_bot")]))
                .await
                .unwrap();
        assert_eq!(again.settings["token"], "12…xY", "an empty secret keeps the stored one");
        assert_eq!(again.enabled_at, v.enabled_at);
        let id = url.rsplit('/').next().unwrap();
        let r = resolve(&w.app, Kind::Telegram, id).await.unwrap();
        assert_eq!((r.project_id.as_str(), r.credentials.get("token")), (w.project.as_str(), Some("123456:ABC-xY")));
        assert_eq!(r.credentials.get("secret_token").map(str::len), Some(43));
        assert!(matches!(resolve(&w.app, Kind::Telegram, "nope").await, Err(Error::NotFound(_))));
        assert!(matches!(resolve(&w.app, Kind::Viber, id).await, Err(Error::NotFound(_))));

        let off = Change { enabled: false, ..change(&[]) };
        assert!(!save(&w.app, &channels, &w.project, Kind::Telegram, off).await.unwrap().enabled);
        assert!(matches!(resolve(&w.app, Kind::Telegram, id).await, Err(Error::NotFound(_))), "disabled");
        delete(&w.app, &channels, &w.project, Kind::Telegram).await.unwrap();
        assert!(list(&w.app, &w.project).await.unwrap().iter().all(|v| !v.enabled && v.settings.is_empty()));
    }

    #[tokio::test]
    async fn bad_settings_are_refused_and_a_refused_connection_is_kept_as_the_last_error() {
        let (w, _) = world().await;
        let channels = FakeChannels(Default::default());
        let save_tg = |c| save(&w.app, &channels, &w.project, Kind::Telegram, c);
        for bad in ["shop", "bot", "shop-bot", "магазин_bot", "a_very_long_name_of_a_shop_is_bot"] {
            assert!(
                matches!(
                    save_tg(change(&[("token", "1:x"), ("username", bad)])).await,
                    Err(Error::Invalid { field: "username", code: "invalid_bot_username", .. })
                ),
                "{bad}"
            );
        }
        for good in ["ShopBot", "@shop_bot", "TestNameBot"] {
            assert!(bot_username_ok(good.trim_start_matches('@')), "{good}");
        }
        assert!(matches!(
            save_tg(change(&[("token", "1:x"), ("username", "shop_bot"), ("color", "red")])).await,
            Err(Error::Invalid { code: "unknown_field", .. })
        ));
        assert!(matches!(
            save_tg(change(&[("username", "shop_bot")])).await,
            Err(Error::Invalid { field: "token", code: "field_required", .. })
        ));
        assert!(matches!(
            save_tg(change(&[("token", "bad"), ("username", "shop_bot")])).await,
            Err(Error::Invalid { code: "connect_failed", .. })
        ));
        let tg = list(&w.app, &w.project).await.unwrap().remove(0);
        assert!(!tg.enabled);
        assert!(tg.status.last_error.unwrap().contains("token_revoked"));
    }
}
