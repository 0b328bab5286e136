//! Beseda's business. Modules hold the rules as plain functions without I/O (unit-tested
//! beside them) and the services that apply those rules through the ports in an [`App`].

pub mod access;
pub mod accounts;
pub mod backoff;
pub mod billing;
pub mod blacklist;
pub mod cache;
pub mod dashboard;
pub mod dialogs;
pub mod domains;
pub mod error;
pub mod integrations;
pub mod invitations;
pub mod journal;
pub mod keyring;
pub mod keys;
pub mod notify;
pub mod online;
pub mod phone;
#[cfg(test)]
mod port_calls;
pub mod projects;
pub mod ratings;
pub mod realtime;
pub mod secrets;
pub mod statistics;
pub mod team;
pub mod teambot;
pub mod text;
pub mod throttle;
pub mod transfer;
pub mod widget;

pub use error::{Error, Result};

use beseda_ports::Ports;

/// Settings every function reads from its environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The sender of service mails.
    pub mail_from: String,
    /// The cabinet's public base URL, for links in mails and webhooks; no trailing slash.
    pub public_url: String,
    /// The way to the data key that encrypts integration secrets at rest (`keyring`); None
    /// in a process that touches no secrets, where integrations cannot be saved or used.
    pub secrets: Option<keyring::Keyring>,
}

impl Settings {
    /// From `MAIL_FROM` and `PUBLIC_URL`, with local defaults, and no keyring.
    pub fn from_env() -> Self {
        let var = |k: &str, d: &str| std::env::var(k).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| d.to_owned());
        Self {
            mail_from: var("MAIL_FROM", "Беседа <noreply@beseda.local>"),
            public_url: var("PUBLIC_URL", "http://127.0.0.1:8080").trim_end_matches('/').to_owned(),
            secrets: None,
        }
    }
}

/// What a service needs: the ports and the settings. One per process, cloned cheaply.
#[derive(Clone)]
pub struct App {
    pub ports: Ports,
    pub settings: Settings,
}

impl App {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.ports.clock.now()
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! An [`App`] on the embedded adapters in a temporary folder, with a fixed clock and a
    //! keyring that creates the data key on first need.

    use super::*;
    use beseda_ports::FixedClock;
    use chrono::TimeZone;
    use std::sync::Arc;

    pub fn app() -> (App, Arc<FixedClock>, Arc<beseda_embedded::Outbox>) {
        let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()));
        let dir = tempfile::tempdir().unwrap().keep();
        let e = beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, clock.clone()).unwrap();
        let (ports, outbox) = (e.ports, e.outbox);
        let settings = Settings {
            mail_from: "noreply@beseda.local".into(),
            public_url: "http://cabinet.test".into(),
            secrets: Some(keyring::Keyring::new(keyring::Access::Create)),
        };
        (App { ports, settings }, clock, outbox)
    }
}
