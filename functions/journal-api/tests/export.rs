//! The journal's routes over the embedded adapters: the filters (a bad one is a 400
//! envelope), the CSV export of many pages read back with the `csv` crate, the Excel export
//! opened with openpyxl, times in the project's zone, the header in the reader's language, the
//! Панель's figures and Аналитика's.

mod support;

use axum::http::{StatusCode, header};
use beseda_domain::App;
use beseda_domain::dialogs::Source;
use beseda_domain::journal::{self, Lead};
use chrono::{Duration, TimeZone, Utc};
use serde_json::Value;
use support::Api;

struct World {
    app: App,
    api: Api,
}

/// A project in Moscow time with `n` form requests a minute apart going back from 23:30 on
/// 25 November, Moscow time, and one chat at 00:10 on the 26th.
async fn world(n: usize) -> World {
    let (app, project) = support::owned_project().await;
    let late = Utc.with_ymd_and_hms(2026, 11, 25, 20, 30, 0).unwrap();
    for i in 0..n {
        let lead = Lead {
            name: Some(format!("Клиент {i}")),
            phone: Some(format!("+7912{i:07}")),
            ..Lead::new(Source::Form, late - Duration::minutes(i as i64), format!("Заявка №{i}, «кавычки», запятые"))
        };
        journal::record(&app, &project, &format!("form-{i}"), lead).await.unwrap();
    }
    let chat = Lead::new(Source::Chat, late + Duration::minutes(40), "Здравствуйте".into());
    journal::record(&app, &project, "chat-1", chat).await.unwrap();
    let api = Api::new(&app, &project).await;
    World { app, api }
}

#[tokio::test]
async fn filters_page_and_refuse_bad_input_with_the_envelope() {
    let w = world(7).await;
    let (s, b) = w.api.json("/journal?limit=5").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["leads"].as_array().unwrap().len(), 5);
    assert_eq!(b["leads"][0]["channel"], "chat");
    assert_eq!(b["leads"][0]["local_time"], "26.11.2026 00:10");
    let next = b["next"].as_str().unwrap().to_owned();
    let (_, b) = w.api.json(&format!("/journal?limit=5&cursor={next}")).await;
    assert_eq!((b["leads"].as_array().unwrap().len(), &b["next"]), (3, &Value::Null));
    let (_, b) = w.api.json("/journal?source=chat").await;
    assert_eq!(b["leads"].as_array().unwrap().len(), 1);
    let (_, b) = w.api.json("/journal?from=2026-11-25&to=2026-11-25&q=%2B7%20912%20000-00-03").await;
    assert_eq!(b["leads"][0]["name"], "Клиент 3", "found by the phone written another way");
    let (_, b) = w.api.json("/journal?to=2026-11-25&status=new").await;
    assert_eq!(b["leads"].as_array().unwrap().len(), 7, "the 23:30 request is on the 25th in Moscow");
    for bad in [
        "/journal?from=25.11.2026",
        "/journal?source=fax",
        "/journal?status=lost",
        "/journal?limit=-1",
        "/journal/export?format=pdf",
        "/journal/export",
    ] {
        let (s, b) = w.api.json(bad).await;
        assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")), "{bad}");
    }
}

