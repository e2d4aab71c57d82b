//! The background loops of a running server: the e-mail outbox, webhook deliveries, payment
//! reconciliation, lapsing offers and tomorrow's appointment reminders, the idempotency keys' purge, the yearly re-verification,
//! the daily retention and backup (each claimed by one instance), the signing keys' reading,
//! and the per-address limiter's memory. Started by `startup.rs`, stopped by its signal.

use std::sync::Arc;

use actix_web::web;
use portail_service::Context;
use portail_service::outbox::OutboxWorker;
use secrecy::ExposeSecret;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::auth::rate_limit::IpLimiter;
use crate::configuration::Config;
use crate::state::AppState;

/// Starts every loop; each ends when `stopped` changes.
pub fn spawn_all(
    state: &web::Data<AppState>,
    outbox: OutboxWorker,
    stopped: watch::Receiver<bool>,
) -> Vec<JoinHandle<()>> {
    let mut workers = vec![tokio::spawn(outbox.run(stopped.clone()))];
    workers.push(tokio::spawn(purge_idempotency_keys(
        state.ctx.clone(),
        stopped.clone(),
    )));
    workers.push(tokio::spawn(yearly_reverification(
        state.ctx.clone(),
        stopped.clone(),
    )));
    workers.push(tokio::spawn(reconcile_payments(
        state.ctx.clone(),
        state.config.payment_reconcile_after,
        stopped.clone(),
    )));
    workers.push(tokio::spawn(expire_offers(
        state.ctx.clone(),
        stopped.clone(),
    )));
    workers.push(tokio::spawn(deliver_webhooks(
        state.ctx.clone(),
        state.webhooks.clone(),
        stopped.clone(),
    )));
    if let Some(daily) = state.config.backup.clone() {
        workers.push(tokio::spawn(daily_backup(
            state.ctx.clone(),
            state.config.clone(),
            daily,
            stopped.clone(),
        )));
    }
    workers.push(tokio::spawn(daily_retention(
        state.ctx.clone(),
        state.config.retention,
        stopped.clone(),
    )));
    workers.push(tokio::spawn(read_signing_keys(
        state.clone(),
        stopped.clone(),
    )));
    workers.push(tokio::spawn(forget_quiet_addresses(
        state.ip_limiter.clone(),
        stopped,
    )));
    workers
}

