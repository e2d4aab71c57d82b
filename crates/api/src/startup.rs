//! Building and running the server; shared by `portail serve` and the API tests.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Compress, DefaultHeaders, Next, from_fn};
use actix_web::{App, HttpMessage as _, HttpServer, web};
use anyhow::Context as _;
use portail_service::Context;
use portail_service::clock::Clock;
use portail_service::family::documents::DocumentStore;
use portail_service::mailer::Mailer;
use portail_service::outbox::{OutboxSignal, OutboxWorker};
use secrecy::ExposeSecret;
use tokio::sync::watch;
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa::OpenApi as _;
use utoipa_actix_web::AppExt as _;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::jwt::JwtKeys;
use crate::auth::rate_limit::IpLimiter;
use crate::configuration::Config;
use crate::openapi::{self, ApiDoc};
use crate::state::AppState;
use crate::{error, spa};

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
    stop_workers: watch::Sender<bool>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Application {
    /// Opens and migrates the database, binds the port (0 picks a free one) and prepares the
    /// server; nothing is served until [`Application::run_until_stopped`].
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = portail_service::db::connect(config.database_url.expose_secret()).await?;
        portail_service::db::migrate(&db).await?;
        let mailer = Mailer::new(
            config.smtp_url.as_ref().map(|url| url.expose_secret()),
            &config.outbox_dir,
            &config.mail_from,
        )?;
        tracing::info!(mail = %mailer.describe(), "e-mails will be sent this way");
        let listener = TcpListener::bind(&config.bind)
            .with_context(|| format!("impossible d'écouter sur {} (PORTAIL_BIND)", config.bind))?;
        let port = listener.local_addr()?.port();
        let ctx = build_context(&config, db.clone())?;
        let clock = ctx.clock.clone();
        let outbox = ctx.outbox.clone();
        anyhow::ensure!(
            !config.webhooks_allow_private_network || ACCEPTS_TEST_CLOCK,
            "PORTAIL_WEBHOOKS_ALLOW_PRIVATE_NETWORK est réservé aux tests : ce programme est une version de production, dont les webhooks ne partent que vers des adresses publiques en https. Retirez cette variable."
        );
        let jwt_secret = config.jwt_secret()?;
        // The document, built once: the route table and the served copy come from it.
        let spec = openapi::spec();
        let state = web::Data::new(AppState {
            jwt: JwtKeys::new(&jwt_secret),
            api_keys: portail_service::integrations::api_keys::KeyHasher::derive(
                jwt_secret.expose_secret().as_bytes(),
            ),
            webhooks: portail_service::integrations::webhooks::Delivery::new(
                config.webhooks_allow_private_network,
            )?,
            ip_limiter: IpLimiter::per_minute(
                config.auth_rate_limit_per_minute,
                config.trusted_proxies.clone(),
            ),
            ctx,
            metrics: crate::metrics::Metrics::new(),
            routes: Arc::new(crate::route_table::RouteTable::from_spec(&spec)),
            lifecycle: Arc::default(),
            config: Arc::new(config),
        });
        state
            .jwt
            .reload(&state.ctx.db)
            .await
            .context("impossible de lire les clés de signature")?;
        let (stop_workers, stopped) = watch::channel(false);
        let worker = OutboxWorker {
            db,
            mailer,
            clock,
            signal: outbox,
            max_backoff: state.config.outbox_max_backoff,
            poll_every: std::time::Duration::from_secs(1),
        };
        // The booking writers belong to the application, not to the request that first needs
        // them: started here, drained in `run_until_stopped`.
        state.ctx.planning.writer.start();
        let workers = crate::workers::spawn_all(&state, worker, stopped);
        let server = run(listener, state.clone(), spec)?;
        Ok(Self {
            port,
            server,
            state,
            stop_workers,
            workers,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Serves until SIGINT or SIGTERM, then drains: new requests get a 503 and
    /// `/health/ready` says no while the requests in flight finish (`PORTAIL_SHUTDOWN_TIMEOUT_SECS`
    /// at most); then commits the recaps still queued and stops the background workers.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let lifecycle = self.state.lifecycle.clone();
        let bound = self.state.config.shutdown_timeout;
        let on_signal = tokio::spawn(async move {
            stop_signal().await;
            tracing::info!(
                in_flight = lifecycle.in_flight(),
                "stopping: new requests are refused, those in flight finish"
            );
            lifecycle.start_draining();
            if !lifecycle.drained(bound).await {
                tracing::warn!(
                    in_flight = lifecycle.in_flight(),
                    "requests still in flight at the shutdown bound"
                );
            }
            handle.stop(true).await;
        });
        let served = self.server.await;
        on_signal.abort();
        // The HTTP server has drained: every recap still queued is committed (its caller may
        // be gone; a retry with its key gets the answer), any later one is refused.
        self.state.ctx.planning.writer.shutdown().await;
        self.stop_workers.send(true).ok();
        for worker in self.workers {
            worker.await.ok();
        }
        served
    }
}

fn run(
    listener: TcpListener,
    state: web::Data<AppState>,
    spec: utoipa::openapi::OpenApi,
) -> anyhow::Result<Server> {
    let static_dir = state.config.static_dir.clone();
    let spa_built = static_dir.join("index.html").is_file();
    let shutdown_secs = state.config.shutdown_timeout.as_secs();
    let hsts = state.config.secure_cookies();
    if !spa_built {
        tracing::warn!(
            static_dir = %static_dir.display(),
            "the web app is not built: pages will say so (run `scripts/build-frontend`)"
        );
    }
    let server = HttpServer::new(move || {
        let (app, _) = App::new()
            .into_utoipa_app()
            .openapi(ApiDoc::openapi())
            .app_data(state.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(256 * 1024)
                    .error_handler(error::extractor::json),
            )
            .app_data(web::QueryConfig::default().error_handler(error::extractor::query))
            .app_data(web::PathConfig::default().error_handler(error::extractor::path))
            .service(openapi::api_v1_scope())
            .split_for_parts();
        app.wrap(from_fn(cache_control))
            .wrap(from_fn(request_id_header))
            .wrap(security_headers(hsts))
            .wrap(Compress::default())
            .wrap(from_fn(crate::observe::observe))
            .wrap(TracingLogger::default())
            .service(crate::routes::health::live)
            .service(crate::routes::health::ready)
            .service(crate::routes::health::metrics)
            .service(
                web::resource([
                    "/mentions-legales",
                    "/donnees-personnelles",
                    "/accessibilite",
                ])
                .route(web::get().to(crate::routes::legal::legal_html)),
            )
            .service(web::redirect("/api/docs", "/api/docs/"))
            .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", spec.clone()))
            .service(web::scope("/api").default_service(web::to(spa::api_not_found)))
            .service(web::resource(["/", "/index.html"]).route(web::get().to(spa::index)))
            .configure(|cfg| {
                // The FAKE payment provider's page, only when it is the one configured.
                if state.ctx.payments == portail_service::billing::online::Provider::Fake {
                    cfg.route(
                        "/paiement-fictif.css",
                        web::get().to(crate::routes::payments::fake_css),
                    )
                    .service(
                        web::resource("/paiement-fictif/{operation}")
                            .route(web::get().to(crate::routes::payments::fake_page))
                            .route(web::post().to(crate::routes::payments::fake_choose)),
                    );
                }
            })
            .configure(|cfg| {
                if spa_built {
                    cfg.service(
                        web::scope("")
                            .wrap(from_fn(spa::precompressed))
                            .service(spa::files(static_dir.clone())),
                    );
                }
            })
            .default_service(web::to(spa::index))
    })
    .listen(listener)?
    // Signals are ours (`run_until_stopped`): drain first, then stop.
    .disable_signals()
    .shutdown_timeout(shutdown_secs)
    .run();
    Ok(server)
}

/// SIGTERM (systemd, a container's stop) or SIGINT (Ctrl-C).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(error) => {
                tracing::warn!(error = %error, "SIGTERM cannot be awaited; Ctrl-C only");
                tokio::signal::ctrl_c().await.ok();
            }
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await.ok();
}

