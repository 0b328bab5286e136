//! ОКО, the quality rating (PRODUCT.md §11): once an operator answered, the customer rates the
//! dialog 1–5 with an optional comment — in the widget, or by a button under the rating
//! request a messenger customer gets when the dialog is closed. One rating per dialog,
//! changeable for a day after it was first given. A rating is stored in its dialog's
//! partition and indexed by the moment it was first given, written in one transaction with
//! the dialog's `rating` (and a messenger press's event claim, so a repeated press is
//! harmless); the ОКО page and the Панель read a period's ratings from that index only.

use crate::dialogs::model::{Button, Delivery, Dialog, Kind, Message, Source};
use crate::dialogs::store::{self, new_id, to_json};
use crate::integrations::Resolved;
use crate::widget::Language;
use crate::{App, Error, Result, accounts, cache, journal, keys, projects, realtime};
use beseda_channels::Press;
use beseda_ports::table::{Condition, Cursor, Item, Query, Write};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The longest comment, in characters.
pub const MAX_COMMENT: usize = 1000;

/// How long after it was first given a rating may still be changed.
pub fn change_window() -> Duration {
    Duration::hours(24)
}

/// The longest period the ОКО page reads at once, in days.
pub const MAX_PERIOD_DAYS: i64 = 366;

/// A customer's rating of a dialog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Rating {
    pub dialog_id: String,
    /// 1 (bad) to 5 (excellent).
    pub score: u8,
    pub comment: Option<String>,
    /// The operator who handled the dialog.
    pub operator_id: Option<String>,
    pub channel: Source,
    /// When it was first given (the period it counts in).
    pub first_at: DateTime<Utc>,
    /// When it was last changed.
    pub at: DateTime<Utc>,
}

/// A score in range and the comment trimmed (None when empty), or why not.
pub fn check(score: u8, comment: Option<&str>) -> Result<(u8, Option<String>)> {
    if !(1..=5).contains(&score) {
        return Err(Error::invalid("score", "bad_score", "Оценка — от 1 до 5"));
    }
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if comment.is_some_and(|c| c.chars().count() > MAX_COMMENT) {
        return Err(Error::invalid(
            "comment",
            "comment_too_long",
            format!("Комментарий — не длиннее {MAX_COMMENT} символов"),
        ));
    }
    Ok((score, comment.map(str::to_owned)))
}

/// The rating a customer's new score makes of the dialog's current one: refused before an
/// operator answered and a day after it was first given.
pub fn apply(
    existing: Option<&Rating>,
    d: &Dialog,
    score: u8,
    comment: Option<String>,
    now: DateTime<Utc>,
) -> Result<Rating> {
    if !d.operator_replied {
        return Err(Error::conflict("not_answered", "Оценить можно, когда оператор ответил"));
    }
    let first_at = match existing {
        Some(r) if now - r.first_at > change_window() => {
            return Err(Error::conflict("rating_final", "Оценку можно изменить только в течение суток"));
        }
        Some(r) => r.first_at,
        None => now,
    };
    Ok(Rating {
        dialog_id: d.id.clone(),
        score,
        comment,
        operator_id: d.assignee.clone(),
        channel: d.source,
        first_at,
        at: now,
    })
}

/// Who rates: the widget's visitor, or a messenger customer's button press (its platform
/// event id claimed so a repeat stores nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rater {
    Visitor { visitor_id: String },
    Messenger { integration_id: String, chat_id: String, event_id: String },
}

impl Rater {
    /// Whether the dialog is this customer's.
    fn owns(&self, d: &Dialog) -> bool {
        match self {
            Rater::Visitor { visitor_id } => !d.is_messenger() && &d.visitor_id == visitor_id,
            Rater::Messenger { integration_id, chat_id, .. } => {
                d.chat.as_ref().is_some_and(|c| &c.integration_id == integration_id && &c.chat_id == chat_id)
            }
        }
    }

