//! The handlers, one module per part of the cabinet. Each decodes the request, calls the
//! domain, and encodes the answer.

pub mod auth;
pub mod health;
pub mod me;
