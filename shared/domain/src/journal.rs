//! The lead journal, ЕЖЛ (PRODUCT.md §11): every request — chat, form, callback, messenger —
//! recorded once per source id, kept up to date with its dialog (the client's contacts as
//! known now, the operator who answered, the first-response time, the status), found by
//! period, source, status, operator and text, newest first with times in the project's time
//! zone, and laid out as the rows of an export.

use crate::accounts::{self, Language};
use crate::dialogs::{Dialog, RequestCard, Source, Status};
use crate::{App, Error, Result, keys, secrets};
use beseda_ports::Write;
use beseda_ports::table::{Condition, Cursor, Item, Query, StoreError};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a request stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    /// Nobody has answered yet.
    #[default]
    New,
    /// An operator answered.
    InProgress,
    /// The dialog is closed.
    Done,
}

impl LeadStatus {
    pub fn label(self, lang: Language) -> &'static str {
        match (self, lang) {
            (LeadStatus::New, Language::Ru) => "Новое",
            (LeadStatus::New, Language::En) => "New",
            (LeadStatus::InProgress, Language::Ru) => "В работе",
            (LeadStatus::InProgress, Language::En) => "In progress",
            (LeadStatus::Done, Language::Ru) => "Завершено",
            (LeadStatus::Done, Language::En) => "Done",
        }
    }
}

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
    #[serde(default)]
    pub status: LeadStatus,
    /// The dialog the request is, when it is one.
    #[serde(default)]
    pub dialog_id: Option<String>,
    /// The page of the site the client wrote from.
    #[serde(default)]
    pub page_url: Option<String>,
    /// The operator who answered first, and their name.
    #[serde(default)]
    pub operator_id: Option<String>,
    #[serde(default)]
    pub operator: Option<String>,
    /// Seconds from the request to the first operator reply.
    #[serde(default)]
    pub first_response_secs: Option<i64>,
    /// A widget request's fields, which the reader sees in their language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestCard>,
}

impl Lead {
    /// A new request with nothing known of the client yet.
    pub fn new(channel: Source, at: DateTime<Utc>, text: String) -> Self {
        Lead {
            id: String::new(),
            at,
            local_time: String::new(),
            channel,
            name: None,
            phone: None,
            email: None,
            text,
            status: LeadStatus::New,
            dialog_id: None,
            page_url: None,
            operator_id: None,
            operator: None,
            first_response_secs: None,
            request: None,
        }
    }

    /// Takes from the dialog what the journal shows of it: the contacts as known now, the page,
    /// who answered and how fast, and the status. The operator's name is the caller's to fill.
    pub fn follow(&mut self, d: &Dialog) {
        self.dialog_id = Some(d.id.clone());
        let chat_name = d.chat.as_ref().and_then(|c| c.name.clone());
        self.name = d.contact.get("name").cloned().or(chat_name).or(self.name.take());
        self.phone = d.contact.get("phone").cloned().or(self.phone.take());
        self.email = d.contact.get("email").cloned().or(self.email.take());
        self.page_url = d.page_url.clone().or(self.page_url.take());
        if d.operator_replied {
            if self.operator_id != d.assignee {
                self.operator = None;
            }
            self.operator_id = d.assignee.clone();
        }
        self.first_response_secs = d.first_reply_at.map(|r| (r - self.at).num_seconds().max(0));
        self.status = match d.status {
            Status::Closed => LeadStatus::Done,
            Status::Open if d.operator_replied => LeadStatus::InProgress,
            Status::Open => LeadStatus::New,
        };
    }
}

