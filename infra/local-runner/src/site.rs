//! The local-only pages: the demo site that embeds the widget with the documented snippet,
//! and the outbox of mails the embedded mail adapter wrote, which only the installation's
//! administrator (the first account, `admin@beseda.local`) may read.

use crate::server::Local;
use axum::Json;
use axum::extract::State;
use axum::http::request::Parts;
use axum::response::Html;
use beseda_domain::accounts::{self, FIRST_ADMIN_EMAIL};
use beseda_domain::projects::{self, NewProject};
use beseda_domain::{App, billing};
use beseda_http::{ApiError, ApiResult};

/// Escapes text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The project the demo page embeds the widget for.
pub const DEMO_PROJECT: &str = "demo";

/// On a new installation: the demo site's project, administered by the first administrator,
/// on the local domains, with its trial started so the site chat works at once.
pub async fn create_demo_project(app: &App) -> beseda_domain::Result<()> {
    let admin = accounts::find_by_email(app, FIRST_ADMIN_EMAIL).await?.ok_or(beseda_domain::Error::NotFound("user"))?;
    let new = NewProject {
        name: "Демо-сайт «Ромашка»".into(),
        sphere: Some("ecommerce".into()),
        timezone: None,
        domains: vec!["localhost".into(), "127.0.0.1".into()],
    };
    projects::create(app, &admin.id, new, Some(DEMO_PROJECT)).await?;
    billing::start_trial(app, DEMO_PROJECT).await?;
    Ok(())
}

pub async fn demo() -> Html<String> {
    Html(format!(
        r#"<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ромашка — цветы с доставкой (демо-сайт Беседы)</title>
<style>
  body {{ margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2937; background: #fffdf7; }}
  header {{ background: #fef3c7; padding: 48px 24px; text-align: center; }}
  h1 {{ margin: 0 0 8px; font-size: 40px; }}
  main {{ max-width: 760px; margin: 0 auto; padding: 32px 24px 120px; }}
  .cards {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 16px; }}
  .card {{ background: #fff; border: 1px solid #f1e6c8; border-radius: 12px; padding: 16px; }}
  button.cta {{ background: #d97706; color: #fff; border: 0; border-radius: 8px; padding: 10px 18px; font-size: 16px; cursor: pointer; }}
</style>
</head>
<body>
<header>
  <h1>Ромашка</h1>
  <p>Цветы с доставкой по городу за 2 часа. Это демо-сайт: справа внизу — виджет Беседы.</p>
  <button class="cta" id="order-call">Заказать звонок</button>
</header>
<main>
  <div class="cards">
    <div class="card"><h3>Букеты</h3><p>Сезонные цветы, собранные утром.</p></div>
    <div class="card"><h3>Доставка</h3><p>Ежедневно с 9:00 до 21:00.</p></div>
    <div class="card"><h3>Оплата</h3><p>Картой, СБП или при получении.</p></div>
  </div>
</main>
<!-- Беседа: the embed snippet from the cabinet, pasted before </body> -->
<script src="/widget/loader.js" data-project="{project}" async></script>
</body>
</html>
"#,
        project = escape(DEMO_PROJECT)
    ))
}

/// 401 without a session, 403 for anyone but the installation's administrator.
async fn installation_admin(app: &App, parts: &Parts) -> ApiResult<()> {
    let token = beseda_http::auth::token(parts).ok_or(beseda_domain::Error::Unauthenticated)?;
    let user = accounts::session_user(app, &token).await?;
    if user.email != FIRST_ADMIN_EMAIL {
        return Err(ApiError::from(beseda_domain::Error::forbidden(
            "not_installation_admin",
            "Исходящие письма видит только администратор установки",
        )));
    }
    Ok(())
}

/// The mails the embedded mail adapter "sent", newest first.
pub async fn outbox(State(local): State<Local>, parts: Parts) -> ApiResult<Html<String>> {
    installation_admin(&local.app, &parts).await?;
    let mails = local.embedded.outbox.list().unwrap_or_default();
    let mut rows = String::new();
    for m in &mails {
        rows.push_str(&format!(
            "<article><h3>{}</h3><p class=\"to\">Кому: {}</p><pre>{}</pre></article>\n",
            escape(&m.subject),
            escape(&m.to.join(", ")),
            escape(&m.text)
        ));
    }
    if mails.is_empty() {
        rows.push_str("<p>Писем пока нет.</p>");
    }
    Ok(Html(format!(
        r#"<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Исходящие письма — Беседа</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:820px;margin:24px auto;padding:0 16px;color:#111827}}
article{{border:1px solid #e5e7eb;border-radius:10px;padding:12px 16px;margin:12px 0}}h3{{margin:0}}.to{{color:#6b7280;margin:4px 0}}
pre{{white-space:pre-wrap;font:inherit;margin:8px 0 0}}</style></head>
<body><h1>Исходящие письма</h1><p>Почта локального запуска не уходит в сеть: письма лежат в папке outbox.</p>{rows}</body></html>"#
    )))
}

/// A mail of the outbox, for tests and tools.
#[derive(serde::Serialize)]
pub struct OutboxMail {
    to: Vec<String>,
    subject: String,
    text: String,
}

/// The outbox as JSON, newest first.
pub async fn outbox_json(State(local): State<Local>, parts: Parts) -> ApiResult<Json<Vec<OutboxMail>>> {
    installation_admin(&local.app, &parts).await?;
    let mails = local.embedded.outbox.list().unwrap_or_default();
    Ok(Json(mails.into_iter().map(|m| OutboxMail { to: m.to, subject: m.subject, text: m.text }).collect()))
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<script>alert("x")</script>&'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"
        );
    }
}