    fn claim(&self, project_id: &str) -> Option<keys::Key> {
        match self {
            Rater::Visitor { .. } => None,
            Rater::Messenger { integration_id, event_id, .. } => {
                Some(keys::event_claim(project_id, integration_id, event_id))
            }
        }
    }
}

/// A dialog's rating, if it has one.
pub async fn get(app: &App, project_id: &str, dialog_id: &str) -> Result<Option<Rating>> {
    let (pk, sk) = keys::rating(project_id, dialog_id);
    Ok(app.ports.table.get(&pk, &sk).await?.map(|i| i.decode()).transpose()?)
}

/// Rates a dialog (or changes its rating), with the dialog's `rating` in the same write; the
/// operators' sockets learn it.
pub async fn rate(
    app: &App,
    project_id: &str,
    dialog_id: &str,
    rater: &Rater,
    score: u8,
    comment: Option<&str>,
) -> Result<Rating> {
    let (score, comment) = check(score, comment)?;
    let claim = rater.claim(project_id);
    let (pk, sk) = keys::rating(project_id, dialog_id);
    for _ in 0..5 {
        if let Some((cpk, csk)) = &claim
            && app.ports.table.get(cpk, csk).await?.is_some()
        {
            return get(app, project_id, dialog_id).await?.ok_or(Error::NotFound("rating"));
        }
        let (mut d, version) = store::load(app, project_id, dialog_id).await?;
        if !rater.owns(&d) {
            return Err(Error::NotFound("dialog"));
        }
        let existing = app.ports.table.get(&pk, &sk).await?;
        let before = existing.as_ref().map(|i| i.decode::<Rating>()).transpose()?;
        let rating = apply(before.as_ref(), &d, score, comment.clone(), app.now())?;
        d.rating = Some(score);
        let item = Item::new(&pk, &sk, to_json(&rating)?)
            .with_index(keys::ratings_index(project_id), keys::rating_entry(&rating.first_at, dialog_id));
        let mut writes = vec![
            Write::Put { item, condition: existing.map_or(Condition::NotExists, |i| Condition::Version(i.version)) },
            store::put_dialog(&d, Some(version))?,
        ];
        if let Some((cpk, csk)) = &claim {
            writes
                .push(Write::Put { item: Item::new(cpk, csk, serde_json::json!({})), condition: Condition::NotExists });
        }
        if store::commit(app, writes, Vec::new()).await? {
            realtime::push_to_operators(app, project_id, &serde_json::json!({ "type": "dialog", "dialog": d })).await?;
            return Ok(rating);
        }
    }
    Err(Error::conflict("busy", "Диалог меняется слишком часто; повторите"))
}

/// The data of a rating button: the dialog and the score.
pub fn button_data(dialog_id: &str, score: u8) -> String {
    format!("rate:{dialog_id}:{score}")
}

/// The dialog and the score a pressed button's data names, if it is a rating button.
pub fn parse_button(data: &str) -> Option<(&str, u8)> {
    let (dialog_id, score) = data.strip_prefix("rate:")?.rsplit_once(':')?;
    Some((dialog_id, score.parse().ok()?)).filter(|(d, _)| !d.is_empty())
}

