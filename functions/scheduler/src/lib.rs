//! The scheduled jobs — trial and tariff expiry, operators' schedules, the daily statistics
//! mail, the committed messages whose send failed: every tick (each 5 minutes in AWS, each
//! minute in the local runner) runs every job; each job finds its own due work, so a late or
//! doubled tick is harmless.

use beseda_domain::{App, billing, dialogs, statistics};
use serde::Serialize;

/// What a tick did, for the logs and the invoker.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Report {
    pub tariffs_expired: usize,
    pub operators_switched: usize,
    pub statistics_mails: usize,
    pub messages_redelivered: usize,
}

/// How long a committed message's own send may still be under way before the outbox sends it.
pub const REDELIVER_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

pub async fn tick(app: &App) -> Result<Report, beseda_domain::Error> {
    // Each job runs whatever the others did; a failure is reported after all, so the tick is
    // retried and, failing again, lands in the scheduler's failure destination.
    let tariffs = billing::expire_due(app).await;
    let operators = dialogs::apply_schedules(app).await;
    let mails = statistics::mail_due(app).await;
    let redelivered = app.ports.atomic.redeliver(REDELIVER_AFTER).await.map_err(beseda_domain::Error::from);
    let errors = [tariffs.as_ref().err(), operators.as_ref().err(), mails.as_ref().err(), redelivered.as_ref().err()];
    for e in errors.into_iter().flatten() {
        tracing::error!(error = %e, "a scheduled job failed");
    }
    let report = Report {
        tariffs_expired: tariffs?,
        operators_switched: operators?,
        statistics_mails: mails?,
        messages_redelivered: redelivered?,
    };
    tracing::info!(?report, "scheduled jobs ran");
    Ok(report)
}
