//! The Панель, the cabinet's home (PRODUCT.md §11): today's and this week's requests by
//! source (from the journal's time-ordered keys, local days of the project), the open and the
//! unanswered dialogs (from the open-dialog index), the operators online now (the online
//! set) and this week's ratings (from the ratings' time-ordered index), in one call.

use crate::dialogs::{Dialog, Source, Status};
use crate::{App, Result, journal, keys, online, projects, ratings};
use beseda_ports::table::Query;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// How many requests of one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SourceCount {
    pub source: Source,
    pub count: u32,
}

/// An operator online now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OnlineOperator {
    pub user_id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Dashboard {
    /// Requests since the local midnight, by source (sources with none are left out).
    pub today: Vec<SourceCount>,
    /// Requests since the local Monday's midnight, by source.
    pub week: Vec<SourceCount>,
    /// Dialogs not closed.
    pub open: u32,
    /// Open dialogs no operator has answered yet.
    pub unanswered: u32,
    pub online: Vec<OnlineOperator>,
    /// The customers' ratings (ОКО) first given since the local Monday's midnight.
    pub rating: ratings::Figures,
    /// The project's time zone the days are counted in.
    pub timezone: String,
}

fn counts(map: BTreeMap<Source, u32>) -> Vec<SourceCount> {
    map.into_iter().map(|(source, count)| SourceCount { source, count }).collect()
}

/// The figures of the Панель now.
pub async fn figures(app: &App, project_id: &str) -> Result<Dashboard> {
    let (project, _) = projects::get(app, project_id).await?;
    let tz: chrono_tz::Tz = project.timezone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let now = app.now();
    let today_start = journal::day_start(tz, now.with_timezone(&tz).date_naive());
    let week = journal::count_since(app, project_id, journal::week_start(tz, now)).await?;
    let today = journal::count_since(app, project_id, today_start).await?;
    let (mut open, mut unanswered) = (0, 0);
    let mut cursor = None;
    loop {
        let q = Query::index(keys::dialogs_index(project_id, Status::Open.as_str())).limit(500).after(cursor.take());
        let page = app.ports.table.query(q).await?;
        for item in &page.items {
            let d: Dialog = item.decode()?;
            open += 1;
            if !d.operator_replied {
                unanswered += 1;
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let online = online::recent(app, project_id)
        .await?
        .into_iter()
        .map(|o| OnlineOperator { user_id: o.user_id, name: o.name })
        .collect();
    let rating = ratings::this_week(app, project_id, &project.timezone).await?;
    Ok(Dashboard {
        today: counts(today),
        week: counts(week),
        open,
        unanswered,
        online,
        rating,
        timezone: project.timezone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialogs::tests::world;
    use crate::dialogs::{self, FormValues, VisitorMessage};

    #[tokio::test]
    async fn the_panel_counts_requests_by_local_day_and_week_and_open_unanswered_dialogs() {
        let (w, clock) = world().await;
        let empty = figures(&w.app, &w.project).await.unwrap();
        assert!(empty.today.is_empty() && empty.week.is_empty() && empty.online.is_empty());
        assert_eq!((empty.open, empty.unanswered), (0, 0));
        // Wednesday 25 November, 09:00 UTC (12:00 in Moscow): a form.
        let (_, token) = dialogs::create_visitor(&w.app, &w.project).await.unwrap();
        let v = dialogs::visitor_from_token(&w.app, &w.project, &token).await.unwrap();
        let form =
            FormValues { name: Some("Анна".into()), phone: Some("+79123456789".into()), ..Default::default() };
        dialogs::submit_form(&w.app, &w.project, &v.id, "f1", form, None).await.unwrap();
        // Thursday 26th, 20:30 UTC is 23:30 in Moscow: a chat, the operator online.
        clock.advance(chrono::Duration::minutes(35 * 60 + 30));
        dialogs::set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
        let (_, token) = dialogs::create_visitor(&w.app, &w.project).await.unwrap();
        let v2 = dialogs::visitor_from_token(&w.app, &w.project, &token).await.unwrap();
        let msg =
            VisitorMessage { text: "Здравствуйте".into(), client_id: "c1".into(), ..Default::default() };
        let (_, d) = dialogs::send_from_visitor(&w.app, &w.project, &v2, msg).await.unwrap();
        let f = figures(&w.app, &w.project).await.unwrap();
        assert_eq!(f.today, [SourceCount { source: Source::Chat, count: 1 }], "23:30 Moscow time is still today");
        assert_eq!(
            f.week,
            [SourceCount { source: Source::Chat, count: 1 }, SourceCount { source: Source::Form, count: 1 }]
        );
        assert_eq!((f.open, f.unanswered), (2, 2), "the form's dialog in the feed and the chat");
        assert_eq!(f.online, [OnlineOperator { user_id: w.operator.id.clone(), name: "Анна".into() }]);
        dialogs::reply(&w.app, &w.project, &d.id, &w.operator, "Добрый вечер", "r1").await.unwrap();
        assert_eq!(figures(&w.app, &w.project).await.unwrap().unanswered, 1);
        let rater = ratings::Rater::Visitor { visitor_id: v2.id.clone() };
        ratings::rate(&w.app, &w.project, &d.id, &rater, 5, None).await.unwrap();
        let rating = figures(&w.app, &w.project).await.unwrap().rating;
        assert_eq!((rating.count, rating.average), (1, Some(5.0)), "this week's ratings");
        // Monday 30th, 00:30 in Moscow: a new day and a new week.
        clock.advance(chrono::Duration::minutes(3 * 24 * 60 + 60));
        let f = figures(&w.app, &w.project).await.unwrap();
        assert!(f.today.is_empty() && f.week.is_empty());
        assert_eq!(f.rating.count, 0, "a new week has no ratings yet");
        assert_eq!(f.open, 2, "open dialogs stay whatever the day");
    }
}
