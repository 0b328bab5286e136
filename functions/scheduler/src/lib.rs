//! The scheduled jobs — trial and tariff expiry, operators' schedules: every tick (each 5 minutes in AWS, each minute in the local runner)
//! runs every job; each job finds its own due work, so a late or doubled tick is harmless.

use beseda_domain::{App, billing, dialogs};
use serde::Serialize;

/// What a tick did, for the logs and the invoker.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Report {
    pub tariffs_expired: usize,
    pub operators_switched: usize,
}

pub async fn tick(app: &App) -> Result<Report, beseda_domain::Error> {
    let report = Report {
        tariffs_expired: billing::expire_due(app).await?,
        operators_switched: dialogs::apply_schedules(app).await?,
    };
    tracing::info!(?report, "scheduled jobs ran");
    Ok(report)
}
