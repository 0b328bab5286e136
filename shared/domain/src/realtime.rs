//! The realtime connection registry: which open WebSocket belongs to which operator or
//! visitor, and which project's dialogs an operator's socket follows, so that a push reaches
//! every tab concerned. The same calls serve API Gateway's `$connect`, `$disconnect` and
//! `$default` routes and the local runner's `/ws`.
//!
//! An operator's socket opens with a ticket, never with the session: the cabinet asks the
//! authenticated API for one ([`issue_ticket`]) right before it connects, and the ticket opens
//! one socket to one project, once, within seconds. The session token stays out of socket URLs
//! (and the access logs that keep them), and the WebSocket API needs no cookie of the cabinet.
//!
//! Access is not only checked when a socket subscribes: an operator's socket lives no longer
//! than the session it was opened with (log-out, a password change, expiry), and removing a
//! member or taking away the access to dialogs ends that member's subscriptions to the project
//! at once, by deleting the registry items every push is fanned out from.

use crate::access::Action;
use crate::{App, Error, Result, dialogs, keys, projects, secrets};
use beseda_ports::PushError;
use beseda_ports::table::{Condition, Item, Query, StoreError};
use futures::StreamExt;
use serde::Deserialize;

/// A socket is forgotten after two hours without a reconnect (API Gateway closes idle ones).
const CONNECTION_SECS: i64 = 2 * 3600;

fn connection_item(
    app: &App,
    connection_id: &str,
    sk: &str,
    index: String,
    body: serde_json::Value,
    until: Option<i64>,
) -> Item {
    let expires = app.now().timestamp() + CONNECTION_SECS;
    Item::new(keys::connection(connection_id).0, sk, body)
        .with_index(index, connection_id)
        .expiring_at(until.map_or(expires, |u| u.min(expires)))
}

/// Where a socket's handshake came from: the page's `Origin` (browsers always send it on a
/// WebSocket handshake) and the host the request was made to.
#[derive(Debug, Clone, Copy, Default)]
pub struct Handshake<'a> {
    pub origin: Option<&'a str>,
    pub host: Option<&'a str>,
}

fn origin_host(origin: &str) -> Option<&str> {
    origin.split_once("://").map(|(_, rest)| rest.split('/').next().unwrap_or_default())
}

/// Whether an operator's socket comes from the cabinet itself: the page's origin is the
/// public URL's or the host's the handshake was made to. A client that is not a browser sends
/// no `Origin` and carries no browser's cookie.
pub fn cabinet_origin(handshake: Handshake, public_url: &str) -> bool {
    let Some(origin) = handshake.origin else { return true };
    let Some(host) = origin_host(origin) else { return false };
    Some(host) == handshake.host || (origin_host(public_url) == Some(host) && public_url.starts_with(origin))
}

fn foreign_origin() -> Error {
    Error::forbidden("origin_not_allowed", "Подключение с чужого сайта отклонено")
}

/// How long a socket ticket is good for: the cabinet asks for one right before it connects.
pub const TICKET_SECS: i64 = 30;

/// Issues a ticket that opens one operator socket to a project within [`TICKET_SECS`]: for a
/// member the caller has found may read the project's dialogs, in the live session
/// `session_token`; the socket lives no longer than that session.
pub async fn issue_ticket(app: &App, project_id: &str, user_id: &str, session_token: &str) -> Result<String> {
    let session = secrets::token_hash(session_token);
    let (pk, sk) = keys::session(&session);
    app.ports.table.get(&pk, &sk).await?.ok_or(Error::Unauthenticated)?;
    let ticket = secrets::token();
    let expires = app.now().timestamp() + TICKET_SECS;
    let body =
        serde_json::json!({ "user_id": user_id, "project_id": project_id, "session": session, "expires": expires });
    let (pk, sk) = keys::socket_ticket(&secrets::token_hash(&ticket));
    app.ports.table.put(Item::new(pk, sk, body).expiring_at(expires), Condition::NotExists).await?;
    Ok(ticket)
}

