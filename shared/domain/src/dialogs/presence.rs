//! Operators' presence (PRODUCT.md §10): the online toggle that stays until switched, the
//! weekly schedules that switch operators by the project's time zone, and who is online now.

use super::store::to_json;
use crate::access::Access;
use crate::accounts::Profile;
use crate::{App, Error, Result, accounts, keys, online, projects, realtime, statistics, widget};
use beseda_ports::table::{Condition, Item, Query, Write};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Presence {
    pub online: bool,
    pub since: DateTime<Utc>,
    /// The weekly schedule that switches the operator on and off (§10).
    #[serde(default)]
    pub schedule: Option<widget::Hours>,
    /// The day the schedule takes effect (the day after it was set), in the project's zone.
    #[serde(default)]
    pub schedule_from: Option<chrono::NaiveDate>,
}

async fn load_presence(app: &App, project_id: &str, user_id: &str) -> Result<(Presence, Option<u64>)> {
    let (pk, sk) = keys::presence(project_id, user_id);
    Ok(match app.ports.table.get(&pk, &sk).await? {
        Some(item) => (item.decode()?, Some(item.version)),
        None => (Presence { online: false, since: app.now(), schedule: None, schedule_from: None }, None),
    })
}

/// Saves the presence, with `facts` (the statistics of time online) in the same write.
async fn save_presence(
    app: &App,
    project_id: &str,
    user_id: &str,
    p: &Presence,
    version: Option<u64>,
    facts: Vec<Write>,
) -> Result<()> {
    let (pk, sk) = keys::presence(project_id, user_id);
    let mut item = Item::new(pk, sk, to_json(p)?);
    if p.schedule.is_some() {
        item = item.with_index(keys::SCHEDULES, keys::schedule_entry(project_id, user_id));
    }
    let condition = version.map_or(Condition::NotExists, Condition::Version);
    if facts.is_empty() {
        app.ports.table.put(item, condition).await?;
    } else {
        let mut writes = vec![Write::Put { item, condition }];
        writes.extend(facts);
        app.ports.table.transact(writes).await?;
    }
    Ok(())
}

/// Goes online or offline; it stays so until toggled, even with the computer off. Going
/// offline stores the time online as statistics facts.
pub async fn set_presence(app: &App, project_id: &str, user_id: &str, online: bool) -> Result<Presence> {
    let (mut p, version) = load_presence(app, project_id, user_id).await?;
    let mut facts = Vec::new();
    if p.online != online {
        if p.online {
            let tz = statistics::zone(app, project_id).await;
            facts = statistics::online(tz, project_id, user_id, p.since, app.now())?;
        }
        p.online = online;
        p.since = app.now();
    }
    save_presence(app, project_id, user_id, &p, version, facts).await?;
    online::set(app, project_id, user_id, online).await?;
    realtime::push_to_operators(
        app,
        project_id,
        &serde_json::json!({ "type": "presence", "user_id": user_id, "online": online }),
    )
    .await?;
    Ok(p)
}

pub async fn presence(app: &App, project_id: &str, user_id: &str) -> Result<Presence> {
    Ok(load_presence(app, project_id, user_id).await?.0)
}

/// Sets (or with None removes) the weekly schedule of operators; it takes effect from the
/// next day in the project's time zone.
pub async fn set_schedule(
    app: &App,
    project_id: &str,
    user_ids: &[String],
    schedule: Option<widget::Hours>,
) -> Result<()> {
    if let Some(h) = &schedule {
        if h.len() != 7 || h.iter().any(|d| d.len() != 24) {
            return Err(Error::invalid("schedule", "invalid_hours", "График — 7 дней по 24 часа"));
        }
    }
    let (project, _) = projects::get(app, project_id).await?;
    let tz: chrono_tz::Tz = project.timezone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let tomorrow = app.now().with_timezone(&tz).date_naive().succ_opt();
    for user_id in user_ids {
        let member = projects::membership(app, project_id, user_id).await?.ok_or(Error::NotFound("member"))?.0;
        if !member.accesses.contains(&Access::Operator) {
            return Err(Error::invalid("user_ids", "not_an_operator", "График задаётся только операторам"));
        }
        let (mut p, version) = load_presence(app, project_id, user_id).await?;
        p.schedule_from = schedule.as_ref().and(tomorrow);
        p.schedule = schedule.clone();
        save_presence(app, project_id, user_id, &p, version, Vec::new()).await?;
    }
    Ok(())
}

