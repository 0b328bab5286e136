//! The realtime push port on the API Gateway WebSocket management API: PostToConnection to
//! the stage's management endpoint (`https://<api>.execute-api.<region>.amazonaws.com/<stage>`).
//! A closed socket answers 410 GoneException, which is `PushError::Gone`.

use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_apigatewaymanagement::Client;
use aws_sdk_apigatewaymanagement::error::DisplayErrorContext;
use aws_sdk_apigatewaymanagement::primitives::Blob;
use beseda_ports::realtime::{PushError, Realtime};

pub struct ApiGatewayRealtime {
    client: Client,
}

impl ApiGatewayRealtime {
    /// A client of the management API at `endpoint`, otherwise configured by `config`.
    pub fn new(config: &SdkConfig, endpoint: &str) -> Self {
        let conf = aws_sdk_apigatewaymanagement::config::Builder::from(config).endpoint_url(endpoint).build();
        Self { client: Client::from_conf(conf) }
    }
}

#[async_trait]
impl Realtime for ApiGatewayRealtime {
    async fn push(&self, connection_id: &str, payload: &str) -> Result<(), PushError> {
        match self
            .client
            .post_to_connection()
            .connection_id(connection_id)
            .data(Blob::new(payload.as_bytes()))
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_gone_exception()) => Err(PushError::Gone),
            Err(e) => Err(PushError::Backend(DisplayErrorContext(e).to_string())),
        }
    }
}