/// The writes that record a lead once per `source_id`, for a caller's own transaction (a new
/// dialog's lead is written with its first message). The transaction is cancelled when the
/// source was recorded before.
pub fn writes(project_id: &str, source_id: &str, lead: &Lead) -> Result<Vec<Write>> {
    let pk = keys::journal(project_id);
    let sk = keys::lead(&lead.at, &lead.id);
    let claim =
        Item::new(&pk, keys::journal_source(source_id), serde_json::json!({ "lead_id": lead.id, "lead_sk": sk }));
    let body = serde_json::to_value(lead).map_err(|e| Error::Internal(e.to_string()))?;
    let entry = Item::new(&pk, sk, body);
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

/// Brings the lead recorded under `source_id` up to date with its dialog, after the dialog's
/// own write: the lead is a projection of the dialog, so a later change repairs a missed one.
pub async fn follow_dialog(app: &App, source_id: &str, d: &Dialog) -> Result<()> {
    let operator = match (&d.assignee, d.operator_replied) {
        (Some(id), true) => Some(crate::dialogs::display_name(&accounts::get_profile(app, id).await?)),
        _ => None,
    };
    update(app, &d.project_id, source_id, |lead| {
        lead.follow(d);
        if lead.operator_id.is_some() && lead.operator.is_none() {
            lead.operator = operator.clone();
        }
    })
    .await
}

/// Points a request (a form, a callback) at the dialog it was brought into.
pub async fn link_dialog(app: &App, project_id: &str, source_id: &str, dialog_id: &str) -> Result<()> {
    update(app, project_id, source_id, |lead| lead.dialog_id = Some(dialog_id.to_owned())).await
}

/// Changes the lead recorded under `source_id`, if there is one.
async fn update(app: &App, project_id: &str, source_id: &str, change: impl Fn(&mut Lead)) -> Result<()> {
    let pk = keys::journal(project_id);
    let Some(claim) = app.ports.table.get(&pk, &keys::journal_source(source_id)).await? else { return Ok(()) };
    let Some(sk) = claim.body["lead_sk"].as_str() else { return Ok(()) };
    for _ in 0..5 {
        let Some(item) = app.ports.table.get(&pk, sk).await? else { return Ok(()) };
        let before: Lead = item.decode()?;
        let mut lead = before.clone();
        change(&mut lead);
        if lead == before {
            return Ok(());
        }
        let body = serde_json::to_value(&lead).map_err(|e| Error::Internal(e.to_string()))?;
        match app.ports.table.put(Item::new(&pk, sk, body), Condition::Version(item.version)).await {
            Ok(_) => return Ok(()),
            Err(StoreError::ConditionFailed) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::conflict("busy", "the lead kept changing"))
}

/// What the journal shows: a period of local dates (both days included) and the rest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub source: Option<Source>,
    pub status: Option<LeadStatus>,
    pub operator_id: Option<String>,
    /// A phone (any way written), a name, an e-mail or words of the text.
    pub search: Option<String>,
}

/// The start of a local day in UTC (the first moment of the day when midnight is skipped).
pub fn day_start(tz: chrono_tz::Tz, day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&midnight).earliest().unwrap_or_else(|| tz.from_utc_datetime(&midnight)).with_timezone(&Utc)
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

impl Filter {
    /// The sort-key range of the period in the journal's partition.
    fn range(&self, tz: chrono_tz::Tz) -> (String, String) {
        let lo = self.from.map_or_else(|| keys::LEAD_PREFIX.to_owned(), |d| keys::lead(&day_start(tz, d), ""));
        let hi = match self.to.and_then(|d| d.succ_opt()) {
            Some(next) => keys::lead(&day_start(tz, next), ""),
            None => format!("{}\u{10FFFF}", keys::LEAD_PREFIX),
        };
        (lo, hi)
    }

    pub fn matches(&self, lead: &Lead) -> bool {
        self.source.is_none_or(|s| s == lead.channel)
            && self.status.is_none_or(|s| s == lead.status)
            && self.operator_id.as_ref().is_none_or(|o| lead.operator_id.as_ref() == Some(o))
            && self.search.as_deref().map(str::trim).filter(|s| !s.is_empty()).is_none_or(|s| {
                let needle = s.to_lowercase();
                let phone_digits = digits(s);
                let has = |v: &Option<String>| v.as_deref().is_some_and(|v| v.to_lowercase().contains(&needle));
                has(&lead.name)
                    || has(&lead.email)
                    || lead.text.to_lowercase().contains(&needle)
                    || (phone_digits.len() >= 3
                        && lead.phone.as_deref().is_some_and(|p| {
                            let p = digits(p);
                            p.contains(&phone_digits) || p.contains(phone_digits.trim_start_matches('8'))
                        }))
            })
    }
}

/// How many stored leads one page looks through at most before it answers with what it found
/// (the cursor goes on from there).
const SCAN: usize = 5000;

/// One page of the leads the filter lets through, newest first, with local times in
/// `timezone`; the cursor goes on after the last lead looked at.
pub async fn find(
    app: &App,
    project_id: &str,
    timezone: &str,
    filter: &Filter,
    limit: usize,
    cursor: Option<&str>,
) -> Result<(Vec<Lead>, Option<String>)> {
    let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let limit = limit.clamp(1, 500);
    let (lo, hi) = filter.range(tz);
    let mut cursor = cursor.map(Cursor::decode).transpose()?;
    let mut leads = Vec::new();
    let mut scanned = 0;
    loop {
        let q = Query::partition(keys::journal(project_id))
            .between(lo.clone(), hi.clone())
            .descending()
            .limit(limit.max(100))
            .after(cursor.take());
        let page = app.ports.table.query(q).await?;
        for (i, item) in page.items.iter().enumerate() {
            scanned += 1;
            let mut lead: Lead = item.decode()?;
            if filter.matches(&lead) {
                lead.local_time = lead.at.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string();
                leads.push(lead);
            }
            if leads.len() == limit || scanned >= SCAN {
                let more = i + 1 < page.items.len() || page.next.is_some();
                return Ok((leads, more.then(|| Cursor::of(item).encode())));
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok((leads, None)),
        }
    }
}

/// One page of all the leads, newest first, with local times in `timezone`.
pub async fn list(
    app: &App,
    project_id: &str,
    timezone: &str,
    limit: usize,
    cursor: Option<&str>,
) -> Result<(Vec<Lead>, Option<String>)> {
    find(app, project_id, timezone, &Filter::default(), limit, cursor).await
}

/// The columns of an export, in the reader's language.
pub fn export_header(lang: Language) -> [&'static str; 12] {
    match lang {
        Language::Ru => [
            "Время",
            "Источник",
            "Имя",
            "Телефон",
            "E-mail",
            "Обращение",
            "Страница",
            "Статус",
            "Оператор",
            "Время ответа, с",
            "Диалог",
            "ID",
        ],
        Language::En => [
            "Time",
            "Source",
            "Name",
            "Phone",
            "E-mail",
            "Request",
            "Page",
            "Status",
            "Operator",
            "First response, s",
            "Dialog",
            "ID",
        ],
    }
}

/// A source as the reader names it.
pub fn source_label(source: Source, lang: Language) -> &'static str {
    match (source, lang) {
        (Source::Chat, Language::Ru) => "Чат на сайте",
        (Source::Chat, Language::En) => "Website chat",
        (Source::Form, Language::Ru) => "Заявка",
        (Source::Form, Language::En) => "Request form",
        (Source::Callback, Language::Ru) => "Обратный звонок",
        (Source::Callback, Language::En) => "Callback",
        (Source::Telegram, _) => "Telegram",
        (Source::Vk, Language::Ru) => "ВКонтакте",
        (Source::Vk, Language::En) => "VK",
        (Source::Viber, _) => "Viber",
    }
}

/// A lead as a row of an export, under [`export_header`]; the time is `local_time` as
/// [`find`] set it (in the project's zone).
pub fn export_row(lead: &Lead, lang: Language) -> [String; 12] {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        lead.local_time.clone(),
        source_label(lead.channel, lang).to_owned(),
        opt(&lead.name),
        opt(&lead.phone),
        opt(&lead.email),
        lead.request.as_ref().map_or_else(|| lead.text.clone(), |r| r.describe(lang)),
        opt(&lead.page_url),
        lead.status.label(lang).to_owned(),
        opt(&lead.operator),
        lead.first_response_secs.map(|s| s.to_string()).unwrap_or_default(),
        opt(&lead.dialog_id),
        lead.id.clone(),
    ]
}

