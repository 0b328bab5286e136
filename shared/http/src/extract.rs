//! Drop-in `Query` and `Path` extractors whose rejections answer with the error envelope
//! (400 `invalid_query` / `invalid_path`) instead of axum's plain-text ones.

use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// The query string decoded into `T`; a bad, missing or repeated parameter is a 400 envelope.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(e) => Err(ApiError::InvalidQuery(e.body_text())),
        }
    }
}

/// The route's path parameters decoded into `T`; one that does not decode (a wrong type,
/// invalid UTF-8) is a 400 envelope.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(e) => Err(ApiError::InvalidPath(e.body_text())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use tower::ServiceExt;

    #[derive(serde::Deserialize)]
    struct Page {
        #[allow(dead_code)]
        limit: Option<u32>,
        #[allow(dead_code)]
        after: Option<String>,
    }

    async fn call(uri: &str) -> (StatusCode, serde_json::Value) {
        let app: Router = Router::new()
            .route("/q", get(|Query(_): Query<Page>| async { "ok" }))
            .route("/p/{n}", get(|Path(_): Path<u32>| async { "ok" }));
        let r = app.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = r.status();
        let bytes = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
    }

    #[tokio::test]
    async fn bad_queries_and_paths_answer_with_the_envelope() {
        assert_eq!(call("/q?limit=5").await.0, StatusCode::OK);
        for (uri, code) in [
            ("/q?limit=abc", "invalid_query"),
            ("/q?after=a&after=b", "invalid_query"),
            ("/p/abc", "invalid_path"),
            ("/p/%FF", "invalid_path"),
        ] {
            let (status, body) = call(uri).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
            assert_eq!(body["error"]["code"], code, "{uri}: {body}");
        }
    }
}
