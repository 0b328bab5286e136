//! Аналитика (PRODUCT.md §11) and the daily statistics mail (§4 group 3): the figures come
//! from small fact items written in the same transaction as the event they count — a request
//! (by source, local hour), an operator's first response (who, how fast), a dialog closed
//! without an answer, an operator's message, an operator's time online — each in the
//! partition of its LOCAL day in the project's time zone and keyed by the event's own id, so
//! a retried event writes the same item again and nothing is counted twice, and no counter
//! item is ever contended. A day's aggregate is folded from its facts; once the day is over
//! its aggregate is stored, once, so a year is read as ~365 small items and today's facts.
//!
//! Definitions: a request is every lead of the journal (a new dialog of any source, a form, a
//! callback) at the local hour it arrived; «answered» counts the first operator replies given
//! that day, the first-response time being from the dialog's start to that reply; a dialog is
//! «missed» when it is closed (by an operator or the chat's timeout) without any operator
//! reply, counted on the day it was closed; time online is the operator's online toggle
//! (by hand or by their schedule), split at local midnights. The days follow the time zone
//! the project had when each fact was written.
//!
//! Response times are kept as per-day histograms with fixed buckets, so percentiles merge
//! across days and operators: a percentile is the upper bound of its bucket, exact to 5 s
//! under a minute, 15 s up to 5 minutes, 1 minute up to 15 minutes, 5 minutes up to an hour
//! and 1 hour up to a day; anything slower counts as «more than a day».

use crate::accounts::{self, Language};
use crate::dialogs::{Presence, Source};
use crate::journal::{self, day_start};
use crate::notify::{Group, escape_html};
use crate::{App, Error, Result, cache, keys, projects, team};
use beseda_ports::Mail;
use beseda_ports::atomic::Outgoing;
use beseda_ports::queue::NOTIFICATIONS;
use beseda_ports::table::{Condition, Item, Query, StoreError, Write};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;
use utoipa::ToSchema;

/// The upper bounds, in seconds, of the response-time buckets; one more bucket holds the rest.
pub static BUCKETS: LazyLock<Vec<u32>> = LazyLock::new(|| {
    let steps: [(u32, u32); 5] = [(60, 5), (300, 15), (900, 60), (3600, 300), (86_400, 3600)];
    let mut bounds = Vec::new();
    let mut at = 0;
    for (until, step) in steps {
        while at < until {
            at += step;
            bounds.push(at);
        }
    }
    bounds
});

/// Response times in the fixed buckets of [`BUCKETS`] (trailing empty buckets left out).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Histogram(Vec<u32>);

impl Histogram {
    pub fn add(&mut self, secs: u32) {
        let i = BUCKETS.partition_point(|&b| b < secs);
        if self.0.len() <= i {
            self.0.resize(i + 1, 0);
        }
        self.0[i] += 1;
    }

    pub fn merge(&mut self, other: &Histogram) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a += b;
        }
    }

    pub fn count(&self) -> u32 {
        self.0.iter().sum()
    }

    /// The time within which `p` (0 < p ≤ 1) of the responses came, as its bucket's upper
    /// bound; None without responses. The overflow bucket reads as one day.
    pub fn percentile(&self, p: f64) -> Option<u32> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = ((p * f64::from(n)).ceil() as u32).clamp(1, n);
        let mut seen = 0;
        for (i, c) in self.0.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Some(BUCKETS.get(i).copied().unwrap_or(86_400));
            }
        }
        None
    }
}

/// One counted event, stored in its local day's partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fact {
    Request { source: Source, hour: u32 },
    FirstResponse { operator: String, secs: u32 },
    Missed,
    OperatorMessage { operator: String },
    Online { operator: String, secs: u32 },
}

/// One operator's figures of a day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorDay {
    /// Dialogs they answered first.
    pub dialogs: u32,
    pub messages: u32,
    pub response: Histogram,
    pub online_secs: u32,
}

/// A day's aggregate, folded from its facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    pub requests: BTreeMap<Source, u32>,
    /// Requests by local hour, 24 entries.
    pub hours: Vec<u32>,
    pub missed: u32,
    pub response: Histogram,
    pub operators: BTreeMap<String, OperatorDay>,
}

impl Day {
    pub fn fold<'a>(facts: impl IntoIterator<Item = &'a Fact>) -> Day {
        let mut day = Day { hours: vec![0; 24], ..Day::default() };
        for fact in facts {
            match fact {
                Fact::Request { source, hour } => {
                    *day.requests.entry(*source).or_default() += 1;
                    day.hours[(*hour as usize).min(23)] += 1;
                }
                Fact::FirstResponse { operator, secs } => {
                    day.response.add(*secs);
                    let o = day.operators.entry(operator.clone()).or_default();
                    o.dialogs += 1;
                    o.response.add(*secs);
                }
                Fact::Missed => day.missed += 1,
                Fact::OperatorMessage { operator } => day.operators.entry(operator.clone()).or_default().messages += 1,
                Fact::Online { operator, secs } => {
                    day.operators.entry(operator.clone()).or_default().online_secs += secs;
                }
            }
        }
        day
    }

    pub fn total(&self) -> u32 {
        self.requests.values().sum()
    }

    pub fn answered(&self) -> u32 {
        self.response.count()
    }
}

/// The project's time zone, as read at most a few seconds ago (Moscow when unknown).
pub(crate) async fn zone(app: &App, project_id: &str) -> chrono_tz::Tz {
    cache::project(app, project_id)
        .await
        .ok()
        .and_then(|p| p.timezone.parse().ok())
        .unwrap_or(chrono_tz::Europe::Moscow)
}