#[tokio::test]
async fn the_csv_export_streams_every_page_with_local_times_and_the_readers_header() {
    let w = world(1234).await;
    let (s, h, body) = w.api.get("/journal/export?format=csv&to=2026-11-25", "en-GB,en;q=0.9,ru;q=0.5").await;
    assert_eq!(s, StatusCode::OK);
    assert!(h[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    assert!(h[header::CONTENT_DISPOSITION].to_str().unwrap().contains(".csv"));
    assert!(body.starts_with(b"\xEF\xBB\xBF"), "a BOM so that Excel reads UTF-8");
    let mut reader = csv::Reader::from_reader(&body[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[..3], ["Time", "Source", "Name"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1234, "every page, and not the chat of the 26th");
    assert_eq!(&rows[0][0], "25.11.2026 23:30", "23:30 Moscow time, on its local day");
    assert_eq!((&rows[0][1], &rows[0][3], &rows[0][7]), ("Request form", "+79120000000", "New"));
    assert_eq!(&rows[1233][5], "Заявка №1233, «кавычки», запятые");
    let (_, _, ru) = w.api.get("/journal/export?format=csv&source=chat&lang=ru", "en").await;
    let mut reader = csv::Reader::from_reader(&ru[3..]);
    assert_eq!(&reader.headers().unwrap()[0], "Время", "lang= wins over Accept-Language");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!((rows.len(), &rows[0][0], &rows[0][1]), (1, "26.11.2026 00:10", "Чат на сайте"));
}

#[tokio::test]
async fn the_excel_export_opens_with_local_times() {
    let w = world(600).await;
    let (s, h, body) = w.api.get("/journal/export?format=xlsx", "ru-RU,ru").await;
    assert_eq!(s, StatusCode::OK);
    assert!(h[header::CONTENT_TYPE].to_str().unwrap().contains("spreadsheetml"));
    let file = tempfile::Builder::new().suffix(".xlsx").tempfile().unwrap();
    std::fs::write(file.path(), &body).unwrap();
    let script = r#"
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True).active
rows = [[c.isoformat() if hasattr(c, "isoformat") else c for c in r] for r in ws.iter_rows(values_only=True)]
print(json.dumps({"title": ws.title, "rows": rows}))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script, file.path().to_str().unwrap()])
        .output()
        .expect("python3 with openpyxl (make test puts .venv/bin on PATH)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let read: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = read["rows"].as_array().unwrap();
    assert_eq!(read["title"], "Журнал");
    assert_eq!(rows.len(), 602, "the header, the chat and 600 requests");
    assert_eq!((&rows[0][0], &rows[0][1]), (&Value::from("Время"), &Value::from("Источник")));
    assert_eq!(rows[1][0], "2026-11-26T00:10:00", "the chat at 00:10 Moscow time");
    assert_eq!(rows[2][0], "2026-11-25T23:30:00", "23:30 Moscow time stays on the 25th");
    assert_eq!((&rows[2][1], &rows[2][2]), (&Value::from("Заявка"), &Value::from("Клиент 0")));
    assert_eq!(rows[601][2], "Клиент 599");
}

#[tokio::test]
async fn the_panel_counts_in_one_call() {
    let w = world(3).await;
    let (s, b) = w.api.json("/dashboard").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["timezone"], "Europe/Moscow");
    assert_eq!((b["open"].as_u64(), b["unanswered"].as_u64()), (Some(0), Some(0)));
    assert!(b["online"].as_array().unwrap().is_empty());
    assert!(b["today"].is_array() && b["week"].is_array());
}

#[tokio::test]
async fn analytics_reads_a_period_of_local_days_and_refuses_a_bad_one() {
    let w = world(2).await;
    let now = Lead::new(Source::Telegram, Utc::now(), "Привет".into());
    journal::record(&w.app, &w.api.project, "tg-1", now).await.unwrap();
    let (s, b) = w.api.json("/analytics").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["timezone"], "Europe/Moscow");
    assert_eq!(b["days"].as_array().unwrap().len(), 30, "the last 30 days by default");
    assert_eq!((b["by_hour"].as_array().unwrap().len(), b["by_weekday"].as_array().unwrap().len()), (24, 7));
    assert_eq!(b["total"], 1);
    assert_eq!(b["by_source"], serde_json::json!([{ "source": "telegram", "count": 1 }]));
    let today = b["to"].as_str().unwrap().to_owned();
    let (s, b) = w.api.json(&format!("/analytics?from={today}&to={today}")).await;
    assert_eq!((s, b["days"][0]["total"].as_u64(), b["missed"].as_u64()), (StatusCode::OK, Some(1), Some(0)));
    for (bad, field) in
        [("/analytics?from=2026-11-26&to=2026-11-25", "from"), ("/analytics?from=2025-01-01&to=2026-01-02", "to")]
    {
        let (s, b) = w.api.json(bad).await;
        assert_eq!((s, b["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{bad}: {b}");
    }
    let (s, b) = w.api.json("/analytics?from=yesterday").await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")));
}