/// Registers an operator's socket opened with a ticket from [`issue_ticket`], from the
/// cabinet's own origin. The ticket is spent by the first attempt; an unknown, spent or expired
/// one, or one whose session has ended, is refused (401). The socket may follow the ticket's
/// project only, and ends with the session.
pub async fn connect(app: &App, connection_id: &str, ticket: &str, handshake: Handshake<'_>) -> Result<()> {
    if !cabinet_origin(handshake, &app.settings.public_url) {
        return Err(foreign_origin());
    }
    let (pk, sk) = keys::socket_ticket(&secrets::token_hash(ticket));
    let issued = app.ports.table.get(&pk, &sk).await?.ok_or(Error::Unauthenticated)?;
    match app.ports.table.delete(&pk, &sk, Condition::Exists).await {
        Ok(()) => {}
        Err(StoreError::ConditionFailed) => return Err(Error::Unauthenticated),
        Err(e) => return Err(e.into()),
    }
    if issued.body["expires"].as_i64().is_none_or(|expires| expires < app.now().timestamp()) {
        return Err(Error::Unauthenticated);
    }
    let field = |name: &str| issued.body[name].as_str().map(str::to_owned).ok_or(Error::Unauthenticated);
    let (user_id, project_id, session) = (field("user_id")?, field("project_id")?, field("session")?);
    let (spk, ssk) = keys::session(&session);
    let until = app.ports.table.get(&spk, &ssk).await?.ok_or(Error::Unauthenticated)?.expires_at;
    let body = serde_json::json!({ "user_id": user_id, "session": session, "project_id": project_id });
    let item = connection_item(app, connection_id, "conn", keys::user_connections(&user_id), body, until);
    app.ports.table.put(item, Condition::Always).await?;
    Ok(())
}

/// Registers a visitor's socket opened with the visitor token of a project, from a page on one
/// of the project's domains.
pub async fn connect_visitor(
    app: &App,
    connection_id: &str,
    project_id: &str,
    token: &str,
    handshake: Handshake<'_>,
) -> Result<()> {
    if let Some(origin) = handshake.origin {
        let (project, _) = projects::get(app, project_id).await?;
        if !crate::domains::origin_allowed(&project.domains, origin) {
            return Err(foreign_origin());
        }
    }
    let visitor = dialogs::visitor_from_token(app, project_id, token).await?;
    let body = serde_json::json!({ "project_id": project_id, "visitor_id": visitor.id });
    let item =
        connection_item(app, connection_id, "conn", keys::visitor_connections(project_id, &visitor.id), body, None);
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
    if owner.body["project_id"].as_str() != Some(project_id) {
        return Err(Error::forbidden("forbidden", "Подключение открыто для другого проекта"));
    }
    projects::authorize(app, project_id, user_id, Action::ViewDialogs).await?;
    let item = connection_item(
        app,
        connection_id,
        &keys::subscription(project_id),
        keys::operator_connections(project_id),
        serde_json::json!({ "user_id": user_id }),
        owner.expires_at,
    );
    app.ports.table.put(item, Condition::Always).await?;
    Ok(())
}

/// The open sockets of a user: (connection id, hash of the session it was opened with).
async fn user_sockets(app: &App, user_id: &str) -> Result<Vec<(String, String)>> {
    let page = app.ports.table.query(Query::index(keys::user_connections(user_id)).limit(1000)).await?;
    Ok(page
        .items
        .into_iter()
        .map(|i| {
            let id = i.gsi1.as_ref().map(|g| g.sk.clone()).unwrap_or_default();
            (id, i.body["session"].as_str().unwrap_or_default().to_owned())
        })
        .collect())
}

