//! The WebSocket API's routes: `$connect` registers the socket of a signed-in user (a
//! single-use ticket from the API in `?ticket=`) or of a visitor (`?visitor=<token>&project=<id>`), or refuses it
//! with 401, and one from a foreign page (`Origin` not the cabinet's, or not the project's
//! domain for a visitor) with 403; `$disconnect` forgets it, and
//! `$default` hands the frame to the domain, which answers through the push port.

use aws_lambda_events::event::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use beseda_domain::{App, Error, realtime};

fn status(code: i64) -> ApiGatewayProxyResponse {
    let mut response = ApiGatewayProxyResponse::default();
    response.status_code = code;
    response
}

pub async fn handle(app: &App, event: ApiGatewayWebsocketProxyRequest) -> ApiGatewayProxyResponse {
    let ctx = &event.request_context;
    let Some(connection_id) = ctx.connection_id.as_deref() else { return status(400) };
    let outcome = match ctx.route_key.as_deref() {
        Some("$connect") => {
            let q = &event.query_string_parameters;
            let header = |name: &str| event.headers.get(name).and_then(|v| v.to_str().ok());
            let handshake = realtime::Handshake { origin: header("origin"), host: header("host") };
            match (q.first("visitor"), q.first("project"), q.first("ticket")) {
                (Some(visitor), Some(project), _) => {
                    realtime::connect_visitor(app, connection_id, project, visitor, handshake).await
                }
                (_, _, Some(ticket)) => realtime::connect(app, connection_id, ticket, handshake).await,
                _ => Err(Error::Unauthenticated),
            }
        }
        Some("$disconnect") => realtime::disconnect(app, connection_id).await,
        _ => realtime::message(app, connection_id, event.body.as_deref().unwrap_or_default()).await,
    };
    match outcome {
        Ok(()) => status(200),
        Err(Error::Unauthenticated) => status(401),
        Err(Error::Forbidden { .. }) => status(403),
        Err(e) => {
            tracing::error!(error = %e, "realtime route failed");
            status(500)
        }
    }
}
