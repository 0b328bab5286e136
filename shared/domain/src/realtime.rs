//! The realtime connection registry: which open WebSocket belongs to which operator or
//! visitor, and which project's dialogs an operator's socket follows, so that a push reaches
//! every tab concerned. The same calls serve API Gateway's `$connect`, `$disconnect` and
//! `$default` routes and the local runner's `/ws`.

use crate::access::Action;
use crate::accounts::{self, Profile};
use crate::{App, Error, Result, dialogs, keys, projects};
use beseda_ports::PushError;
use beseda_ports::table::{Condition, Item, Query};
use serde::Deserialize;

/// A socket is forgotten after two hours without a reconnect (API Gateway closes idle ones).
const CONNECTION_SECS: i64 = 2 * 3600;

fn connection_item(app: &App, connection_id: &str, sk: &str, index: String, body: serde_json::Value) -> Item {
    Item::new(keys::connection(connection_id).0, sk, body)
        .with_index(index, connection_id)
        .expiring_at(app.now().timestamp() + CONNECTION_SECS)
}

/// Registers an operator's socket opened with a session token.
pub async fn connect(app: &App, connection_id: &str, token: &str) -> Result<Profile> {
    let user = accounts::session_user(app, token).await?;
    let item = connection_item(
        app,
        connection_id,
        "conn",
        keys::user_connections(&user.id),
        serde_json::json!({ "user_id": user.id }),
    );
    app.ports.table.put(item, Condition::Always).await?;
    Ok(user)
}

/// Registers a visitor's socket opened with the visitor token of a project.
pub async fn connect_visitor(app: &App, connection_id: &str, project_id: &str, token: &str) -> Result<()> {
    let visitor = dialogs::visitor_from_token(app, project_id, token).await?;
    let body = serde_json::json!({ "project_id": project_id, "visitor_id": visitor.id });
    let item = connection_item(app, connection_id, "conn", keys::visitor_connections(project_id, &visitor.id), body);
    app.ports.table.put(item, Condition::Always).await?;
    Ok(())
}

/// Forgets a socket and every subscription it had.
pub async fn disconnect(app: &App, connection_id: &str) -> Result<()> {
    let pk = keys::connection(connection_id).0;
    let page = app.ports.table.query(Query::partition(&pk).limit(100)).await?;
    for item in page.items {
        app.ports.table.delete(&item.pk, &item.sk, Condition::Always).await?;
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
enum Inbound {
    Ping,
    /// An operator's socket follows a project's dialogs.
    Subscribe {
        project: String,
    },
}

async fn subscribe(app: &App, connection_id: &str, project_id: &str) -> Result<()> {
    let (pk, sk) = keys::connection(connection_id);
    let owner = app.ports.table.get(&pk, &sk).await?.ok_or(Error::Unauthenticated)?;
    let user_id = owner.body["user_id"]
        .as_str()
        .ok_or_else(|| Error::forbidden("forbidden", "Подписка только для сотрудников"))?;
    projects::authorize(app, project_id, user_id, Action::ViewDialogs).await?;
    let item = connection_item(
        app,
        connection_id,
        &keys::subscription(project_id),
        keys::operator_connections(project_id),
        serde_json::json!({ "user_id": user_id }),
    );
    app.ports.table.put(item, Condition::Always).await?;
    Ok(())
}

/// A frame the client sent. Unknown or malformed frames, and refused subscriptions, are
/// answered with an error frame.
pub async fn message(app: &App, connection_id: &str, body: &str) -> Result<()> {
    let reply = match serde_json::from_str::<Inbound>(body) {
        Ok(Inbound::Ping) => serde_json::json!({ "type": "pong" }),
        Ok(Inbound::Subscribe { project }) => match subscribe(app, connection_id, &project).await {
            Ok(()) => serde_json::json!({ "type": "subscribed", "project": project }),
            Err(Error::Store(e)) => return Err(Error::Store(e)),
            Err(_) => serde_json::json!({ "type": "error", "code": "forbidden" }),
        },
        Err(_) => serde_json::json!({ "type": "error", "code": "bad_frame" }),
    };
    match app.ports.realtime.push(connection_id, &reply.to_string()).await {
        Err(PushError::Gone) => disconnect(app, connection_id).await,
        other => Ok(other?),
    }
}

/// Sends a frame to every socket listed under an index partition; forgets the gone ones.
async fn push_to_index(app: &App, index: String, payload: &serde_json::Value) -> Result<usize> {
    let text = payload.to_string();
    let page = app.ports.table.query(Query::index(index).limit(200)).await?;
    let mut delivered = 0;
    for item in page.items {
        let connection_id = item.gsi1.as_ref().map(|g| g.sk.clone()).unwrap_or_default();
        match app.ports.realtime.push(&connection_id, &text).await {
            Ok(()) => delivered += 1,
            Err(PushError::Gone) => disconnect(app, &connection_id).await?,
            Err(e) => tracing::warn!(error = %e, "push failed"),
        }
    }
    Ok(delivered)
}

/// Every open socket of a user.
pub async fn push_to_user(app: &App, user_id: &str, payload: &serde_json::Value) -> Result<usize> {
    push_to_index(app, keys::user_connections(user_id), payload).await
}

/// Every open socket of a visitor of a project.
pub async fn push_to_visitor(
    app: &App,
    project_id: &str,
    visitor_id: &str,
    payload: &serde_json::Value,
) -> Result<usize> {
    push_to_index(app, keys::visitor_connections(project_id, visitor_id), payload).await
}

/// Every operator socket following a project's dialogs.
pub async fn push_to_operators(app: &App, project_id: &str, payload: &serde_json::Value) -> Result<usize> {
    push_to_index(app, keys::operator_connections(project_id), payload).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::NewUser;
    use crate::testing;

    #[tokio::test]
    async fn pushes_reach_open_sockets_and_forget_closed_ones() {
        let (app, _, _) = testing::app();
        let hub = beseda_embedded::LocalHub::default();
        let hub = std::sync::Arc::new(hub);
        let mut app = app;
        app.ports.realtime = hub.clone();
        accounts::create_user(&app, NewUser { email: "op@x.ru".into(), ..Default::default() }, "password1")
            .await
            .unwrap();
        let session = accounts::login(&app, "op@x.ru", "password1", "ip").await.unwrap();
        let (open, mut rx) = hub.connect();
        let (closed, _) = hub.connect();
        connect(&app, &open, &session.token).await.unwrap();
        connect(&app, &closed, &session.token).await.unwrap();
        hub.disconnect(&closed);
        assert!(connect(&app, "x", "bad token").await.is_err());

        let n = push_to_user(&app, &session.user.id, &serde_json::json!({"type": "hello"})).await.unwrap();
        assert_eq!(n, 1);
        assert_eq!(rx.recv().await.unwrap(), r#"{"type":"hello"}"#);
        assert!(
            app.ports.table.get(&keys::connection(&closed).0, "conn").await.unwrap().is_none(),
            "the gone socket is forgotten"
        );

        message(&app, &open, r#"{"action":"ping"}"#).await.unwrap();
        assert_eq!(rx.recv().await.unwrap(), r#"{"type":"pong"}"#);
        message(&app, &open, "garbage").await.unwrap();
        let frame: serde_json::Value = serde_json::from_str(&rx.recv().await.unwrap()).unwrap();
        assert_eq!(frame, serde_json::json!({"type": "error", "code": "bad_frame"}));
    }
}