/// How many requests of each source arrived since `since`, up to now (the Панель's figures).
pub async fn count_since(
    app: &App,
    project_id: &str,
    since: DateTime<Utc>,
) -> Result<std::collections::BTreeMap<Source, u32>> {
    let mut counts = std::collections::BTreeMap::new();
    let mut cursor = None;
    loop {
        let q = Query::partition(keys::journal(project_id))
            .between(keys::lead(&since, ""), format!("{}\u{10FFFF}", keys::LEAD_PREFIX))
            .limit(1000)
            .after(cursor.take());
        let page = app.ports.table.query(q).await?;
        for item in &page.items {
            if let Some(source) =
                item.body.get("channel").and_then(|c| serde_json::from_value::<Source>(c.clone()).ok())
            {
                *counts.entry(source).or_insert(0) += 1;
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(counts),
        }
    }
}

/// The first moment of the local week (Monday) of `now` in `tz`.
pub fn week_start(tz: chrono_tz::Tz, now: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::Datelike;
    let today = now.with_timezone(&tz).date_naive();
    day_start(tz, today - Duration::days(i64::from(today.weekday().num_days_from_monday())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn lead(app: &App, text: &str) -> Lead {
        Lead { name: Some("Анна".into()), ..Lead::new(Source::Form, app.now(), text.into()) }
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

    #[tokio::test]
    async fn the_filter_finds_by_local_day_source_status_operator_and_words_a_page_at_a_time() {
        let (app, clock, _) = testing::app();
        // 20:30 UTC on the 25th is 23:30 in Moscow: still the 25th there, the 26th in Yekaterinburg.
        clock.advance(chrono::Duration::minutes(11 * 60 + 30));
        let late = Lead { phone: Some("+79123456789".into()), ..Lead::new(Source::Chat, app.now(), "Алло".into()) };
        record(&app, "p1", "late", late).await.unwrap();
        clock.advance(chrono::Duration::hours(1));
        for i in 0..5 {
            let mut l = lead(&app, &format!("Заявка {i}"));
            l.email = Some(format!("client{i}@mail.ru"));
            if i == 4 {
                l.status = LeadStatus::InProgress;
                l.operator_id = Some("op1".into());
            }
            record(&app, "p1", &format!("f{i}"), l).await.unwrap();
        }
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d);
        let on_25 = Filter { from: day(25), to: day(25), ..Default::default() };
        let (found, _) = find(&app, "p1", "Europe/Moscow", &on_25, 50, None).await.unwrap();
        assert_eq!(found.len(), 1, "23:30 Moscow time is on its local day");
        assert_eq!(found[0].local_time, "25.11.2026 23:30");
        let (found, _) = find(&app, "p1", "Asia/Yekaterinburg", &on_25, 50, None).await.unwrap();
        assert!(found.is_empty(), "in Yekaterinburg it was the 26th already");

        let by = |f: Filter| {
            let app = app.clone();
            async move { find(&app, "p1", "Europe/Moscow", &f, 50, None).await.unwrap().0.len() }
        };
        assert_eq!(by(Filter { source: Some(Source::Chat), ..Default::default() }).await, 1);
        assert_eq!(by(Filter { source: Some(Source::Form), ..Default::default() }).await, 5);
        assert_eq!(by(Filter { status: Some(LeadStatus::InProgress), ..Default::default() }).await, 1);
        assert_eq!(by(Filter { operator_id: Some("op1".into()), ..Default::default() }).await, 1);
        for (search, n) in [("8 (912) 345-67", 1), ("CLIENT3@", 1), ("анна", 5), ("заявка", 5), ("нет такого", 0)]
        {
            assert_eq!(by(Filter { search: Some(search.into()), ..Default::default() }).await, n, "{search}");
        }

        let forms = Filter { source: Some(Source::Form), ..Default::default() };
        let (page1, next) = find(&app, "p1", "Europe/Moscow", &forms, 3, None).await.unwrap();
        let (page2, last) = find(&app, "p1", "Europe/Moscow", &forms, 3, next.as_deref()).await.unwrap();
        let texts: Vec<_> = page1.iter().chain(&page2).map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["Заявка 4", "Заявка 3", "Заявка 2", "Заявка 1", "Заявка 0"]);
        assert!(last.is_none());
        assert!(matches!(find(&app, "p1", "Europe/Moscow", &forms, 3, Some("junk")).await, Err(Error::Store(_))));
    }

    #[test]
    fn a_lead_follows_its_dialog_and_exports_in_the_readers_language() {
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        let mut lead = Lead::new(Source::Chat, at, "Здравствуйте".into());
        let mut d = Dialog::new("d1".into(), "p1", "v1", Source::Chat, at);
        d.page_url = Some("https://romashka.ru/price".into());
        lead.follow(&d);
        assert_eq!(
            (lead.status, lead.dialog_id.as_deref(), lead.phone.as_deref()),
            (LeadStatus::New, Some("d1"), None)
        );
        d.contact.insert("phone".into(), "+79123456789".into());
        d.assignee = Some("op1".into());
        d.operator_replied = true;
        d.first_reply_at = Some(at + Duration::seconds(42));
        lead.follow(&d);
        assert_eq!(lead.phone.as_deref(), Some("+79123456789"), "a phone given later shows");
        assert_eq!(
            (lead.status, lead.first_response_secs, lead.operator_id.as_deref()),
            (LeadStatus::InProgress, Some(42), Some("op1"))
        );
        d.status = Status::Closed;
        lead.follow(&d);
        assert_eq!(lead.status, LeadStatus::Done);
        lead.local_time = "25.11.2026 12:00".into();
        let row = export_row(&lead, Language::En);
        assert_eq!(export_header(Language::En)[1], "Source");
        assert_eq!((row[1].as_str(), row[7].as_str(), row[9].as_str()), ("Website chat", "Done", "42"));
        assert_eq!(export_row(&lead, Language::Ru)[7], "Завершено");
    }

    #[test]
    fn weeks_start_on_local_monday() {
        let tz = chrono_tz::Europe::Moscow;
        // Sunday 29 November 2026, 22:00 UTC, is Monday the 30th 01:00 in Moscow.
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 22, 0, 0).unwrap();
        assert_eq!(week_start(tz, now), Utc.with_ymd_and_hms(2026, 11, 29, 21, 0, 0).unwrap());
        let earlier = Utc.with_ymd_and_hms(2026, 11, 29, 20, 0, 0).unwrap();
        assert_eq!(week_start(tz, earlier), Utc.with_ymd_and_hms(2026, 11, 22, 21, 0, 0).unwrap());
    }
}