/// The scheduled job: switches operators with a schedule in effect on or off by it.
/// Returns how many were switched.
pub async fn apply_schedules(app: &App) -> Result<usize> {
    let mut switched = 0;
    let mut cursor = None;
    loop {
        let page = app.ports.table.query(Query::index(keys::SCHEDULES).limit(200).after(cursor)).await?;
        for item in &page.items {
            let p: Presence = item.decode()?;
            let Some((project_id, user_id)) = item.gsi1.as_ref().and_then(|i| i.sk.split_once('#')) else { continue };
            let (Some(hours), Some(from)) = (&p.schedule, p.schedule_from) else { continue };
            let Ok((project, _)) = projects::get(app, project_id).await else { continue };
            let tz: chrono_tz::Tz = project.timezone.parse().unwrap_or(chrono_tz::Europe::Moscow);
            let now = app.now();
            if now.with_timezone(&tz).date_naive() < from {
                continue;
            }
            let due = widget::is_open(hours, &project.timezone, now);
            if due != p.online {
                set_presence(app, project_id, user_id, due).await?;
                switched += 1;
            }
        }
        cursor = page.next;
        if cursor.is_none() {
            return Ok(switched);
        }
    }
}

/// An operator of the project as the Dialogs page lists them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Operator {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub online: bool,
    pub schedule: Option<widget::Hours>,
    pub schedule_from: Option<chrono::NaiveDate>,
}

pub async fn operators(app: &App, project_id: &str) -> Result<Vec<Operator>> {
    let mut out = Vec::new();
    for (m, _) in projects::members(app, project_id).await? {
        if !m.accesses.contains(&Access::Operator) {
            continue;
        }
        let profile = accounts::get_profile(app, &m.user_id).await?;
        let p = presence(app, project_id, &m.user_id).await?;
        out.push(Operator {
            user_id: m.user_id,
            name: display_name(&profile),
            email: profile.email,
            online: p.online,
            schedule: p.schedule,
            schedule_from: p.schedule_from,
        });
    }
    Ok(out)
}

/// The first operator of a project to have gone online who still is (and still is an
/// operator), as read at most a few seconds ago.
pub async fn first_online_operator(app: &App, project_id: &str) -> Result<Option<online::Online>> {
    for o in online::recent(app, project_id).await? {
        let (pk, sk) = keys::member(project_id, &o.user_id);
        if let Some(item) = app.ports.recent.get_recent(&pk, &sk).await?
            && item.decode::<projects::Membership>()?.accesses.contains(&Access::Operator)
        {
            return Ok(Some(o));
        }
    }
    Ok(None)
}

/// The ids of the project's online operators (still operators), as read at most a few seconds
/// ago, in the order they went online.
pub async fn online_operators(app: &App, project_id: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for o in online::recent(app, project_id).await? {
        let (pk, sk) = keys::member(project_id, &o.user_id);
        if let Some(item) = app.ports.recent.get_recent(&pk, &sk).await?
            && item.decode::<projects::Membership>()?.accesses.contains(&Access::Operator)
        {
            out.push(o.user_id);
        }
    }
    Ok(out)
}

/// How an operator is named to customers: the first name, or the e-mail's local part.
pub fn display_name(p: &Profile) -> String {
    let name = format!("{} {}", p.first_name, p.last_name).trim().to_owned();
    if name.is_empty() { p.email.split('@').next().unwrap_or_default().to_owned() } else { p.first_name.clone() }
}
