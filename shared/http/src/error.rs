//! The one error type of the HTTP layer and its mapping to a status and the envelope
//! `{"error": {"code": "snake_case", "message": "...", "field"?: "..."}}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use beseda_domain::Error as Domain;
use beseda_ports::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Domain(#[from] Domain),
    #[error("Такого адреса нет")]
    RouteNotFound,
    #[error("Этот метод здесь не поддерживается")]
    MethodNotAllowed,
    #[error("Тело запроса — не JSON: {0}")]
    MalformedJson(String),
    #[error("Тело запроса не подходит: {0}")]
    InvalidBody(String),
    #[error("Параметры запроса не подходят: {0}")]
    InvalidQuery(String),
    #[error("Адрес запроса не подходит: {0}")]
    InvalidPath(String),
    #[error("Отправьте тело с Content-Type: application/json")]
    WrongContentType,
    #[error("Тело запроса слишком большое")]
    TooLarge,
    #[error("Запрос с чужого сайта отклонён")]
    CrossOrigin,
    #[error("Сбой при обработке запроса")]
    Panic,
}

/// The envelope, for the OpenAPI document.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, Option<&'static str>) {
        match self {
            ApiError::Domain(e) => match e {
                Domain::Invalid { field, code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, code, Some(field)),
                Domain::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", None),
                Domain::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated", None),
                Domain::WrongCredentials => (StatusCode::UNAUTHORIZED, "wrong_credentials", None),
                Domain::Forbidden { code, .. } => (StatusCode::FORBIDDEN, code, None),
                Domain::Conflict { code, .. } => (StatusCode::CONFLICT, code, None),
                Domain::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None),
                Domain::Store(StoreError::ConditionFailed | StoreError::TransactionCancelled) => {
                    (StatusCode::CONFLICT, "conflict", None)
                }
                Domain::Store(StoreError::BadCursor) => (StatusCode::BAD_REQUEST, "bad_cursor", None),
                _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal", None),
            },
            ApiError::RouteNotFound => (StatusCode::NOT_FOUND, "route_not_found", None),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", None),
            ApiError::MalformedJson(_) => (StatusCode::BAD_REQUEST, "malformed_json", None),
            ApiError::InvalidBody(_) => (StatusCode::BAD_REQUEST, "invalid_body", None),
            ApiError::InvalidQuery(_) => (StatusCode::BAD_REQUEST, "invalid_query", None),
            ApiError::InvalidPath(_) => (StatusCode::BAD_REQUEST, "invalid_path", None),
            ApiError::WrongContentType => (StatusCode::BAD_REQUEST, "wrong_content_type", None),
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", None),
            ApiError::CrossOrigin => (StatusCode::FORBIDDEN, "cross_origin", None),
            ApiError::Panic => (StatusCode::INTERNAL_SERVER_ERROR, "internal", None),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, field) = self.parts();
        let message = if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
            "Внутренняя ошибка сервера; попробуйте позже".to_owned()
        } else {
            self.to_string()
        };
        let body = ErrorBody { error: ErrorDetail { code: code.to_owned(), message, field: field.map(str::to_owned) } };
        let mut response = (status, axum::Json(body)).into_response();
        if let ApiError::Domain(Domain::RateLimited { retry_after }) = self
            && let Ok(v) = HeaderValue::from_str(&retry_after.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn envelope(e: ApiError) -> (StatusCode, serde_json::Value) {
        let r = e.into_response();
        let status = r.status();
        let bytes = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn domain_errors_keep_their_code_and_hide_internals() {
        let (s, b) = envelope(Domain::invalid("email", "invalid_email", "Введите e-mail").into()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            b,
            serde_json::json!({"error": {"code": "invalid_email", "message": "Введите e-mail", "field": "email"}})
        );
        let (s, b) = envelope(Domain::Internal("db password is hunter2".into()).into()).await;
        assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!b.to_string().contains("hunter2"));
        let r = ApiError::from(Domain::RateLimited { retry_after: 42 }).into_response();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()[header::RETRY_AFTER], "42");
    }
}
