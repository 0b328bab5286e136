//! The blacklist of a project (PRODUCT.md §2 «Черный список»): visitor ids, phones, e-mails and
//! IP addresses or networks whose messages and requests are refused. The widget and every
//! channel ask [`Blacklist::blocks`] before they accept anything.

use crate::{App, Error, Result, accounts, keys, phone, secrets};
use beseda_ports::table::{Condition, Item, Query};
use chrono::{DateTime, Utc};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Visitor,
    Phone,
    Email,
    Ip,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Entry {
    pub id: String,
    pub kind: Kind,
    /// Normalized: E.164 phones, lowercase e-mails, networks in CIDR form.
    pub value: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// What is known of whoever sends a message or a request.
#[derive(Debug, Clone, Default)]
pub struct Sender<'a> {
    pub visitor_id: Option<&'a str>,
    pub ip: Option<IpAddr>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
}

pub struct Blacklist(pub Vec<Entry>);

impl Blacklist {
    /// Whether anything known of the sender is listed.
    pub fn blocks(&self, sender: &Sender) -> bool {
        let phone = sender.phone.and_then(|p| phone::normalize("phone", p).ok());
        let email = sender.email.and_then(|e| accounts::normalize_email(e).ok());
        self.0.iter().any(|e| match e.kind {
            Kind::Visitor => sender.visitor_id == Some(e.value.as_str()),
            Kind::Phone => phone.as_deref() == Some(e.value.as_str()),
            Kind::Email => email.as_deref() == Some(e.value.as_str()),
            Kind::Ip => sender.ip.zip(e.value.parse::<IpNet>().ok()).is_some_and(|(ip, net)| net.contains(&ip)),
        })
    }
}

/// The stored form of a value, or the field error.
pub fn normalize(kind: Kind, raw: &str) -> Result<String> {
    let raw = raw.trim();
    match kind {
        Kind::Visitor if !raw.is_empty() && raw.len() <= 100 => Ok(raw.to_owned()),
        Kind::Visitor => Err(Error::invalid("value", "invalid_visitor", "Укажите идентификатор посетителя")),
        Kind::Phone => phone::normalize("value", raw),
        Kind::Email => accounts::normalize_email(raw)
            .map_err(|_| Error::invalid("value", "invalid_email", "Введите e-mail в виде name@domain.ru")),
        Kind::Ip => raw
            .parse::<IpNet>()
            .map(|n| n.trunc())
            .or_else(|_| raw.parse::<IpAddr>().map(IpNet::from))
            .map(|n| n.to_string())
            .map_err(|_| Error::invalid("value", "invalid_ip", "Введите IP-адрес или сеть, например 203.0.113.0/24")),
    }
}

/// The blacklist as read at most a few seconds ago (forgotten at once when this process
/// changes it): what every visitor's message is checked against, without a scan per message.
pub async fn recent(app: &App, project_id: &str) -> Result<Blacklist> {
    let items = app.ports.recent.query_recent(&keys::project(project_id), keys::BLACKLIST_PREFIX).await?;
    Ok(Blacklist(items.iter().map(|i| i.decode()).collect::<std::result::Result<_, _>>()?))
}

pub async fn load(app: &App, project_id: &str) -> Result<Blacklist> {
    let mut entries = Vec::new();
    let mut cursor = None;
    loop {
        let page = app
            .ports
            .table
            .query(Query::partition(keys::project(project_id)).prefix(keys::BLACKLIST_PREFIX).limit(500).after(cursor))
            .await?;
        for item in &page.items {
            entries.push(item.decode()?);
        }
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    Ok(Blacklist(entries))
}

pub async fn add(app: &App, project_id: &str, kind: Kind, value: &str, note: &str) -> Result<Entry> {
    let value = normalize(kind, value)?;
    let note: String = note.trim().chars().take(200).collect();
    let list = load(app, project_id).await?;
    if list.0.iter().any(|e| e.kind == kind && e.value == value) {
        return Err(Error::conflict("already_listed", "Это значение уже в черном списке"));
    }
    if list.0.len() >= 10_000 {
        return Err(Error::invalid("value", "blacklist_full", "В черном списке не больше 10 000 записей"));
    }
    let entry = Entry { id: secrets::new_id(), kind, value, note, created_at: app.now() };
    let body = serde_json::to_value(&entry).map_err(|e| Error::Internal(e.to_string()))?;
    let (pk, sk) = keys::blacklist_entry(project_id, &entry.id);
    app.ports.table.put(Item::new(pk, sk, body), Condition::NotExists).await?;
    Ok(entry)
}

pub async fn remove(app: &App, project_id: &str, entry_id: &str) -> Result<()> {
    let (pk, sk) = keys::blacklist_entry(project_id, entry_id);
    app.ports.table.delete(&pk, &sk, Condition::Exists).await.map_err(|e| match e {
        beseda_ports::StoreError::ConditionFailed => Error::NotFound("entry"),
        other => other.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: Kind, value: &str) -> Entry {
        Entry {
            id: "1".into(),
            kind,
            value: normalize(kind, value).unwrap(),
            note: String::new(),
            created_at: Utc::now(),
        }
    }

    #[test]
    fn blocks_what_is_listed_in_any_form() {
        let list = Blacklist(vec![
            entry(Kind::Phone, "8 (912) 345-67-89"),
            entry(Kind::Email, "Spam@X.ru"),
            entry(Kind::Ip, "203.0.113.7/24"),
            entry(Kind::Ip, "2001:db8::1"),
            entry(Kind::Visitor, "v-42"),
        ]);
        assert_eq!(list.0[2].value, "203.0.113.0/24");
        let blocked = |s: Sender| list.blocks(&s);
        assert!(blocked(Sender { phone: Some("+79123456789"), ..Default::default() }));
        assert!(blocked(Sender { email: Some(" spam@x.ru"), ..Default::default() }));
        assert!(blocked(Sender { ip: "203.0.113.200".parse().ok(), ..Default::default() }));
        assert!(!blocked(Sender { ip: "203.0.114.1".parse().ok(), ..Default::default() }));
        assert!(blocked(Sender { ip: "2001:db8::1".parse().ok(), ..Default::default() }));
        assert!(blocked(Sender { visitor_id: Some("v-42"), ..Default::default() }));
        assert!(!blocked(Sender { visitor_id: Some("v-43"), phone: Some("+79990001122"), ..Default::default() }));
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(normalize(Kind::Ip, "300.1.1.1").is_err());
        assert!(normalize(Kind::Phone, "call me").is_err());
        assert!(normalize(Kind::Email, "nope").is_err());
        assert!(normalize(Kind::Visitor, " ").is_err());
    }
}