/// Whether this build accepts `PORTAIL_TEST_CLOCK`: debug builds (tests, end-to-end runs)
/// and builds with the `test-clock` feature; never a release build used in production.
pub const ACCEPTS_TEST_CLOCK: bool = cfg!(any(debug_assertions, feature = "test-clock"));

/// The clock of the server: the system's, or a shifted one when `PORTAIL_TEST_CLOCK` is set in
/// a build that accepts it (else the server refuses to start, saying why).
pub fn clock_for(
    test_clock: Option<chrono::DateTime<chrono::Utc>>,
    accepts_test_clock: bool,
) -> anyhow::Result<Clock> {
    match test_clock {
        Some(start) => {
            anyhow::ensure!(
                accepts_test_clock,
                "PORTAIL_TEST_CLOCK est réservé aux tests : ce programme est une version de production, qui ne décale pas son horloge. Retirez cette variable."
            );
            tracing::warn!(start = %start, "PORTAIL_TEST_CLOCK is set: the server's clock is shifted (tests only, never in production)");
            Ok(Clock::starting_at(start))
        }
        None => Ok(Clock::system()),
    }
}

/// The context the use-cases take, for the server and the command line alike.
pub fn build_context(
    config: &Config,
    db: portail_service::db::Connection,
) -> anyhow::Result<Context> {
    let clock = clock_for(config.test_clock, ACCEPTS_TEST_CLOCK)?;
    Ok(Context::new(
        db,
        config.password_hasher(),
        clock,
        OutboxSignal::default(),
        config.public_url.clone(),
        DocumentStore::new(config.data_dir.join("documents"))?,
    )
    .with_idempotency_ttl(config.idempotency_ttl)
    .with_payments(config.payment_provider.clone()))
}