/// A messenger customer pressed a button: a rating button rates its dialog (once per event
/// id); a press that cannot count (not a rating button, not this customer's dialog, a day too
/// late) stores nothing and is not retried.
pub(crate) async fn press(app: &App, r: &Resolved, p: &Press) -> Result<()> {
    let Some((dialog_id, score)) = parse_button(&p.data) else { return Ok(()) };
    let rater = Rater::Messenger {
        integration_id: r.integration_id.clone(),
        chat_id: p.chat_id.clone(),
        event_id: p.event_id.clone(),
    };
    match rate(app, &r.project_id, dialog_id, &rater, score, None).await {
        Ok(_) | Err(Error::NotFound(_) | Error::Invalid { .. } | Error::Conflict { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The message that asks a messenger customer for a rating, with a button per score, queued
/// for the `deliveries` queue.
pub fn request_message(d: &Dialog, language: Language, now: DateTime<Utc>) -> Message {
    let text = match language {
        Language::Ru => "Пожалуйста, оцените, как мы вам помогли: от 1 до 5",
        Language::En => "Please rate how we helped you, from 1 to 5",
    };
    let mut m = Message::new(new_id(), &d.id, Kind::System, text.to_owned(), now);
    m.delivery = Some(Delivery::Queued);
    m.buttons = (1..=5u8).map(|s| Button { label: "★".repeat(usize::from(s)), data: button_data(&d.id, s) }).collect();
    m
}

/// The language a project's customers are addressed in.
pub async fn customer_language(app: &App, project_id: &str) -> Result<Language> {
    Ok(cache::settings(app, project_id).await?.other.language)
}

/// How many ratings of each score, and their average.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Figures {
    pub count: u32,
    /// Rounded to two decimals; none without ratings.
    pub average: Option<f64>,
    /// How many ratings of 1, 2, 3, 4 and 5.
    pub distribution: [u32; 5],
}

impl Figures {
    fn add(&mut self, score: u8) {
        if let Some(slot) = self.distribution.get_mut(usize::from(score).wrapping_sub(1)) {
            *slot += 1;
            self.count += 1;
            let sum: u32 = self.distribution.iter().zip(1..).map(|(n, s)| n * s).sum();
            self.average = Some((f64::from(sum) / f64::from(self.count) * 100.0).round() / 100.0);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OperatorFigures {
    pub operator_id: Option<String>,
    /// The operator's name now; none when nobody handled the dialog.
    pub name: Option<String>,
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ChannelFigures {
    pub channel: Source,
    pub figures: Figures,
}

/// The ОКО page: a period's ratings in total, per operator and per channel.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Summary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The project's time zone the days are counted in.
    pub timezone: String,
    pub total: Figures,
    pub operators: Vec<OperatorFigures>,
    pub channels: Vec<ChannelFigures>,
}

/// The figures of ratings: in total, per operator id and per channel.
pub fn summarize<'a>(
    ratings: impl IntoIterator<Item = &'a Rating>,
) -> (Figures, BTreeMap<Option<String>, Figures>, BTreeMap<Source, Figures>) {
    let (mut total, mut operators, mut channels) = (Figures::default(), BTreeMap::new(), BTreeMap::new());
    for r in ratings {
        total.add(r.score);
        operators.entry(r.operator_id.clone()).or_insert_with(Figures::default).add(r.score);
        channels.entry(r.channel).or_insert_with(Figures::default).add(r.score);
    }
    (total, operators, channels)
}

fn zone(timezone: &str) -> chrono_tz::Tz {
    timezone.parse().unwrap_or(chrono_tz::Europe::Moscow)
}

/// The period of local dates asked for (the last 30 days up to today when not given), as the
/// index's sort-key bounds; refused when it is backwards or longer than a year.
pub fn period(
    timezone: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<(NaiveDate, NaiveDate, String, String)> {
    let tz = zone(timezone);
    let to = to.unwrap_or_else(|| now.with_timezone(&tz).date_naive());
    let from = from.unwrap_or(to - Duration::days(29));
    if from > to {
        return Err(Error::invalid("from", "bad_period", "Начало периода позже его конца"));
    }
    if (to - from).num_days() >= MAX_PERIOD_DAYS {
        return Err(Error::invalid("from", "period_too_long", "Период — не длиннее года"));
    }
    let lo = keys::rating_moment(&journal::day_start(tz, from));
    let hi = keys::rating_moment(&journal::day_start(tz, to + Duration::days(1)));
    Ok((from, to, lo, hi))
}

/// Every rating first given between the bounds, oldest first.
async fn between(app: &App, project_id: &str, lo: &str, hi: &str) -> Result<Vec<Rating>> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let q = Query::index(keys::ratings_index(project_id)).between(lo, hi).limit(1000).after(cursor.take());
        let page = app.ports.table.query(q).await?;
        for item in &page.items {
            out.push(item.decode()?);
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// The ОКО page's figures of a period of local dates in the project's time zone.
pub async fn summary(app: &App, project_id: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Summary> {
    let (project, _) = projects::get(app, project_id).await?;
    let (from, to, lo, hi) = period(&project.timezone, from, to, app.now())?;
    let ratings = between(app, project_id, &lo, &hi).await?;
    let (total, by_operator, by_channel) = summarize(&ratings);
    let mut operators = Vec::new();
    for (operator_id, figures) in by_operator {
        let name = match &operator_id {
            Some(id) => match accounts::get_profile(app, id).await {
                Ok(p) => Some(format!("{} {}", p.first_name, p.last_name).trim().to_owned())
                    .filter(|n| !n.is_empty())
                    .or(Some(p.email)),
                Err(Error::NotFound(_)) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        operators.push(OperatorFigures { operator_id, name, figures });
    }
    let channels = by_channel.into_iter().map(|(channel, figures)| ChannelFigures { channel, figures }).collect();
    Ok(Summary { from, to, timezone: project.timezone, total, operators, channels })
}

/// How many index entries one page of comments looks through at most before it answers
/// with what it found (the cursor goes on from there).
const SCAN: usize = 2000;

/// One page of the period's ratings that have a comment, newest first; the cursor goes on
/// after the last rating looked at.
pub async fn comments(
    app: &App,
    project_id: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    limit: usize,
    cursor: Option<&str>,
) -> Result<(Vec<Rating>, Option<String>)> {
    let (project, _) = projects::get(app, project_id).await?;
    let (_, _, lo, hi) = period(&project.timezone, from, to, app.now())?;
    let limit = limit.clamp(1, 200);
    let mut cursor = cursor.map(Cursor::decode).transpose()?;
    let (mut out, mut scanned) = (Vec::new(), 0);
    loop {
        let q = Query::index(keys::ratings_index(project_id))
            .between(lo.clone(), hi.clone())
            .descending()
            .limit(limit.max(100))
            .after(cursor.take());
        let page = app.ports.table.query(q).await?;
        for (i, item) in page.items.iter().enumerate() {
            scanned += 1;
            let r: Rating = item.decode()?;
            if r.comment.is_some() {
                out.push(r);
            }
            if out.len() == limit || scanned >= SCAN {
                let more = i + 1 < page.items.len() || page.next.is_some();
                return Ok((out, more.then(|| Cursor::of(item).encode())));
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok((out, None)),
        }
    }
}

/// The Панель's figures: the ratings first given since the local Monday.
pub async fn this_week(app: &App, project_id: &str, timezone: &str) -> Result<Figures> {
    let lo = keys::rating_moment(&journal::week_start(zone(timezone), app.now()));
    let ratings = between(app, project_id, &lo, "\u{10FFFF}").await?;
    Ok(summarize(&ratings).0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialogs::tests::{FakeChannels, World, telegram, tg_message, world};
    use crate::dialogs::{self, Folder, Status, VisitorMessage};
    use beseda_ports::queue::DELIVERIES;
    use chrono::TimeZone;

    fn answered(now: DateTime<Utc>) -> Dialog {
        let mut d = Dialog::new("d1".into(), "p1", "v1", Source::Chat, now);
        let m = Message::new("m1".into(), "d1", Kind::Operator, "Да".into(), now);
        d.reply("op1", &m);
        d
    }

    #[test]
    fn a_score_is_one_to_five_and_the_comment_is_trimmed_and_bounded() {
        assert!(matches!(check(0, None), Err(Error::Invalid { code: "bad_score", .. })));
        assert!(matches!(check(6, None), Err(Error::Invalid { code: "bad_score", .. })));
        assert_eq!(check(5, Some("  Спасибо!  ")).unwrap(), (5, Some("Спасибо!".into())));
        assert_eq!(check(1, Some("   ")).unwrap(), (1, None), "a blank comment is none");
        assert!(check(3, Some(&"я".repeat(MAX_COMMENT))).is_ok());
        assert!(matches!(
            check(3, Some(&"я".repeat(MAX_COMMENT + 1))),
            Err(Error::Invalid { field: "comment", code: "comment_too_long", .. })
        ));
    }

    #[test]
    fn a_rating_changes_for_a_day_then_is_final() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        let d = answered(t0);
        let first = apply(None, &d, 2, None, t0).unwrap();
        assert_eq!((first.operator_id.as_deref(), first.channel, first.first_at), (Some("op1"), Source::Chat, t0));
        let later = t0 + Duration::hours(23);
        let changed = apply(Some(&first), &d, 5, Some("Разобрались".into()), later).unwrap();
        assert_eq!((changed.score, changed.first_at, changed.at), (5, t0, later), "it keeps its period");
        let too_late = t0 + Duration::hours(24) + Duration::seconds(1);
        assert!(matches!(
            apply(Some(&changed), &d, 1, None, too_late),
            Err(Error::Conflict { code: "rating_final", .. })
        ));
        let unanswered = Dialog::new("d2".into(), "p1", "v1", Source::Chat, t0);
        assert!(matches!(apply(None, &unanswered, 5, None, t0), Err(Error::Conflict { code: "not_answered", .. })));
    }

    #[test]
    fn buttons_carry_the_dialog_and_the_score() {
        assert_eq!(parse_button(&button_data("0193-ab", 4)), Some(("0193-ab", 4)));
        assert_eq!(parse_button("rate::4"), None);
        assert_eq!(parse_button("rate:d1:x"), None);
        assert_eq!(parse_button("other:d1:4"), None);
        let d = answered(Utc::now());
        let m = request_message(&d, Language::En, Utc::now());
        assert_eq!(m.buttons.len(), 5);
        assert_eq!((m.buttons[4].label.as_str(), m.delivery.clone()), ("★★★★★", Some(Delivery::Queued)));
    }

    #[test]
    fn figures_count_average_and_distribute() {
        let t = Utc::now();
        let r = |score, op: Option<&str>, channel| Rating {
            dialog_id: format!("d{score}"),
            score,
            comment: None,
            operator_id: op.map(str::to_owned),
            channel,
            first_at: t,
            at: t,
        };
        let all = [r(5, Some("a"), Source::Chat), r(4, Some("a"), Source::Telegram), r(1, Some("b"), Source::Chat)];
        let (total, ops, channels) = summarize(&all);
        assert_eq!((total.count, total.average, total.distribution), (3, Some(3.33), [1, 0, 0, 1, 1]));
        assert_eq!(ops[&Some("a".into())].average, Some(4.5));
        assert_eq!(channels[&Source::Chat].distribution, [1, 0, 0, 0, 1]);
        assert_eq!(summarize(&[]).0.average, None);
    }

    #[test]
    fn a_period_is_local_days_of_the_project() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let (from, to, lo, hi) = period("Europe/Moscow", Some(day), Some(day), now).unwrap();
        assert_eq!((from, to), (day, day));
        assert_eq!((lo.as_str(), hi.as_str()), ("2026-11-19T21:00:00.000000Z", "2026-11-20T21:00:00.000000Z"));
        let (from, to, _, _) = period("Europe/Moscow", None, None, now).unwrap();
        assert_eq!((to - from).num_days(), 29, "the last 30 days by default");
        assert!(matches!(
            period("UTC", Some(day), day.pred_opt(), now),
            Err(Error::Invalid { code: "bad_period", .. })
        ));
        let long = day - Duration::days(MAX_PERIOD_DAYS);
        assert!(matches!(
            period("UTC", Some(long), Some(day), now),
            Err(Error::Invalid { code: "period_too_long", .. })
        ));
    }

    /// A site visitor's dialog the operator answered.
    async fn site_dialog(w: &World) -> (dialogs::Visitor, Dialog) {
        dialogs::set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
        let (_, token) = dialogs::create_visitor(&w.app, &w.project).await.unwrap();
        let v = dialogs::visitor_from_token(&w.app, &w.project, &token).await.unwrap();
        let input =
            VisitorMessage { text: "Есть доставка?".into(), client_id: "c1".into(), ..Default::default() };
        let (_, d) = dialogs::send_from_visitor(&w.app, &w.project, &v, input).await.unwrap();
        let (_, d) = dialogs::reply(&w.app, &w.project, &d.id, &w.operator, "Да", "r1").await.unwrap();
        (v, d)
    }

    #[tokio::test]
    async fn a_visitor_rates_their_own_dialog_and_the_period_shows_it_on_its_local_day() {
        let (w, clock) = world().await;
        let (v, d) = site_dialog(&w).await;
        let closed = dialogs::set_status(&w.app, &w.project, &d.id, Status::Closed).await.unwrap();
        assert!(closed.awaits_rating());
        let me = Rater::Visitor { visitor_id: v.id.clone() };
        let stranger = Rater::Visitor { visitor_id: "someone-else".into() };
        assert!(matches!(rate(&w.app, &w.project, &d.id, &stranger, 5, None).await, Err(Error::NotFound(_))));
        // 23:30 Moscow time on the 25th is 20:30 UTC.
        clock.set(Utc.with_ymd_and_hms(2026, 11, 25, 20, 30, 0).unwrap());
        let r = rate(&w.app, &w.project, &d.id, &me, 4, Some(" Быстро ")).await.unwrap();
        assert_eq!(
            (r.score, r.comment.as_deref(), r.operator_id.as_deref()),
            (4, Some("Быстро"), Some(w.operator.id.as_str()))
        );
        let stored = dialogs::dialog(&w.app, &w.project, &d.id).await.unwrap();
        assert_eq!(stored.rating, Some(4), "the dialog's rating in the same write");
        assert!(!stored.awaits_rating());
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let on_25 = summary(&w.app, &w.project, Some(day(25)), Some(day(25))).await.unwrap();
        assert_eq!((on_25.total.count, on_25.total.average), (1, Some(4.0)));
        assert_eq!(on_25.operators[0].name.as_deref(), Some("Анна"));
        assert_eq!(on_25.channels[0].channel, Source::Chat);
        let on_26 = summary(&w.app, &w.project, Some(day(26)), Some(day(26))).await.unwrap();
        assert_eq!(on_26.total.count, 0, "a rating at 23:30 local time counts on its local day");
        let a = crate::statistics::analytics(&w.app, &w.project, Some(day(25)), Some(day(25))).await.unwrap();
        let anna = a.operators.iter().find(|o| o.user_id == w.operator.id).expect("the operator is listed");
        assert_eq!((anna.ratings, anna.rating), (1, Some(4.0)), "Аналитика shows the operator's ratings");
        let (page, next) = comments(&w.app, &w.project, Some(day(25)), Some(day(25)), 10, None).await.unwrap();
        assert_eq!((page.len(), page[0].dialog_id.as_str(), next), (1, d.id.as_str(), None));
        clock.advance(Duration::hours(25));
        assert!(matches!(
            rate(&w.app, &w.project, &d.id, &me, 5, None).await,
            Err(Error::Conflict { code: "rating_final", .. })
        ));
        let week = this_week(&w.app, &w.project, "Europe/Moscow").await.unwrap();
        assert_eq!((week.count, week.average), (1, Some(4.0)));
    }

    #[tokio::test]
    async fn comments_page_with_a_cursor() {
        let (w, clock) = world().await;
        for i in 0..3 {
            let (v, d) = site_dialog(&w).await;
            let me = Rater::Visitor { visitor_id: v.id.clone() };
            let comment = format!("Отзыв {i}");
            rate(&w.app, &w.project, &d.id, &me, 5, (i != 1).then_some(comment.as_str())).await.unwrap();
            clock.advance(Duration::minutes(1));
        }
        let today = NaiveDate::from_ymd_opt(2026, 11, 25);
        let (first, next) = comments(&w.app, &w.project, today, today, 1, None).await.unwrap();
        assert_eq!(first[0].comment.as_deref(), Some("Отзыв 2"), "newest first");
        let (second, next) = comments(&w.app, &w.project, today, today, 1, next.as_deref()).await.unwrap();
        assert_eq!(second[0].comment.as_deref(), Some("Отзыв 0"), "the rating without a comment is left out");
        if let Some(next) = next {
            let (rest, _) = comments(&w.app, &w.project, today, today, 1, Some(&next)).await.unwrap();
            assert!(rest.is_empty());
        }
    }

    /// The bodies of the jobs on the `deliveries` queue, taken off it.
    async fn take_jobs(w: &World) -> Vec<String> {
        let jobs = w.app.ports.queue.receive(DELIVERIES.name, 10, std::time::Duration::ZERO).await.unwrap();
        for j in &jobs {
            w.app.ports.queue.ack(DELIVERIES.name, &j.receipt).await.unwrap();
        }
        jobs.into_iter().map(|j| j.body).collect()
    }

    #[tokio::test]
    async fn closing_a_messenger_dialog_asks_through_the_deliveries_queue_and_a_press_rates_once() {
        let (w, _) = world().await;
        let channels = FakeChannels(Default::default());
        let r = telegram(&w, &channels).await;
        crate::integrations::receive(&w.app, &r, vec![tg_message("u1", "42", "Сколько стоит?")]).await.unwrap();
        let d = dialogs::list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap().remove(0);
        dialogs::reply(&w.app, &w.project, &d.id, &w.operator, "500 ₽", "r1").await.unwrap();
        let jobs = take_jobs(&w).await;
        dialogs::delivery::deliver(&w.app, &channels, &jobs[0]).await.unwrap();
        dialogs::set_status(&w.app, &w.project, &d.id, Status::Closed).await.unwrap();
        let jobs = take_jobs(&w).await;
        assert_eq!(jobs.len(), 1, "the rating request is on the deliveries queue");
        dialogs::delivery::deliver(&w.app, &channels, &jobs[0]).await.unwrap();
        let sent = channels.0.sent.lock().unwrap().clone();
        let ask = sent.last().unwrap();
        assert_eq!(ask.buttons.len(), 5);
        assert_eq!(ask.buttons[2].data, button_data(&d.id, 3));
        dialogs::set_status(&w.app, &w.project, &d.id, Status::Open).await.unwrap();
        dialogs::set_status(&w.app, &w.project, &d.id, Status::Closed).await.unwrap();
        assert_eq!(take_jobs(&w).await.len(), 1, "closed again unrated: asked again");

        let press = |event: &str, chat: &str, score| {
            beseda_channels::Event::Press(beseda_channels::Press {
                event_id: event.into(),
                chat_id: chat.into(),
                data: button_data(&d.id, score),
                ..Default::default()
            })
        };
        crate::integrations::receive(&w.app, &r, vec![press("p1", "99", 1)]).await.unwrap();
        assert!(get(&w.app, &w.project, &d.id).await.unwrap().is_none(), "another chat's press does not count");
        crate::integrations::receive(&w.app, &r, vec![press("p2", "42", 3)]).await.unwrap();
        assert_eq!(get(&w.app, &w.project, &d.id).await.unwrap().unwrap().score, 3);
        crate::integrations::receive(&w.app, &r, vec![press("p3", "42", 5)]).await.unwrap();
        crate::integrations::receive(&w.app, &r, vec![press("p2", "42", 3)]).await.unwrap();
        let rating = get(&w.app, &w.project, &d.id).await.unwrap().unwrap();
        assert_eq!((rating.score, rating.channel), (5, Source::Telegram), "a repeated press changes nothing");
        dialogs::set_status(&w.app, &w.project, &d.id, Status::Open).await.unwrap();
        dialogs::set_status(&w.app, &w.project, &d.id, Status::Closed).await.unwrap();
        assert!(take_jobs(&w).await.is_empty(), "a rated dialog is not asked again");
    }
}