/// Tells a socket why its feed ended; a socket that is gone already is fine.
async fn tell(app: &App, connection_id: &str, payload: serde_json::Value) -> Result<()> {
    match app.ports.realtime.push(connection_id, &payload.to_string()).await {
        Ok(()) | Err(PushError::Gone) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Ends every subscription of a user's sockets to a project: the member was removed or lost
/// the access to dialogs.
pub async fn end_subscriptions(app: &App, user_id: &str, project_id: &str) -> Result<()> {
    let sk = format!("sub#{project_id}");
    for (connection_id, _) in user_sockets(app, user_id).await? {
        let pk = keys::connection(&connection_id).0;
        if app.ports.table.get(&pk, &sk).await?.is_some() {
            app.ports.table.delete(&pk, &sk, Condition::Always).await?;
            tell(app, &connection_id, serde_json::json!({ "type": "unsubscribed", "project": project_id })).await?;
        }
    }
    Ok(())
}

/// Ends the subscriptions of a user to a project unless the user may still read its dialogs
/// (after a change of accesses).
pub async fn recheck(app: &App, user_id: &str, project_id: &str) -> Result<()> {
    match projects::authorize(app, project_id, user_id, Action::ViewDialogs).await {
        Ok(_) => Ok(()),
        Err(Error::Forbidden { .. } | Error::NotFound(_)) => end_subscriptions(app, user_id, project_id).await,
        Err(e) => Err(e),
    }
}

/// Forgets the sockets of a user whose session has ended (`ended` says which, by the session
/// token's hash), with every subscription they had.
pub async fn end_sessions(app: &App, user_id: &str, ended: impl Fn(&str) -> bool) -> Result<()> {
    for (connection_id, session) in user_sockets(app, user_id).await? {
        if ended(&session) {
            disconnect(app, &connection_id).await?;
            tell(app, &connection_id, serde_json::json!({ "type": "session_ended" })).await?;
        }
    }
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

/// How many pushes of one fan-out are in flight at once.
const PUSH_CONCURRENCY: usize = 32;
/// Sockets read per index page.
const PUSH_PAGE: usize = 200;

/// Sends a frame to every socket listed under an index partition, page after page and
/// [`PUSH_CONCURRENCY`] at a time, so a large team does not make the sender wait on
/// sequential round trips; forgets the sockets that are gone (410).
async fn push_to_index(app: &App, index: String, payload: &serde_json::Value) -> Result<usize> {
    // Owned per push: a stream of futures that borrow is not `Send` for every lifetime.
    let text: std::sync::Arc<str> = payload.to_string().into();
    let mut delivered = 0;
    let mut cursor = None;
    loop {
        let page = app.ports.table.query(Query::index(index.clone()).limit(PUSH_PAGE).after(cursor)).await?;
        let ids: Vec<String> = page.items.iter().filter_map(|item| item.gsi1.as_ref().map(|g| g.sk.clone())).collect();
        let outcomes: Vec<(String, std::result::Result<(), PushError>)> = futures::stream::iter(ids)
            .map(|id| {
                let (realtime, text) = (app.ports.realtime.clone(), text.clone());
                async move {
                    let outcome = realtime.push(&id, &text).await;
                    (id, outcome)
                }
            })
            .buffer_unordered(PUSH_CONCURRENCY)
            .collect()
            .await;
        for (connection_id, outcome) in outcomes {
            match outcome {
                Ok(()) => delivered += 1,
                Err(PushError::Gone) => disconnect(app, &connection_id).await?,
                Err(e) => tracing::warn!(error = %e, "push failed"),
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(delivered),
        }
    }
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
    use crate::accounts::{self, NewUser, Session};
    use crate::testing;

    /// A fresh ticket of the session's user for `project`.
    async fn ticket(app: &App, project: &str, session: &Session) -> String {
        issue_ticket(app, project, &session.user.id, &session.token).await.unwrap()
    }

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
        connect(&app, &open, &ticket(&app, "p", &session).await, Handshake::default()).await.unwrap();
        connect(&app, &closed, &ticket(&app, "p", &session).await, Handshake::default()).await.unwrap();
        hub.disconnect(&closed);
        assert!(connect(&app, "x", "bad ticket", Handshake::default()).await.is_err());
        assert!(connect(&app, "x", &session.token, Handshake::default()).await.is_err(), "a session is no ticket");

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

    #[tokio::test]
    async fn a_push_reaches_every_socket_past_one_page() {
        let (mut app, _, _) = testing::app();
        let hub = std::sync::Arc::new(beseda_embedded::LocalHub::default());
        app.ports.realtime = hub.clone();
        accounts::create_user(&app, NewUser { email: "op@x.ru".into(), ..Default::default() }, "password1")
            .await
            .unwrap();
        let session = accounts::login(&app, "op@x.ru", "password1", "ip").await.unwrap();
        let mut receivers = Vec::new();
        for _ in 0..PUSH_PAGE + 30 {
            let (id, rx) = hub.connect();
            connect(&app, &id, &ticket(&app, "p", &session).await, Handshake::default()).await.unwrap();
            receivers.push(rx);
        }
        let n = push_to_user(&app, &session.user.id, &serde_json::json!({"type": "hello"})).await.unwrap();
        assert_eq!(n, PUSH_PAGE + 30);
        for rx in &mut receivers {
            assert_eq!(rx.try_recv().unwrap(), r#"{"type":"hello"}"#);
        }
    }

    #[test]
    fn operator_sockets_come_from_the_cabinet_only() {
        let at = |origin, host| Handshake { origin, host };
        let url = "https://app.beseda.ru";
        assert!(cabinet_origin(at(None, Some("app.beseda.ru")), url), "not a browser");
        assert!(cabinet_origin(at(Some("https://app.beseda.ru"), None), url));
        assert!(cabinet_origin(at(Some("http://localhost:8080"), Some("localhost:8080")), url));
        assert!(!cabinet_origin(at(Some("https://evil.example"), Some("app.beseda.ru")), url));
        assert!(!cabinet_origin(at(Some("https://app.beseda.ru.evil.example"), None), url));
        assert!(!cabinet_origin(at(Some("null"), Some("app.beseda.ru")), url));
    }

    /// Whether a project's dialog feed reaches the socket: a push to the project's operators
    /// and, if it arrives, the frame.
    async fn feed_reaches(app: &App, project: &str, rx: &mut tokio::sync::mpsc::UnboundedReceiver<String>) -> bool {
        while rx.try_recv().is_ok() {}
        push_to_operators(app, project, &serde_json::json!({"type": "message"})).await.unwrap();
        matches!(rx.try_recv(), Ok(frame) if frame.contains("message"))
    }

    #[tokio::test]
    async fn removal_access_changes_logout_and_expiry_end_the_feed_at_once() {
        use crate::access::Access;
        use crate::projects::NewProject;
        use crate::team::{self, NewMember};
        let (mut app, clock, _) = testing::app();
        let hub = std::sync::Arc::new(beseda_embedded::LocalHub::default());
        app.ports.realtime = hub.clone();
        let owner =
            accounts::create_user(&app, NewUser { email: "own@x.ru".into(), ..Default::default() }, "password1")
                .await
                .unwrap();
        let p = projects::create(&app, &owner.id, NewProject { name: "Ромашка".into(), ..Default::default() }, None)
            .await
            .unwrap();
        let new = NewMember { email: "op@x.ru".into(), accesses: vec![Access::Operator], ..Default::default() };
        let op = team::add(&app, &p.id, new).await.unwrap();
        let (_, link) = accounts::password_link(&app, &op.user_id, accounts::LinkPurpose::Reset).await.unwrap();
        let token = link.split("token=").nth(1).unwrap().to_owned();
        accounts::confirm_reset(&app, &token, "password1", "password1").await.unwrap();

        let open = |app: App, hub: std::sync::Arc<beseda_embedded::LocalHub>, project: String| async move {
            let session = accounts::login(&app, "op@x.ru", "password1", "ip").await.unwrap();
            let (id, mut rx) = hub.connect();
            connect(&app, &id, &ticket(&app, &project, &session).await, Handshake::default()).await.unwrap();
            message(&app, &id, &serde_json::json!({"action": "subscribe", "project": project}).to_string())
                .await
                .unwrap();
            assert!(rx.recv().await.unwrap().contains("subscribed"));
            (session.token, rx)
        };

        let (_, mut rx) = open(app.clone(), hub.clone(), p.id.clone()).await;
        assert!(feed_reaches(&app, &p.id, &mut rx).await);
        team::update(&app, &p.id, &op.user_id, Some(vec![Access::Settings]), None).await.unwrap();
        assert!(!feed_reaches(&app, &p.id, &mut rx).await, "no access to dialogs any more");

        team::update(&app, &p.id, &op.user_id, Some(vec![Access::Operator]), None).await.unwrap();
        let (_, mut rx) = open(app.clone(), hub.clone(), p.id.clone()).await;
        team::remove(&app, &p.id, &op.user_id).await.unwrap();
        assert!(!feed_reaches(&app, &p.id, &mut rx).await, "removed from the project");

        team::add(
            &app,
            &p.id,
            NewMember { email: "op@x.ru".into(), accesses: vec![Access::Operator], ..Default::default() },
        )
        .await
        .unwrap();
        crate::invitations::accept(&app, &op.user_id, &p.id).await.unwrap();
        let (token, mut rx) = open(app.clone(), hub.clone(), p.id.clone()).await;
        accounts::logout(&app, &token).await.unwrap();
        assert!(!feed_reaches(&app, &p.id, &mut rx).await, "logged out");

        let (_, mut rx) = open(app.clone(), hub.clone(), p.id.clone()).await;
        clock.advance(chrono::Duration::days(accounts::SESSION_DAYS));
        assert!(!feed_reaches(&app, &p.id, &mut rx).await, "the session expired");
    }

    #[tokio::test]
    async fn a_ticket_opens_one_socket_to_its_project_within_seconds() {
        use crate::projects::NewProject;
        let (mut app, clock, _) = testing::app();
        let hub = std::sync::Arc::new(beseda_embedded::LocalHub::default());
        app.ports.realtime = hub.clone();
        let owner =
            accounts::create_user(&app, NewUser { email: "own@x.ru".into(), ..Default::default() }, "password1")
                .await
                .unwrap();
        let new = |name: &str| NewProject { name: name.into(), ..Default::default() };
        let p = projects::create(&app, &owner.id, new("Ромашка"), None).await.unwrap();
        let other = projects::create(&app, &owner.id, new("Лютик"), None).await.unwrap();
        let session = accounts::login(&app, "own@x.ru", "password1", "ip").await.unwrap();
        let subscribe = |project: &str| serde_json::json!({"action": "subscribe", "project": project}).to_string();

        let t = ticket(&app, &p.id, &session).await;
        let (id, mut rx) = hub.connect();
        connect(&app, &id, &t, Handshake::default()).await.unwrap();
        let again = connect(&app, "second", &t, Handshake::default()).await;
        assert!(matches!(again, Err(Error::Unauthenticated)), "a ticket is spent by its socket: {again:?}");

        message(&app, &id, &subscribe(&other.id)).await.unwrap();
        assert!(rx.recv().await.unwrap().contains("forbidden"), "a ticket of another project");
        message(&app, &id, &subscribe(&p.id)).await.unwrap();
        assert!(rx.recv().await.unwrap().contains("subscribed"));

        let late = ticket(&app, &p.id, &session).await;
        clock.advance(chrono::Duration::seconds(TICKET_SECS + 1));
        let expired = connect(&app, "late", &late, Handshake::default()).await;
        assert!(matches!(expired, Err(Error::Unauthenticated)), "an expired ticket: {expired:?}");

        let t = ticket(&app, &p.id, &session).await;
        accounts::logout(&app, &session.token).await.unwrap();
        let ended = connect(&app, "after-logout", &t, Handshake::default()).await;
        assert!(matches!(ended, Err(Error::Unauthenticated)), "the session ended: {ended:?}");
        assert!(issue_ticket(&app, &p.id, &session.user.id, &session.token).await.is_err(), "no session, no ticket");
    }
}
