//! The one error type of the domain. `beseda-http` maps it to a status and the JSON envelope
//! in one place; every variant carries a machine-readable code.

use beseda_ports::{BlobError, MailError, PushError, QueueError, StoreError};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field of the input is not acceptable.
    #[error("{message}")]
    Invalid { field: &'static str, code: &'static str, message: String },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("Войдите в кабинет")]
    Unauthenticated,
    #[error("Неверный e-mail или пароль")]
    WrongCredentials,
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("Слишком много попыток; повторите через {retry_after} с")]
    RateLimited { retry_after: u64 },
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("queue: {0}")]
    Queue(#[from] QueueError),
    #[error("mail: {0}")]
    Mail(#[from] MailError),
    #[error("blobs: {0}")]
    Blob(#[from] BlobError),
    #[error("push: {0}")]
    Push(#[from] PushError),
    #[error("internal: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { field, code, message: message.into() }
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::Forbidden { code, message: message.into() }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict { code, message: message.into() }
    }
}
