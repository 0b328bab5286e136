//! What the widget's hot path reads on every page view and every message, read through the
//! cache of recent reads (`Ports::recent`): a copy at most a few seconds old, forgotten at
//! once when this process saves it. For display and gating only — a change that must be
//! checked against the stored version reads the table itself.

use crate::{App, Error, Result, billing, keys, projects, widget};

/// The project, as read at most a few seconds ago.
pub async fn project(app: &App, project_id: &str) -> Result<projects::Project> {
    let (pk, sk) = keys::project_meta(project_id);
    app.ports.recent.get_recent(&pk, &sk).await?.ok_or(Error::NotFound("project"))?.decode().map_err(Error::from)
}

/// The widget settings, as read at most a few seconds ago.
pub async fn settings(app: &App, project_id: &str) -> Result<widget::Settings> {
    let (pk, sk) = keys::widget_settings(project_id);
    match app.ports.recent.get_recent(&pk, &sk).await? {
        Some(item) => Ok(item.decode()?),
        None => Ok(widget::Settings::default()),
    }
}

/// The billing account, as read at most a few seconds ago.
pub async fn account(app: &App, project_id: &str) -> Result<billing::Account> {
    let (pk, sk) = keys::billing(project_id);
    match app.ports.recent.get_recent(&pk, &sk).await? {
        Some(item) => Ok(item.decode()?),
        None => Ok(billing::Account::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::app;

    #[tokio::test]
    async fn a_save_in_this_process_is_seen_at_once() {
        let (app, _, _) = app();
        assert_eq!(settings(&app, "p1").await.unwrap(), widget::Settings::default());
        let mut s = widget::Settings::default();
        s.appearance.color = "#112233".into();
        crate::dialogs::save_settings(&app, "p1", s.clone()).await.unwrap();
        assert_eq!(settings(&app, "p1").await.unwrap().appearance.color, "#112233");
    }
}
