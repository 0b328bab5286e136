//! The handlers, one module per part of the cabinet. Each decodes the request, calls the
//! domain, and encodes the answer; project routes name the action they need in their
//! `ProjectMember<can::…>` argument, checked before the body is read.

pub mod account;
pub mod auth;
pub mod billing;
pub mod blacklist;
pub mod health;
pub mod integrations;
pub mod invitations;
pub mod me;
pub mod projects;
pub mod realtime;
pub mod team;
pub mod widget;
