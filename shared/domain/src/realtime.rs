//! The realtime connection registry: which open WebSocket belongs to which user, so that a
//! push reaches every tab of a user. The same calls serve API Gateway's `$connect`,
//! `$disconnect` and `$default` routes and the local runner's `/ws`.

use crate::accounts::{self, Profile};
use crate::{App, Result, keys};
use beseda_ports::PushError;
use beseda_ports::table::{Condition, Item, Query};
use serde::Deserialize;

/// A socket is forgotten after two hours without a reconnect (API Gateway closes idle ones).
const CONNECTION_SECS: i64 = 2 * 3600;

/// Registers a socket opened with a session token.
pub async fn connect(app: &App, connection_id: &str, token: &str) -> Result<Profile> {
    let user = accounts::session_user(app, token).await?;
    let (pk, sk) = keys::connection(connection_id);
    let item = Item::new(pk, sk, serde_json::json!({ "user_id": user.id }))
        .with_index(keys::user_connections(&user.id), connection_id)
        .expiring_at(app.now().timestamp() + CONNECTION_SECS);
    app.ports.table.put(item, Condition::Always).await?;
    Ok(user)
}

pub async fn disconnect(app: &App, connection_id: &str) -> Result<()> {
    let (pk, sk) = keys::connection(connection_id);
    app.ports.table.delete(&pk, &sk, Condition::Always).await?;
    Ok(())
}

#[derive(Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
enum Inbound {
    Ping,
}

/// A frame the client sent. Unknown or malformed frames are answered with an error frame.
pub async fn message(app: &App, connection_id: &str, body: &str) -> Result<()> {
    let reply = match serde_json::from_str::<Inbound>(body) {
        Ok(Inbound::Ping) => serde_json::json!({ "type": "pong" }),
        Err(_) => serde_json::json!({ "type": "error", "code": "bad_frame" }),
    };
    match app.ports.realtime.push(connection_id, &reply.to_string()).await {
        Err(PushError::Gone) => disconnect(app, connection_id).await,
        other => Ok(other?),
    }
}

/// Sends a frame to every open socket of a user; forgets the sockets that are gone.
pub async fn push_to_user(app: &App, user_id: &str, payload: &serde_json::Value) -> Result<usize> {
    let text = payload.to_string();
    let page = app.ports.table.query(Query::index(keys::user_connections(user_id)).limit(100)).await?;
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
