//! The lead journal, ЕЖЛ (PRODUCT.md §11): every request — chat, form, callback, messenger —
//! recorded once per source id, listed newest first with times in the project's time zone.

use crate::dialogs::Source;
use crate::{App, Error, Result, keys, secrets};
use beseda_ports::Write;
use beseda_ports::table::{Condition, Cursor, Item, Query, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Lead {
    pub id: String,
    pub at: DateTime<Utc>,
    /// `at` in the project's time zone, `DD.MM.YYYY HH:MM`.
    #[serde(default)]
    pub local_time: String,
    /// Where the request came from.
    pub channel: Source,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The request's text as the client wrote it (shown as text, never as HTML).
    pub text: String,
}

/// The writes that record a lead once per `source_id`, for a caller's own transaction (a new
/// dialog's lead is written with its first message). The transaction is cancelled when the
/// source was recorded before.
pub fn writes(project_id: &str, source_id: &str, lead: &Lead) -> Result<Vec<Write>> {
    let pk = keys::journal(project_id);
    let claim = Item::new(&pk, keys::journal_source(source_id), serde_json::json!({ "lead_id": lead.id }));
    let body = serde_json::to_value(lead).map_err(|e| Error::Internal(e.to_string()))?;
    let entry = Item::new(&pk, keys::lead(&lead.at, &lead.id), body);
    Ok(vec![
        Write::Put { item: claim, condition: Condition::NotExists },
        Write::Put { item: entry, condition: Condition::NotExists },
    ])
}

/// Records a lead once: a second call with the same `source_id` (the platform's own id of
/// the request) changes nothing and returns the first lead's id. The flag says whether this
/// call recorded it.
pub async fn record(app: &App, project_id: &str, source_id: &str, mut lead: Lead) -> Result<(String, bool)> {
    if lead.id.is_empty() {
        lead.id = secrets::new_id();
    }
    match app.ports.table.transact(writes(project_id, source_id, &lead)?).await {
        Ok(()) => Ok((lead.id, true)),
        Err(StoreError::TransactionCancelled) => {
            let existing = app.ports.table.get(&keys::journal(project_id), &keys::journal_source(source_id)).await?;
            Ok((existing.and_then(|i| i.body["lead_id"].as_str().map(str::to_owned)).unwrap_or_default(), false))
        }
        Err(e) => Err(e.into()),
    }
}

/// One page of leads, newest first, with local times in `timezone`.
pub async fn list(
    app: &App,
    project_id: &str,
    timezone: &str,
    limit: usize,
    cursor: Option<&str>,
) -> Result<(Vec<Lead>, Option<String>)> {
    let cursor = cursor.map(Cursor::decode).transpose()?;
    let q = Query::partition(keys::journal(project_id))
        .prefix(keys::LEAD_PREFIX)
        .descending()
        .limit(limit.clamp(1, 200))
        .after(cursor);
    let page = app.ports.table.query(q).await?;
    let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let leads = page
        .items
        .iter()
        .map(|i| {
            let mut lead: Lead = i.decode()?;
            lead.local_time = lead.at.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string();
            Ok(lead)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((leads, page.next.map(|c| c.encode())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn lead(app: &App, text: &str) -> Lead {
        Lead {
            id: String::new(),
            at: app.now(),
            local_time: String::new(),
            channel: Source::Form,
            name: Some("Анна".into()),
            phone: None,
            email: None,
            text: text.into(),
        }
    }

    #[tokio::test]
    async fn a_request_is_recorded_once_and_listed_in_local_time() {
        let (app, clock, _) = testing::app();
        let (first, new) = record(&app, "p1", "form-1", lead(&app, "Позвоните мне")).await.unwrap();
        assert!(new);
        assert_eq!(
            record(&app, "p1", "form-1", lead(&app, "Позвоните мне")).await.unwrap(),
            (first, false),
            "a retry records nothing new"
        );
        clock.advance(chrono::Duration::minutes(5));
        record(&app, "p1", "form-2", lead(&app, "<b>Сколько стоит?</b>")).await.unwrap();
        let (leads, next) = list(&app, "p1", "Asia/Yekaterinburg", 50, None).await.unwrap();
        assert_eq!(leads.len(), 2);
        assert_eq!(leads[0].text, "<b>Сколько стоит?</b>", "newest first, text kept as written");
        assert_eq!(leads[1].local_time, "25.11.2026 14:00", "09:00 UTC is 14:00 in Yekaterinburg");
        assert!(next.is_none());
        assert!(
            list(&app, "p2", "Europe/Moscow", 50, None).await.unwrap().0.is_empty(),
            "another project sees nothing"
        );
    }
}