/// `hsts`: the public address is https (`PORTAIL_PUBLIC_URL`): browsers are told to come
/// back only over https for a year (the reverse proxy terminates TLS; docs/operations.md).
fn security_headers(hsts: bool) -> DefaultHeaders {
    let headers = if hsts {
        DefaultHeaders::new().add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"))
    } else {
        DefaultHeaders::new()
    };
    headers
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=()",
        ))
}

/// API answers are personal: never stored by a browser or a proxy. SPA assets: see
/// [`spa::cache_control_for`].
async fn cache_control(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let value = if req.path().starts_with("/api/") {
        HeaderValue::from_static("no-store")
    } else {
        spa::cache_control_for(req.path())
    };
    let mut response = next.call(req).await?;
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    Ok(response)
}

/// Gives the caller the id that the logs carry for this request.
async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().copied();
    let mut response = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id.to_string()).ok()) {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_production_build_refuses_to_start_with_a_test_clock_and_says_why() {
        let start = chrono::DateTime::parse_from_rfc3339("2027-07-05T06:00:00Z")
            .expect("valid")
            .with_timezone(&chrono::Utc);
        let error = clock_for(Some(start), false)
            .err()
            .expect("refused")
            .to_string();
        assert!(error.contains("PORTAIL_TEST_CLOCK"), "{error}");
        assert!(error.contains("production"), "{error}");
        assert!(clock_for(None, false).is_ok_and(|c| !c.is_shifted()));
        assert!(clock_for(Some(start), true).is_ok_and(|c| c.is_shifted()));
        // The tests and end-to-end runs use debug builds, which accept it.
        const { assert!(ACCEPTS_TEST_CLOCK) };
    }
}
