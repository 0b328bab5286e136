//! `/ws`: the local twin of the API Gateway WebSocket API. An operator's socket opens with a
//! single-use ticket from the API (`?ticket=`) from the cabinet's own origin, a visitor's with
//! `?visitor=<token>&project=<id>` from a page on the project's domains; it is
//! registered in the hub and the connection registry, and its frames go to the same domain
//! calls the `realtime` function makes for `$default`.

use crate::server::Local;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use beseda_domain::realtime;
use beseda_http::ApiError;
use beseda_http::Query;
use futures::SinkExt;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Params {
    ticket: Option<String>,
    visitor: Option<String>,
    project: Option<String>,
}

pub async fn upgrade(
    State(local): State<Local>,
    Query(params): Query<Params>,
    parts: Parts,
    ws: WebSocketUpgrade,
) -> Response {
    let header = |name| parts.headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    let handshake = realtime::Handshake { origin: header(header::ORIGIN), host: header(header::HOST) };
    let (id, rx) = local.embedded.hub.connect();
    let registered = match (params.visitor, params.project) {
        (Some(visitor), Some(project)) => {
            realtime::connect_visitor(&local.app, &id, &project, &visitor, handshake).await
        }
        _ => match params.ticket {
            Some(ticket) => realtime::connect(&local.app, &id, &ticket, handshake).await,
            None => Err(beseda_domain::Error::Unauthenticated),
        },
    };
    if let Err(e) = registered {
        local.embedded.hub.disconnect(&id);
        return ApiError::from(e).into_response();
    }
    ws.max_message_size(64 * 1024).on_upgrade(move |socket| serve(local, id, rx, socket))
}

/// Writes `first` and every frame already waiting behind it, then flushes once: a busy
/// project's frames leave in one write instead of one system call each.
async fn send_waiting(
    socket: &mut WebSocket,
    first: String,
    outbound: &mut tokio::sync::mpsc::UnboundedReceiver<String>,
) -> Result<(), axum::Error> {
    socket.feed(Message::Text(first.into())).await?;
    while let Ok(text) = outbound.try_recv() {
        socket.feed(Message::Text(text.into())).await?;
    }
    socket.flush().await
}

async fn serve(
    local: Local,
    id: String,
    mut outbound: tokio::sync::mpsc::UnboundedReceiver<String>,
    mut socket: WebSocket,
) {
    loop {
        tokio::select! {
            frame = outbound.recv() => match frame {
                Some(text) => if send_waiting(&mut socket, text, &mut outbound).await.is_err() { break },
                None => break,
            },
            inbound = socket.recv() => match inbound {
                // A frame that is not JSON ends this socket only.
                Some(Ok(Message::Text(text))) if serde_json::from_str::<serde_json::Value>(&text).is_err() => break,
                Some(Ok(Message::Text(text))) => {
                    if let Err(e) = realtime::message(&local.app, &id, &text).await {
                        tracing::warn!(error = %e, "realtime frame failed");
                    }
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                // Binary frames are not ours; a broken or closed socket ends only itself.
                Some(Ok(Message::Binary(_))) | Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
            },
        }
    }
    local.embedded.hub.disconnect(&id);
    if let Err(e) = realtime::disconnect(&local.app, &id).await {
        tracing::warn!(error = %e, "forgetting a socket failed");
    }
}
