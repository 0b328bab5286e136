//! ОКО's routes over the embedded adapters: a period's figures per operator and channel, the
//! comments paged with a cursor and linked to their dialogs, a bad period as an enveloped 4xx,
//! and the Панель's weekly average.

mod support;

use axum::http::StatusCode;
use beseda_domain::access::Access;
use beseda_domain::accounts;
use beseda_domain::billing;
use beseda_domain::dialogs::{self, Status, VisitorMessage};
use beseda_domain::ratings::{self, Rater};
use beseda_domain::team::{self, NewMember};
use serde_json::Value;
use support::Api;

struct World {
    api: Api,
    dialogs: Vec<String>,
}

/// A project with three answered site dialogs rated 5 (with a comment), 3 and 2 (with one).
async fn world() -> World {
    let (app, project) = support::owned_project().await;
    billing::start_trial(&app, &project).await.unwrap();
    let member = NewMember {
        email: "op@x.ru".into(),
        first_name: "Ольга".into(),
        accesses: vec![Access::Operator],
        ..Default::default()
    };
    let op = team::add(&app, &project, member).await.unwrap();
    let operator = accounts::get_profile(&app, &op.user_id).await.unwrap();
    dialogs::set_presence(&app, &project, &op.user_id, true).await.unwrap();
    let mut ids = Vec::new();
    for (i, (score, comment)) in
        [(5, Some("Спасибо, всё быстро")), (3, None), (2, Some("Долго ждал"))].into_iter().enumerate()
    {
        let (_, token) = dialogs::create_visitor(&app, &project).await.unwrap();
        let v = dialogs::visitor_from_token(&app, &project, &token).await.unwrap();
        let msg = VisitorMessage { text: "Вопрос".into(), client_id: format!("c{i}"), ..Default::default() };
        let (_, d) = dialogs::send_from_visitor(&app, &project, &v, msg).await.unwrap();
        dialogs::reply(&app, &project, &d.id, &operator, "Ответ", &format!("r{i}")).await.unwrap();
        dialogs::set_status(&app, &project, &d.id, Status::Closed).await.unwrap();
        ratings::rate(&app, &project, &d.id, &Rater::Visitor { visitor_id: v.id.clone() }, score, comment)
            .await
            .unwrap();
        ids.push(d.id);
    }
    World { api: Api::new(&app, &project).await, dialogs: ids }
}

#[tokio::test]
async fn oko_shows_the_period_per_operator_and_channel_with_paged_comments() {
    let w = world().await;
    let (s, b) = w.api.json("/ratings").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["timezone"], "Europe/Moscow");
    assert_eq!((b["total"]["count"].as_u64(), b["total"]["average"].as_f64()), (Some(3), Some(3.33)));
    assert_eq!(b["total"]["distribution"], serde_json::json!([0, 1, 1, 0, 1]));
    assert_eq!(b["operators"][0]["name"], "Ольга");
    assert_eq!(
        (b["channels"][0]["channel"].as_str(), b["channels"][0]["figures"]["count"].as_u64()),
        (Some("chat"), Some(3))
    );

    let (s, first) = w.api.json("/ratings/comments?limit=1").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(first["ratings"][0]["comment"], "Долго ждал", "newest first");
    assert_eq!(first["ratings"][0]["dialog_id"].as_str(), Some(w.dialogs[2].as_str()), "linked to its dialog");
    let next = first["next"].as_str().unwrap();
    let (_, second) = w.api.json(&format!("/ratings/comments?limit=1&cursor={next}")).await;
    assert_eq!(second["ratings"][0]["comment"], "Спасибо, всё быстро", "the rating without a comment is left out");

    let (s, b) = w.api.json("/ratings?from=2026-11-30&to=2026-11-01").await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("bad_period")));
    let (s, b) = w.api.json("/ratings?from=30.11.2026").await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")));
    let (s, b) = w.api.json("/ratings/comments?cursor=nonsense").await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_cursor")));
    let (s, b) = w.api.json("/ratings?from=2020-01-01&to=2020-01-31").await;
    assert_eq!(
        (s, b["total"]["count"].as_u64(), b["total"]["average"].clone()),
        (StatusCode::OK, Some(0), Value::Null)
    );

    let (_, panel) = w.api.json("/dashboard").await;
    assert_eq!((panel["rating"]["count"].as_u64(), panel["rating"]["average"].as_f64()), (Some(3), Some(3.33)));
}