fn local_day(tz: chrono_tz::Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

fn put_fact(project_id: &str, day: NaiveDate, key: String, fact: &Fact) -> Result<Write> {
    let body = serde_json::to_value(fact).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Write::Put { item: Item::new(keys::stat_facts(project_id, day), key, body), condition: Condition::Always })
}

fn secs(d: Duration) -> u32 {
    u32::try_from(d.num_seconds().max(0)).unwrap_or(u32::MAX)
}

/// The fact of a request (a lead of the journal), for the lead's own transaction.
pub(crate) fn request(
    tz: chrono_tz::Tz,
    project_id: &str,
    lead_id: &str,
    source: Source,
    at: DateTime<Utc>,
) -> Result<Write> {
    let hour = at.with_timezone(&tz).hour();
    put_fact(project_id, local_day(tz, at), format!("request#{lead_id}"), &Fact::Request { source, hour })
}

/// The fact of a dialog's first operator reply, for the reply's own transaction.
pub(crate) fn first_response(
    tz: chrono_tz::Tz,
    project_id: &str,
    dialog_id: &str,
    operator: &str,
    started: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<Write> {
    let fact = Fact::FirstResponse { operator: operator.to_owned(), secs: secs(at - started) };
    put_fact(project_id, local_day(tz, at), format!("first#{dialog_id}"), &fact)
}

/// The fact of an operator's message, for the message's own transaction.
pub(crate) fn operator_message(
    tz: chrono_tz::Tz,
    project_id: &str,
    message_id: &str,
    operator: &str,
    at: DateTime<Utc>,
) -> Result<Write> {
    let fact = Fact::OperatorMessage { operator: operator.to_owned() };
    put_fact(project_id, local_day(tz, at), format!("message#{message_id}"), &fact)
}

/// The fact of a dialog closed without an operator's reply, for the close's own transaction.
pub(crate) fn missed(tz: chrono_tz::Tz, project_id: &str, dialog_id: &str, at: DateTime<Utc>) -> Result<Write> {
    put_fact(project_id, local_day(tz, at), format!("missed#{dialog_id}"), &Fact::Missed)
}

/// The parts of `[from, to)` in each local day it touches, with their lengths in seconds.
pub fn split_by_day(tz: chrono_tz::Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(NaiveDate, u32)> {
    let mut out = Vec::new();
    let mut day = local_day(tz, from);
    let mut start = from;
    while start < to {
        let Some(next) = day.succ_opt() else { break };
        let end = day_start(tz, next).min(to);
        if end > start {
            out.push((day, secs(end - start)));
        }
        start = end.max(start);
        day = next;
    }
    out
}

fn online_key(user_id: &str, since: DateTime<Utc>) -> String {
    format!("online#{user_id}#{}", since.to_rfc3339())
}

/// The facts of an operator's time online from `since` until `until`, one per local day; the
/// keys are those [`open_intervals`] gives the same stretch while it lasts.
pub(crate) fn online(
    tz: chrono_tz::Tz,
    project_id: &str,
    user_id: &str,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Write>> {
    split_by_day(tz, since, until)
        .into_iter()
        .map(|(day, secs)| {
            put_fact(project_id, day, online_key(user_id, since), &Fact::Online { operator: user_id.to_owned(), secs })
        })
        .collect()
}

/// The facts of one local day, by key.
async fn facts(app: &App, project_id: &str, day: NaiveDate) -> Result<BTreeMap<String, Fact>> {
    let mut out = BTreeMap::new();
    let mut cursor = None;
    loop {
        let q = Query::partition(keys::stat_facts(project_id, day)).limit(1000).after(cursor.take());
        let page = app.ports.table.query(q).await?;
        for item in &page.items {
            if let Ok(f) = item.decode::<Fact>() {
                out.insert(item.sk.clone(), f);
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// The time online of the operators online now, clipped to `day` and to now, under the keys
/// their facts will have when they go offline.
async fn open_intervals(
    app: &App,
    project_id: &str,
    tz: chrono_tz::Tz,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<(String, Fact)>> {
    let q = Query::partition(keys::project(project_id)).prefix(keys::PRESENCE_PREFIX).limit(1000);
    let page = app.ports.table.query(q).await?;
    let mut out = Vec::new();
    for item in &page.items {
        let Ok(p) = item.decode::<Presence>() else { continue };
        let user_id = item.sk.trim_start_matches(keys::PRESENCE_PREFIX);
        if !p.online {
            continue;
        }
        for (d, secs) in split_by_day(tz, p.since, now) {
            if d == day {
                out.push((online_key(user_id, p.since), Fact::Online { operator: user_id.to_owned(), secs }));
            }
        }
    }
    Ok(out)
}

/// How long after a local midnight the day before is taken as complete and stored.
const SETTLE: i64 = 10 * 60;

/// A day's aggregate folded from its facts now.
async fn fold_day(app: &App, project_id: &str, tz: chrono_tz::Tz, day: NaiveDate) -> Result<Day> {
    let mut all = facts(app, project_id, day).await?;
    for (k, f) in open_intervals(app, project_id, tz, day, app.now()).await? {
        all.entry(k).or_insert(f);
    }
    Ok(Day::fold(all.values()))
}

/// The aggregates of the local days `from..=to`: the stored ones of closed days, the others
/// folded (and stored, once, when the day is over); days before the project and after today
/// are empty.
pub async fn days(
    app: &App,
    project: &projects::Project,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, Day)>> {
    let tz: chrono_tz::Tz = project.timezone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let now = app.now();
    let today = local_day(tz, now);
    let born = local_day(tz, project.created_at);
    let mut stored = BTreeMap::new();
    let mut cursor = None;
    loop {
        let q = Query::partition(keys::stat_days(&project.id))
            .between(keys::stat_day(from), keys::stat_day(to))
            .limit(400)
            .after(cursor.take());
        let page = app.ports.table.query(q).await?;
        for item in &page.items {
            stored.insert(item.sk.clone(), item.decode::<Day>()?);
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        let figures = if let Some(d) = stored.remove(&keys::stat_day(day)) {
            d
        } else if day < born || day > today {
            Day::fold([])
        } else {
            let folded = fold_day(app, &project.id, tz, day).await?;
            let closed = day.succ_opt().is_some_and(|n| now >= day_start(tz, n) + Duration::seconds(SETTLE));
            if closed {
                let body = serde_json::to_value(&folded).map_err(|e| Error::Internal(e.to_string()))?;
                let item = Item::new(keys::stat_days(&project.id), keys::stat_day(day), body);
                match app.ports.table.put(item, Condition::NotExists).await {
                    Ok(_) | Err(StoreError::ConditionFailed) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            folded
        };
        out.push((day, figures));
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    Ok(out)
}

/// How many requests of one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SourceCount {
    pub source: Source,
    pub count: u32,
}

/// The figures of one local day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DayFigures {
    pub day: NaiveDate,
    /// Requests by source (sources with none are left out).
    pub requests: Vec<SourceCount>,
    pub total: u32,
    pub answered: u32,
    pub missed: u32,
    /// First-response time, seconds (the upper bound of its bucket).
    pub p50: Option<u32>,
    pub p90: Option<u32>,
}

/// One operator's figures of the period.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OperatorFigures {
    pub user_id: String,
    pub name: String,
    /// Dialogs they answered first.
    pub dialogs: u32,
    pub messages: u32,
    /// Their first-response time, seconds.
    pub p50: Option<u32>,
    pub online_secs: u32,
    /// The customers' ratings (ОКО) first given in the period of dialogs they handled.
    pub ratings: u32,
    /// Their average, rounded to two decimals.
    pub rating: Option<f64>,
}

/// The Аналитика page's figures of a period of local days.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Analytics {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The project's time zone the days are counted in.
    pub timezone: String,
    pub days: Vec<DayFigures>,
    /// Requests of the period by source.
    pub by_source: Vec<SourceCount>,
    /// Requests by local hour of the day, 24 entries from 00.
    pub by_hour: Vec<u32>,
    /// Requests by day of the week, 7 entries from Monday.
    pub by_weekday: Vec<u32>,
    pub total: u32,
    pub answered: u32,
    pub missed: u32,
    pub p50: Option<u32>,
    pub p90: Option<u32>,
    /// The customers' ratings (ОКО) first given in the period, and their average.
    pub ratings: u32,
    pub rating: Option<f64>,
    pub operators: Vec<OperatorFigures>,
}

fn source_counts(map: &BTreeMap<Source, u32>) -> Vec<SourceCount> {
    map.iter().filter(|(_, c)| **c > 0).map(|(s, c)| SourceCount { source: *s, count: *c }).collect()
}

/// Sums the days into the page's figures; `names` names the operators (the current ones are
/// listed even without figures, anyone else by id).
pub fn summarize(days: &[(NaiveDate, Day)], names: &[(String, String)], timezone: &str) -> Analytics {
    let mut by_source = BTreeMap::new();
    let (mut by_hour, mut by_weekday) = (vec![0; 24], vec![0; 7]);
    let (mut missed, mut response) = (0, Histogram::default());
    let mut operators: BTreeMap<String, OperatorDay> =
        names.iter().map(|(id, _)| (id.clone(), OperatorDay::default())).collect();
    let mut figures = Vec::new();
    for (date, d) in days {
        for (s, c) in &d.requests {
            *by_source.entry(*s).or_insert(0) += c;
        }
        for (h, c) in d.hours.iter().enumerate().take(24) {
            by_hour[h] += c;
        }
        by_weekday[date.weekday().num_days_from_monday() as usize] += d.total();
        missed += d.missed;
        response.merge(&d.response);
        for (id, o) in &d.operators {
            let sum = operators.entry(id.clone()).or_default();
            sum.dialogs += o.dialogs;
            sum.messages += o.messages;
            sum.online_secs += o.online_secs;
            sum.response.merge(&o.response);
        }
        figures.push(DayFigures {
            day: *date,
            requests: source_counts(&d.requests),
            total: d.total(),
            answered: d.answered(),
            missed: d.missed,
            p50: d.response.percentile(0.5),
            p90: d.response.percentile(0.9),
        });
    }
    let name_of = |id: &str| names.iter().find(|(i, _)| i == id).map_or_else(|| id.to_owned(), |(_, n)| n.clone());
    let mut operators: Vec<OperatorFigures> = operators
        .into_iter()
        .map(|(id, o)| OperatorFigures {
            name: name_of(&id),
            user_id: id,
            dialogs: o.dialogs,
            messages: o.messages,
            p50: o.response.percentile(0.5),
            online_secs: o.online_secs,
            ratings: 0,
            rating: None,
        })
        .collect();
    operators.sort_by(|a, b| b.dialogs.cmp(&a.dialogs).then(b.messages.cmp(&a.messages)).then(a.name.cmp(&b.name)));
    Analytics {
        from: days.first().map_or(NaiveDate::MIN, |d| d.0),
        to: days.last().map_or(NaiveDate::MIN, |d| d.0),
        timezone: timezone.to_owned(),
        total: by_source.values().sum(),
        by_source: source_counts(&by_source),
        by_hour,
        by_weekday,
        answered: response.count(),
        missed,
        p50: response.percentile(0.5),
        p90: response.percentile(0.9),
        ratings: 0,
        rating: None,
        operators,
        days: figures,
    }
}

/// The figures with the customers' ratings (ОКО) of the same local days: in total and per
/// operator.
async fn with_ratings(app: &App, project_id: &str, mut figures: Analytics) -> Result<Analytics> {
    let rated = crate::ratings::summary(app, project_id, Some(figures.from), Some(figures.to)).await?;
    (figures.ratings, figures.rating) = (rated.total.count, rated.total.average);
    for o in &mut figures.operators {
        if let Some(r) = rated.operators.iter().find(|r| r.operator_id.as_deref() == Some(o.user_id.as_str())) {
            (o.ratings, o.rating) = (r.figures.count, r.figures.average);
        }
    }
    Ok(figures)
}

/// The longest period the page reads at once, in days.
pub const MAX_DAYS: i64 = 366;

/// Checks a period of local days: `from` ≤ `to`, at most [`MAX_DAYS`] days.
pub fn check_period(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if from > to {
        return Err(Error::invalid("from", "invalid_period", "Начало периода — не позже его конца"));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(Error::invalid("to", "period_too_long", format!("Период — не длиннее {MAX_DAYS} дней")));
    }
    Ok(())
}

/// The names of the operators of a project and of anyone else in `ids`.
async fn names(app: &App, project_id: &str, ids: impl IntoIterator<Item = String>) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> =
        crate::dialogs::operators(app, project_id).await?.into_iter().map(|o| (o.user_id, o.name)).collect();
    for id in ids {
        if out.iter().all(|(i, _)| *i != id)
            && let Ok(p) = accounts::get_profile(app, &id).await
        {
            out.push((id, crate::dialogs::display_name(&p)));
        }
    }
    Ok(out)
}

/// The Аналитика page's figures of the local days `from..=to` (checked by [`check_period`]);
/// the last 30 days up to today when not given.
pub async fn analytics(
    app: &App,
    project_id: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Analytics> {
    let (project, _) = projects::get(app, project_id).await?;
    let tz: chrono_tz::Tz = project.timezone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let to = to.unwrap_or_else(|| local_day(tz, app.now()));
    let from = from.unwrap_or(to - Duration::days(29));
    check_period(from, to)?;
    let days = days(app, &project, from, to).await?;
    let ids: Vec<String> = days.iter().flat_map(|(_, d)| d.operators.keys().cloned()).collect();
    with_ratings(app, project_id, summarize(&days, &names(app, project_id, ids).await?, &project.timezone)).await
}

/// The local hour the daily mail leaves at.
pub const MAIL_HOUR: u32 = 9;

/// The scheduled job: each project whose local time is past [`MAIL_HOUR`] and whose mail of
/// the day before has not been enqueued gets it enqueued, together with its marker in one
/// atomic write, so a doubled or concurrent tick enqueues nothing twice. A quiet day is mailed
/// too, with its zeros: the reader learns the day was quiet instead of wondering whether the
/// mail was lost. Projects are found through their index entry (written with the project's
/// item). Returns how many were enqueued.
pub async fn mail_due(app: &App) -> Result<usize> {
    let now = app.now();
    let mut enqueued = 0;
    let mut failed = None;
    let mut cursor = None;
    loop {
        let page = app.ports.table.query(Query::index(keys::PROJECTS_INDEX).limit(200).after(cursor.take())).await?;
        for item in &page.items {
            let Ok(project) = item.decode::<projects::Project>() else { continue };
            match mail_one(app, &project, now).await {
                Ok(true) => enqueued += 1,
                Ok(false) => {}
                Err(e) => {
                    tracing::error!(project_id = project.id, error = %e, "could not enqueue the statistics mail");
                    failed.get_or_insert(e);
                }
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    match failed {
        Some(e) => Err(e),
        None => Ok(enqueued),
    }
}

/// The day whose mail is due for a project at `now`: yesterday, once the local clock has
/// passed [`MAIL_HOUR`] and if the project existed then.
pub fn mail_day(tz: chrono_tz::Tz, created_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<NaiveDate> {
    let local = now.with_timezone(&tz);
    let yesterday = local.date_naive().pred_opt()?;
    (local.hour() >= MAIL_HOUR && yesterday >= local_day(tz, created_at)).then_some(yesterday)
}

async fn mail_one(app: &App, project: &projects::Project, now: DateTime<Utc>) -> Result<bool> {
    let tz: chrono_tz::Tz = project.timezone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let Some(day) = mail_day(tz, project.created_at, now) else { return Ok(false) };
    let (pk, sk) = keys::stat_mail(&project.id, day);
    if app.ports.table.get(&pk, &sk).await?.is_some() {
        return Ok(false);
    }
    let marker =
        Item::new(pk, sk, serde_json::json!({ "at": now })).expiring_at((now + Duration::days(40)).timestamp());
    let job = crate::notify::Job::Statistics { project_id: project.id.clone(), day };
    let body = serde_json::to_string(&job).map_err(|e| Error::Internal(e.to_string()))?;
    let send = Outgoing::new(NOTIFICATIONS.name, body, std::time::Duration::ZERO);
    match app.ports.atomic.commit(vec![Write::Put { item: marker, condition: Condition::NotExists }], vec![send]).await
    {
        Ok(()) => Ok(true),
        Err(StoreError::TransactionCancelled) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Mails a project's figures of `day` to group 3, each recipient in their language.
pub async fn send_mail(app: &App, project_id: &str, day: NaiveDate) -> Result<()> {
    let recipients = team::recipients_by_language(app, project_id, Group::Statistics).await?;
    if recipients.is_empty() {
        return Ok(());
    }
    let (project, _) = projects::get(app, project_id).await?;
    let days = days(app, &project, day, day).await?;
    let ids: Vec<String> = days.iter().flat_map(|(_, d)| d.operators.keys().cloned()).collect();
    let figures =
        with_ratings(app, project_id, summarize(&days, &names(app, project_id, ids).await?, &project.timezone)).await?;
    let link = format!("{}/analytics", app.settings.public_url);
    for (language, to) in recipients {
        let (subject, text, html) = render(language, &project.name, &figures, &link);
        let mail = Mail { from: app.settings.mail_from.clone(), to, subject, text, html: Some(html) };
        app.ports.mail.send(&mail).await?;
    }
    Ok(())
}

/// A duration as the reader says it: «45 с», «3 мин», «1 ч 20 мин».
pub fn duration(secs: u32, language: Language) -> String {
    let (s, m, h) = match language {
        Language::Ru => ("с", "мин", "ч"),
        Language::En => ("s", "min", "h"),
    };
    match secs {
        0..60 => format!("{secs} {s}"),
        60..3600 => format!("{} {m}", secs / 60),
        _ if secs % 3600 < 60 => format!("{} {h}", secs / 3600),
        _ => format!("{} {h} {} {m}", secs / 3600, secs % 3600 / 60),
    }
}

/// Subject, text and HTML of the daily statistics mail of one day's figures.
pub fn render(language: Language, project_name: &str, a: &Analytics, link: &str) -> (String, String, String) {
    let ru = language == Language::Ru;
    let date = a.from.format("%d.%m.%Y").to_string();
    let time = |v: Option<u32>| v.map_or_else(|| "—".to_owned(), |s| format!("≤ {}", duration(s, language)));
    let subject = if ru {
        format!("Беседа: статистика за {date} — проект «{project_name}»")
    } else {
        format!("Beseda: statistics for {date} — project “{project_name}”")
    };
    let mut rows: Vec<(String, String)> = vec![(if ru { "Обращений" } else { "Requests" }.into(), a.total.to_string())];
    for s in &a.by_source {
        rows.push((format!("  {}", journal::source_label(s.source, language)), s.count.to_string()));
    }
    rows.push((if ru { "Отвечено" } else { "Answered" }.into(), a.answered.to_string()));
    rows.push((if ru { "Пропущено" } else { "Missed" }.into(), a.missed.to_string()));
    rows.push((if ru { "Время первого ответа, медиана" } else { "First response, median" }.into(), time(a.p50)));
    rows.push((if ru { "Время первого ответа, 90%" } else { "First response, 90%" }.into(), time(a.p90)));
    let stars = |count: u32, avg: Option<f64>| avg.map_or_else(|| "—".to_owned(), |v| format!("{v:.1} ★ ({count})"));
    rows.push((if ru { "Оценки клиентов" } else { "Customer ratings" }.into(), stars(a.ratings, a.rating)));
    let head: [&str; 6] = if ru {
        ["Оператор", "Диалоги", "Сообщения", "Первый ответ", "В сети", "Оценка"]
    } else {
        ["Operator", "Dialogs", "Messages", "First response", "Online", "Rating"]
    };
    let ops: Vec<[String; 6]> = a
        .operators
        .iter()
        .map(|o| {
            [
                o.name.clone(),
                o.dialogs.to_string(),
                o.messages.to_string(),
                time(o.p50),
                duration(o.online_secs, language),
                stars(o.ratings, o.rating),
            ]
        })
        .collect();
    let title = if ru {
        format!("Статистика проекта «{project_name}» за {date}")
    } else {
        format!("Statistics of the project “{project_name}” for {date}")
    };
    let more = if ru { "Подробнее в Аналитике" } else { "More in Analytics" };
    let mut text = format!("{title}\n\n");
    for (k, v) in &rows {
        text.push_str(&format!("{k}: {v}\n"));
    }
    if !ops.is_empty() {
        text.push_str(&format!("\n{}\n", head.join(" | ")));
        for o in &ops {
            text.push_str(&format!("{}\n", o.join(" | ")));
        }
    }
    text.push_str(&format!("\n{more}: {link}\n"));
    let cell = "style=\"padding:4px 12px 4px 0;border-bottom:1px solid #e5e7eb\"";
    let mut html = format!(
        "<!doctype html><html><body style=\"font-family:Arial,sans-serif;color:#111827\"><h2 style=\"font-size:18px\">{}</h2><table style=\"border-collapse:collapse\">",
        escape_html(&title)
    );
    for (k, v) in &rows {
        html.push_str(&format!("<tr><td {cell}>{}</td><td {cell}><b>{}</b></td></tr>", escape_html(k), escape_html(v)));
    }
    html.push_str("</table>");
    if !ops.is_empty() {
        html.push_str("<table style=\"border-collapse:collapse;margin-top:16px\"><tr>");
        for h in head {
            html.push_str(&format!("<th {cell} align=\"left\">{}</th>", escape_html(h)));
        }
        html.push_str("</tr>");
        for o in &ops {
            html.push_str("<tr>");
            for v in o {
                html.push_str(&format!("<td {cell}>{}</td>", escape_html(v)));
            }
            html.push_str("</tr>");
        }
        html.push_str("</table>");
    }
    html.push_str(&format!("<p><a href=\"{}\">{}</a></p></body></html>", escape_html(link), escape_html(more)));
    (subject, text, html)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialogs::tests::world;
    use crate::dialogs::{self, FormValues, Status, VisitorMessage};
    use crate::notify::{Groups, Job};
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn buckets_are_fine_for_quick_answers_and_coarse_for_slow_ones() {
        assert_eq!((BUCKETS[0], BUCKETS[11], BUCKETS[12]), (5, 60, 75));
        assert_eq!(*BUCKETS.last().unwrap(), 86_400);
        assert!(BUCKETS.windows(2).all(|w| w[0] < w[1]));
        let mut h = Histogram::default();
        assert_eq!(h.percentile(0.5), None);
        for s in [3, 5, 6, 40, 58, 70, 200, 1000, 4000, 200_000] {
            h.add(s);
        }
        assert_eq!(h.count(), 10);
        assert_eq!(h.percentile(0.5), Some(60), "the 5th of 10 is 58 s, in the 55–60 s bucket");
        assert_eq!(h.percentile(0.9), Some(7200), "the 9th is 4000 s, in the 1–2 h bucket");
        assert_eq!(h.percentile(1.0), Some(86_400), "more than a day reads as a day");
        assert_eq!(h.percentile(0.1), Some(5), "3 s and exactly 5 s share the first bucket");
    }

    #[test]
    fn histograms_of_days_merge_into_the_periods_percentiles() {
        let (mut a, mut b, mut all) = (Histogram::default(), Histogram::default(), Histogram::default());
        for s in [10, 20, 30] {
            a.add(s);
            all.add(s);
        }
        for s in [600, 700, 800, 900, 1000] {
            b.add(s);
            all.add(s);
        }
        let mut merged = a.clone();
        merged.merge(&b);
        assert_eq!(merged, all);
        assert_eq!(merged.percentile(0.5), Some(600), "the 4th of 8 is 600 s, in the 9–10 min bucket");
        let mut other = b;
        other.merge(&a);
        assert_eq!(other, all, "the order of days does not matter");
    }

    #[test]
    fn a_day_folds_its_facts() {
        let facts = [
            Fact::Request { source: Source::Chat, hour: 23 },
            Fact::Request { source: Source::Chat, hour: 9 },
            Fact::Request { source: Source::Form, hour: 9 },
            Fact::FirstResponse { operator: "op1".into(), secs: 40 },
            Fact::OperatorMessage { operator: "op1".into() },
            Fact::OperatorMessage { operator: "op1".into() },
            Fact::OperatorMessage { operator: "op2".into() },
            Fact::Missed,
            Fact::Online { operator: "op2".into(), secs: 600 },
        ];
        let d = Day::fold(&facts);
        assert_eq!(d.requests, BTreeMap::from([(Source::Chat, 2), (Source::Form, 1)]));
        assert_eq!((d.hours[9], d.hours[23], d.total(), d.answered(), d.missed), (2, 1, 3, 1, 1));
        assert_eq!((d.operators["op1"].dialogs, d.operators["op1"].messages), (1, 2));
        assert_eq!((d.operators["op2"].messages, d.operators["op2"].online_secs), (1, 600));
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(serde_json::from_value::<Day>(json).unwrap(), d, "a stored day reads back the same");
    }

    #[test]
    fn the_period_sums_days_by_source_hour_weekday_and_operator() {
        let monday = Day::fold(&[
            Fact::Request { source: Source::Telegram, hour: 10 },
            Fact::FirstResponse { operator: "op1".into(), secs: 30 },
        ]);
        let tuesday = Day::fold(&[
            Fact::Request { source: Source::Chat, hour: 10 },
            Fact::Request { source: Source::Chat, hour: 22 },
            Fact::FirstResponse { operator: "gone".into(), secs: 300 },
            Fact::Missed,
        ]);
        let days = [(date(2026, 11, 23), monday), (date(2026, 11, 24), tuesday), (date(2026, 11, 25), Day::fold([]))];
        let names = [("op1".to_owned(), "Анна".to_owned()), ("idle".to_owned(), "Борис".to_owned())];
        let a = summarize(&days, &names, "Europe/Moscow");
        assert_eq!((a.from, a.to, a.total, a.answered, a.missed), (date(2026, 11, 23), date(2026, 11, 25), 3, 2, 1));
        assert_eq!(
            a.by_source.iter().map(|s| (s.source, s.count)).collect::<Vec<_>>(),
            [(Source::Chat, 2), (Source::Telegram, 1)]
        );
        assert_eq!((a.by_hour[10], a.by_hour[22], a.by_hour.len()), (2, 1, 24));
        assert_eq!(a.by_weekday, [1, 2, 0, 0, 0, 0, 0]);
        assert_eq!((a.days[1].total, a.days[1].p50, a.days[2].p50), (2, Some(300), None));
        assert_eq!((a.p50, a.p90), (Some(30), Some(300)));
        let ops: Vec<_> = a.operators.iter().map(|o| (o.name.as_str(), o.dialogs)).collect();
        assert_eq!(ops, [("gone", 1), ("Анна", 1), ("Борис", 0)], "an ex-operator by id, an idle one with zeros");
    }

    #[test]
    fn time_online_splits_at_local_midnights_also_across_dst() {
        let moscow = chrono_tz::Europe::Moscow;
        // 23:30 to 00:45 Moscow time.
        assert_eq!(
            split_by_day(moscow, utc(2026, 11, 25, 20, 30), utc(2026, 11, 25, 21, 45)),
            [(date(2026, 11, 25), 1800), (date(2026, 11, 26), 2700)]
        );
        assert!(split_by_day(moscow, utc(2026, 11, 25, 20, 30), utc(2026, 11, 25, 20, 30)).is_empty());
        // Berlin's clocks go forward on 29 March 2026 (a 23-hour day) and back on 25 October (25 hours).
        let berlin = chrono_tz::Europe::Berlin;
        let spring = split_by_day(berlin, utc(2026, 3, 28, 23, 0), utc(2026, 3, 29, 22, 0));
        assert_eq!(spring, [(date(2026, 3, 29), 23 * 3600)]);
        let autumn = split_by_day(berlin, utc(2026, 10, 24, 20, 0), utc(2026, 10, 26, 0, 0));
        assert_eq!(
            autumn,
            [(date(2026, 10, 24), 2 * 3600), (date(2026, 10, 25), 25 * 3600), (date(2026, 10, 26), 3600)]
        );
    }

    #[test]
    fn a_request_counts_on_its_local_day_and_hour() {
        let at = utc(2026, 11, 25, 20, 30);
        let Write::Put { item, .. } = request(chrono_tz::Europe::Moscow, "p1", "l1", Source::Chat, at).unwrap() else {
            panic!("a put")
        };
        assert_eq!((item.pk.as_str(), item.sk.as_str()), ("project#p1#stat#2026-11-25", "request#l1"));
        assert_eq!(item.decode::<Fact>().unwrap(), Fact::Request { source: Source::Chat, hour: 23 });
        let Write::Put { item, .. } = request(chrono_tz::Asia::Yekaterinburg, "p1", "l1", Source::Chat, at).unwrap()
        else {
            panic!("a put")
        };
        assert_eq!(item.pk, "project#p1#stat#2026-11-26", "01:30 of the 26th in Yekaterinburg");
    }

    #[test]
    fn a_period_is_checked() {
        assert!(check_period(date(2026, 1, 1), date(2026, 12, 31)).is_ok());
        assert!(matches!(check_period(date(2026, 1, 2), date(2026, 1, 1)), Err(Error::Invalid { field: "from", .. })));
        assert!(matches!(
            check_period(date(2025, 1, 1), date(2026, 1, 2)),
            Err(Error::Invalid { field: "to", code: "period_too_long", .. })
        ));
    }

    #[test]
    fn durations_read_in_the_readers_language() {
        assert_eq!(duration(45, Language::Ru), "45 с");
        assert_eq!(duration(180, Language::En), "3 min");
        assert_eq!(duration(4800, Language::Ru), "1 ч 20 мин");
        assert_eq!(duration(7200, Language::En), "2 h");
    }

    #[tokio::test]
    async fn events_become_the_days_figures_and_a_closed_day_is_stored_once() {
        let (w, clock) = world().await;
        // Wednesday 25 November, 12:00 in Moscow: the operator goes online, a form arrives.
        dialogs::set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
        let (_, token) = dialogs::create_visitor(&w.app, &w.project).await.unwrap();
        let v = dialogs::visitor_from_token(&w.app, &w.project, &token).await.unwrap();
        let form =
            FormValues { name: Some("Анна".into()), phone: Some("+79123456789".into()), ..Default::default() };
        dialogs::submit_form(&w.app, &w.project, &v.id, "f1", form.clone(), None).await.unwrap();
        dialogs::submit_form(&w.app, &w.project, &v.id, "f1", form, None).await.unwrap();
        // 23:30 in Moscow: a chat answered in 40 s (twice the same reply), another never answered.
        clock.advance(Duration::minutes(11 * 60 + 30));
        let (_, token) = dialogs::create_visitor(&w.app, &w.project).await.unwrap();
        let v2 = dialogs::visitor_from_token(&w.app, &w.project, &token).await.unwrap();
        let msg = |c: &str| VisitorMessage {
            text: "Здравствуйте".into(), client_id: c.into(), ..Default::default()
        };
        let (_, d) = dialogs::send_from_visitor(&w.app, &w.project, &v2, msg("c1")).await.unwrap();
        let v2 = dialogs::visitor_from_token(&w.app, &w.project, &token).await.unwrap();
        dialogs::send_from_visitor(&w.app, &w.project, &v2, msg("c1")).await.unwrap();
        clock.advance(Duration::seconds(40));
        dialogs::reply(&w.app, &w.project, &d.id, &w.operator, "Добрый вечер", "r1").await.unwrap();
        dialogs::reply(&w.app, &w.project, &d.id, &w.operator, "Добрый вечер", "r1").await.unwrap();
        dialogs::reply(&w.app, &w.project, &d.id, &w.operator, "Чем помочь?", "r2").await.unwrap();
        let (_, token) = dialogs::create_visitor(&w.app, &w.project).await.unwrap();
        let v3 = dialogs::visitor_from_token(&w.app, &w.project, &token).await.unwrap();
        let (_, lost) = dialogs::send_from_visitor(&w.app, &w.project, &v3, msg("c2")).await.unwrap();
        dialogs::set_status(&w.app, &w.project, &lost.id, Status::Closed).await.unwrap();
        dialogs::set_status(&w.app, &w.project, &d.id, Status::Closed).await.unwrap();

        let live = analytics(&w.app, &w.project, Some(date(2026, 11, 25)), None).await.unwrap();
        assert_eq!(live.to, date(2026, 11, 25));
        let op = live.operators.iter().find(|o| o.user_id == w.operator.id).unwrap();
        assert_eq!(op.online_secs, 11 * 3600 + 30 * 60 + 40, "online until now, counted while it lasts");

        // Thursday 01:00 in Moscow: the operator goes offline.
        clock.advance(Duration::minutes(90));
        dialogs::set_presence(&w.app, &w.project, &w.operator.id, false).await.unwrap();
        let a = analytics(&w.app, &w.project, Some(date(2026, 11, 25)), Some(date(2026, 11, 26))).await.unwrap();
        let day = &a.days[0];
        assert_eq!(
            day.requests.iter().map(|s| (s.source, s.count)).collect::<Vec<_>>(),
            [(Source::Chat, 2), (Source::Form, 1)]
        );
        assert_eq!((day.answered, day.missed, day.p50), (1, 1, Some(40)), "the answered dialog closed is not missed");
        assert_eq!((a.by_hour[12], a.by_hour[23], a.by_weekday[2]), (1, 2, 3), "Moscow's hours, a Wednesday");
        let op = a.operators.iter().find(|o| o.user_id == w.operator.id).unwrap();
        assert_eq!((op.name.as_str(), op.dialogs, op.messages, op.p50), ("Анна", 1, 2, Some(40)));
        assert_eq!(op.online_secs, 13 * 3600 + 40, "12:00 to 01:00:40, over two local days");
        assert_eq!(a.days[1].total, 0);

        let stored = w.app.ports.table.query(Query::partition(keys::stat_days(&w.project))).await.unwrap();
        assert_eq!(stored.items.iter().map(|i| i.sk.as_str()).collect::<Vec<_>>(), ["day#2026-11-25"], "today is not");
        let again = analytics(&w.app, &w.project, Some(date(2026, 11, 25)), Some(date(2026, 11, 26))).await.unwrap();
        assert_eq!(again, a, "the stored day reads the same");
        let other = analytics(&w.app, "nobody", None, None).await;
        assert!(matches!(other, Err(Error::NotFound("project"))));
    }

    #[tokio::test]
    async fn the_daily_mail_goes_once_at_nine_local_time_in_each_recipients_language() {
        let (w, clock) = world().await;
        let (project, _) = projects::get(&w.app, &w.project).await.unwrap();
        let stats = Groups { statistics: true, ..Groups::default() };
        team::update(&w.app, &w.project, &w.operator.id, None, Some(stats)).await.unwrap();
        let boss = team::NotifyEmail { email: "boss@x.ru".into(), groups: stats };
        team::set_notify_emails(&w.app, &w.project, vec![boss]).await.unwrap();
        let en = accounts::ProfileChanges { language: Some(Language::En), ..Default::default() };
        accounts::update_profile(&w.app, &w.operator.id, en).await.unwrap();
        dialogs::set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
        let (_, token) = dialogs::create_visitor(&w.app, &w.project).await.unwrap();
        let v = dialogs::visitor_from_token(&w.app, &w.project, &token).await.unwrap();
        let msg =
            VisitorMessage { text: "Здравствуйте".into(), client_id: "c1".into(), ..Default::default() };
        let (_, d) = dialogs::send_from_visitor(&w.app, &w.project, &v, msg).await.unwrap();
        clock.advance(Duration::seconds(20));
        dialogs::reply(&w.app, &w.project, &d.id, &w.operator, "Добрый день", "r1").await.unwrap();

        assert_eq!(mail_due(&w.app).await.unwrap(), 0, "the project's first day is not over");
        // Thursday 08:59 in Moscow: not yet; 09:00: the Wednesday's mail, once.
        clock.set(utc(2026, 11, 26, 5, 59));
        assert_eq!(mail_due(&w.app).await.unwrap(), 0);
        clock.set(utc(2026, 11, 26, 6, 0));
        let (a, b) = tokio::join!(mail_due(&w.app), mail_due(&w.app));
        assert_eq!(a.unwrap() + b.unwrap(), 1, "two ticks at once enqueue one mail");
        clock.advance(Duration::minutes(5));
        assert_eq!(mail_due(&w.app).await.unwrap(), 0, "a later tick neither");
        let got: Vec<_> = w
            .app
            .ports
            .queue
            .receive(NOTIFICATIONS.name, 10, std::time::Duration::ZERO)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.body.contains("\"statistics\""))
            .collect();
        assert_eq!(got.len(), 1);
        let job: Job = serde_json::from_str(&got[0].body).unwrap();
        assert_eq!(job, Job::Statistics { project_id: project.id.clone(), day: date(2026, 11, 25) });
        crate::notify::deliver(&w.app, &got[0].message_id, &got[0].body).await.unwrap();
        crate::notify::deliver(&w.app, &got[0].message_id, &got[0].body).await.unwrap();
        let mut sent = w.outbox.list().unwrap();
        sent.sort_by(|a, b| a.subject.cmp(&b.subject));
        assert_eq!(sent.len(), 2, "one mail per language, a redelivery sends none");
        assert_eq!(sent[0].to, ["op@x.ru"]);
        assert_eq!(sent[0].subject, "Beseda: statistics for 25.11.2026 — project “Ромашка”");
        assert!(sent[0].text.contains("Requests: 1") && sent[0].text.contains("Website chat: 1"), "{}", sent[0].text);
        assert!(sent[0].text.contains("Анна | 1 | 1 | ≤ 20 s"), "{}", sent[0].text);
        assert_eq!(sent[1].to, ["boss@x.ru"]);
        assert_eq!(sent[1].subject, "Беседа: статистика за 25.11.2026 — проект «Ромашка»");
        assert!(sent[1].text.contains("Отвечено: 1") && sent[1].text.contains("Пропущено: 0"), "{}", sent[1].text);
        assert!(sent[1].raw.contains("text/html") && sent[1].text.contains("http://cabinet.test/analytics"));
    }

    #[test]
    fn the_mail_escapes_names_in_its_html() {
        let mut a = summarize(&[(date(2026, 11, 25), Day::fold([]))], &[("x".into(), "<b>Ann</b>".into())], "UTC");
        (a.ratings, a.rating) = (2, Some(4.5));
        (a.operators[0].ratings, a.operators[0].rating) = (2, Some(4.5));
        let (subject, text, html) = render(Language::En, "<i>Shop</i>", &a, "http://l/analytics");
        assert!(subject.contains("<i>Shop</i>") && text.contains("<b>Ann</b> | 0 | 0 | — | 0 s | 4.5 ★ (2)"), "{text}");
        assert!(text.contains("Customer ratings: 4.5 ★ (2)"), "{text}");
        assert!(html.contains("&lt;b&gt;Ann&lt;/b&gt;") && !html.contains("<b>Ann") && !html.contains("<i>"), "{html}");
    }
}