/// Every two seconds, sends the webhook deliveries that are due. Every instance may run it:
/// a delivery is leased before it is sent.
async fn deliver_webhooks(
    ctx: Context,
    delivery: portail_service::integrations::webhooks::Delivery,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if let Err(error) =
            portail_service::integrations::webhooks::deliver_due(&ctx, &delivery).await
        {
            tracing::error!(error = ?error, "the webhook deliveries could not be read");
        }
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Every minute, asks the payment provider about online payments still pending after the
/// configured delay (a lost or late notification), and records those that ended. Every
/// instance may run it: settling an operation is guarded, it happens once.
async fn reconcile_payments(
    ctx: Context,
    after: chrono::Duration,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        match portail_service::billing::online::reconcile(&ctx, after).await {
            Ok(0) => {}
            Ok(settled) => tracing::info!(settled, "pending online payments reconciled"),
            Err(error) => {
                tracing::error!(error = ?error, "the online payment reconciliation failed")
            }
        }
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(60)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Every minute, the offers past their deadline lapse (a crèche place not answered in time goes
/// back on the waiting list; a day's place kept for a waiting child passes to the next one),
/// the family told. Every instance may run it: each lapse is a
/// guarded update, it happens once. Reads and answers also lapse them first, so nobody ever
/// sees an offer past its deadline.
async fn expire_offers(ctx: Context, mut stop: watch::Receiver<bool>) {
    loop {
        match portail_service::preregistrations::lapse_offers(&ctx).await {
            Ok(0) => {}
            Ok(lapsed) => tracing::info!(lapsed, "crèche place offers lapsed"),
            Err(error) => tracing::error!(error = ?error, "lapsing place offers failed"),
        }
        match portail_service::planning::waiting::lapse_offers(&ctx).await {
            Ok(0) => {}
            Ok(lapsed) => tracing::info!(lapsed, "kept places passed to the next waiting child"),
            Err(error) => tracing::error!(error = ?error, "lapsing kept places failed"),
        }
        // Tomorrow's appointments, reminded once each (claimed row by row: any instance).
        match portail_service::appointments::send_reminders(&ctx).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "appointment reminders queued"),
            Err(error) => tracing::error!(error = ?error, "appointment reminders failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(60)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Forgets expired idempotency keys, every hour (a plain delete: every instance may run it).
async fn purge_idempotency_keys(ctx: Context, mut stop: watch::Receiver<bool>) {
    loop {
        match portail_service::planning::purge_idempotency_keys(
            &ctx.db,
            ctx.clock.now(),
            ctx.planning.idempotency_ttl(),
        )
        .await
        {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "expired idempotency keys forgotten"),
            Err(error) => tracing::error!(error = ?error, "the idempotency key purge failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Checks once an hour whether the commune's re-verification date has come (the job itself
/// does nothing twice in a year).
async fn yearly_reverification(ctx: Context, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(error) =
            portail_service::family::dossier::run_reverification(&ctx, ctx.clock.today()).await
        {
            tracing::error!(error = ?error, "the yearly re-verification failed");
        }
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Once a day (claimed by one instance), applies the retention durations (RGPD) and writes
/// what it did in the audit log.
async fn daily_retention(
    ctx: Context,
    policy: portail_domain::rules::retention::RetentionPolicy,
    mut stop: watch::Receiver<bool>,
) {
    let mut settled = None;
    loop {
        let today = ctx.clock.today();
        if settled != Some(today) {
            let ran = once_a_day(&ctx, "retention", today, || async {
                let report = portail_service::retention::apply(&ctx, &policy).await?;
                tracing::info!(report = ?report, "retention applied");
                Ok(report.summary_fr())
            })
            .await;
            if ran.is_some() {
                settled = Some(today);
            }
        }
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(600)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Claims `job` for `day` and, when this instance gets it, runs `work` and records its outcome
/// (« échec : … » when it fails). `Some(true)`: run here; `Some(false)`: another instance had
/// it; `None`: the claim could not be read (tried again at the next tick).
async fn once_a_day<F, Fut>(
    ctx: &Context,
    job: &str,
    day: chrono::NaiveDate,
    work: F,
) -> Option<bool>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<String>>,
{
    let day = day.to_string();
    match portail_service::jobs::claim(&ctx.db, job, &day, ctx.clock.now()).await {
        Ok(true) => {}
        Ok(false) => return Some(false),
        Err(error) => {
            tracing::error!(error = ?error, job, "a daily job could not be claimed");
            return None;
        }
    }
    let outcome = match work().await {
        Ok(outcome) => outcome,
        Err(error) => {
            tracing::error!(error = ?error, job, "a daily job failed");
            format!("échec : {error:#}")
        }
    };
    portail_service::jobs::record_outcome(&ctx.db, job, &day, &outcome)
        .await
        .ok();
    Some(true)
}

/// Every five seconds, reads the signing keys again (a rotation made by `portail
/// rotate-jwt-secret` or another instance) and forgets the secrets of keys past their grace.
async fn read_signing_keys(state: web::Data<AppState>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
            _ = stop.changed() => return,
        }
        if let Err(error) = state.jwt.reload(&state.ctx.db).await {
            tracing::error!(error = ?error, "the signing keys could not be read");
        }
        if let Err(error) =
            portail_service::signing_keys::drop_expired(&state.ctx.db, state.ctx.clock.now()).await
        {
            tracing::error!(error = ?error, "the old signing keys could not be dropped");
        }
    }
}

/// Once a day, after the configured hour (Paris time), one instance backs up the data into
/// the configured folder (a temporary name renamed when complete) and keeps the most recent.
async fn daily_backup(
    ctx: Context,
    config: Arc<Config>,
    daily: crate::configuration::DailyBackup,
    mut stop: watch::Receiver<bool>,
) {
    let mut settled = None;
    loop {
        let today = ctx.clock.local_now().0;
        if settled != Some(today) && daily_backup_tick(&ctx, &config, &daily).await.is_some() {
            settled = Some(today);
        }
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(60)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Makes the day's backup if its hour has come and no instance has made it yet. `None`: not
/// its hour yet, or the claim could not be read; `Some(None)`: another instance made it (or
/// its attempt is recorded); `Some(Some(folder))`: made here.
pub async fn daily_backup_tick(
    ctx: &Context,
    config: &Config,
    daily: &crate::configuration::DailyBackup,
) -> Option<Option<std::path::PathBuf>> {
    let (today, hour) = ctx.clock.local_now();
    if hour < daily.hour {
        return None;
    }
    let mut made = None;
    let ran = once_a_day(ctx, "backup", today, || async {
        let source = portail_service::backup::Source {
            db: &ctx.db,
            database_url: config.database_url.expose_secret(),
            data_dir: &config.data_dir,
        };
        let done = portail_service::backup::daily(&source, &daily.dir, daily.keep, ctx.clock.now())
            .await?;
        tracing::info!(backup = %done.display(), "daily backup made");
        let outcome = format!("ok: {}", done.display());
        made = Some(done);
        Ok(outcome)
    })
    .await?;
    Some(if ran { made } else { None })
}

async fn forget_quiet_addresses(limiter: IpLimiter, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(60)) => limiter.forget_quiet_addresses(),
            _ = stop.changed() => return,
        }
    }
}
