//! Spawning the app and the real parts it talks to (database, SMTP server) for a test.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use portail_api::configuration::{Config, Settings};
use portail_api::startup::Application;
use sea_orm::{ConnectionTrait, Database};
use secrecy::SecretString;
use tempfile::TempDir;
use uuid::Uuid;

pub const TEST_JWT_SECRET: &str = "a-test-secret-that-is-long-enough-for-hs256-0123456789";
pub const PASSWORD: &str = "cheval agrafe batterie correcte";
/// The instant every test app's clock starts at: no test depends on the day it runs (a
/// Wednesday of a school term, 09:00 in Paris, before the 10:00 cut-offs). `API_TEST_NOW`
/// (RFC 3339) replays the suite from another instant; a test that needs another day sets
/// `test_clock` itself or moves the clock forward (`advance_clock`).
pub const TEST_NOW: &str = "2027-03-10T08:00:00Z";

/// The instant a new test app's clock starts at: `API_TEST_NOW`, or `TEST_NOW`.
pub fn test_now() -> String {
    std::env::var("API_TEST_NOW").unwrap_or_else(|_| TEST_NOW.to_owned())
}

pub struct TestApp {
    pub smtp: TestSmtp,
    pub address: String,
    pub client: reqwest::Client,
    pub database_url: String,
    pub data_dir: TempDir,
    pub static_dir: PathBuf,
    pub state: actix_web::web::Data<portail_api::state::AppState>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the request reaches the server")
    }

    /// Runs `portail seed-demo` against this app's database, as an operator would.
    pub fn seed_demo(&self) -> std::process::Output {
        let output = self.portail(&["seed-demo"]);
        assert!(
            output.status.success(),
            "seed-demo failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// Runs the real `portail` binary with this app's configuration, its clock at the app's.
    pub fn portail(&self, args: &[&str]) -> std::process::Output {
        self.portail_on(args, self.data_dir.path(), &self.database_url)
    }

    /// Runs the real `portail` binary on another data folder and database (a restore's
    /// target), its clock at this app's.
    pub fn portail_on(
        &self,
        args: &[&str],
        data_dir: &Path,
        database_url: &str,
    ) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_portail"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env(
                "PORTAIL_TEST_CLOCK",
                self.state.ctx.clock.now().to_rfc3339(),
            )
            .env("PORTAIL_DATABASE_URL", database_url)
            .env("PORTAIL_DATA_DIR", data_dir)
            .output()
            .expect("the portail binary runs")
    }

    /// A server on a data folder and a database prepared elsewhere (a restored backup), its
    /// clock at this app's instant.
    pub async fn spawn_on_data(&self, data_dir: TempDir, database_url: String) -> TestApp {
        let now = self.state.ctx.clock.now().to_rfc3339();
        let smtp = TestSmtp::start().await;
        let smtp_url = smtp.url();
        spawn_on(data_dir, database_url, smtp, &smtp_url, |settings| {
            settings.test_clock = Some(now);
        })
        .await
    }
}

impl TestApp {
    /// Waits (up to 15 s) until the outbox has nothing left to send: every e-mail written so
    /// far has been accepted by the SMTP server (or the worker is retrying a failure, which a
    /// test that stops the server waits for otherwise). After it, what the maildir holds is
    /// final: a test proving that something was *not* sent asserts after this, not after a
    /// sleep.
    pub async fn outbox_drained(&self) {
        use portail_entity::outbox_email;
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        for _ in 0..300 {
            let unsent = outbox_email::Entity::find()
                .filter(outbox_email::Column::SentAt.is_null())
                .count(&self.state.ctx.db)
                .await
                .expect("the outbox");
            if unsent == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the outbox still holds unsent e-mails after 15 s");
    }

    /// How many e-mails to `to` the outbox holds, sent or not: what the app decided to send.
    pub async fn outbox_count_to(&self, to: &str) -> u64 {
        use portail_entity::outbox_email;
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        outbox_email::Entity::find()
            .filter(outbox_email::Column::ToAddress.eq(to))
            .count(&self.state.ctx.db)
            .await
            .expect("the outbox")
    }

    /// How many messages to `to` the SMTP server received.
    pub fn received_by(&self, to: &str) -> usize {
        self.smtp
            .messages()
            .iter()
            .filter(|m| m.to.contains(to))
            .count()
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Spawns the app with settings a test may adjust (an SMTP URL, say).
pub async fn spawn_app_with(customize: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        portail_api::telemetry::init(portail_api::configuration::LogFormat::Pretty);
    }
    let data_dir = tempfile::tempdir().expect("a temporary folder");
    let database_url = fresh_database_url(data_dir.path()).await;
    let smtp = TestSmtp::start().await;
    let smtp_url = smtp.url();
    spawn_on(data_dir, database_url, smtp, &smtp_url, customize).await
}

impl TestApp {
    /// A second instance of the server on the same database, sending its e-mails to the same
    /// SMTP server: what two `portail serve` behind a load balancer are. Nothing in memory is
    /// shared with `self` (caches, writers, sessions).
    pub async fn twin(&self) -> TestApp {
        self.twin_with(|_| {}).await
    }

    /// A twin with its own settings (the same database), its clock at this app's instant.
    pub async fn twin_with(&self, customize: impl FnOnce(&mut Settings)) -> TestApp {
        let data_dir = tempfile::tempdir().expect("a temporary folder");
        let unused_smtp = TestSmtp::start().await;
        let now = self.state.ctx.clock.now().to_rfc3339();
        spawn_on(
            data_dir,
            self.database_url.clone(),
            unused_smtp,
            &self.smtp.url(),
            |settings| {
                settings.test_clock = Some(now);
                customize(settings);
            },
        )
        .await
    }
}

async fn spawn_on(
    data_dir: TempDir,
    database_url: String,
    smtp: TestSmtp,
    smtp_url: &str,
    customize: impl FnOnce(&mut Settings),
) -> TestApp {
    let static_dir = fake_spa(data_dir.path());
    let mut settings = Settings {
        data_dir: data_dir.path().to_owned(),
        database_url: Some(SecretString::from(database_url.clone())),
        bind: "127.0.0.1:0".to_owned(),
        static_dir: static_dir.clone(),
        smtp_url: Some(SecretString::from(smtp_url.to_owned())),
        jwt_secret: Some(SecretString::from(TEST_JWT_SECRET)),
        outbox_max_backoff_secs: 1,
        auth_rate_limit_per_minute: 1000,
        // Webhooks reach the tests' receivers on this machine (a test build only).
        webhooks_allow_private_network: true,
        test_clock: Some(test_now()),
        ..Settings::default()
    };
    customize(&mut settings);
    let config: Config = settings.resolve().expect("valid test settings");
    let app = Application::build(config).await.expect("the app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // Below the server's 5-second keep-alive: a pooled connection the server is closing
        // is never reused (hyper's `IncompleteMessage` after a long pause in a test).
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .cookie_store(true)
        .build()
        .expect("an HTTP client");
    TestApp {
        smtp,
        address,
        client,
        database_url,
        data_dir,
        static_dir,
        state,
    }
}

/// A stand-in for `scripts/build-frontend`'s output: the parents' index with one inline module
/// script and a loading shell, the staff's and the registration wizard's indexes, and one
/// hashed asset.
fn fake_spa(root: &Path) -> PathBuf {
    let dir = root.join("dist");
    std::fs::create_dir_all(dir.join("staff")).expect("dist folders");
    std::fs::create_dir_all(dir.join("inscription-app")).expect("dist folders");
    std::fs::write(
        dir.join("inscription-app/index.html"),
        "<!doctype html><html lang=fr><title>Créer mon compte — Portail Famille</title>\
         <script type=module>import init from '/inscription-app/app-0123456789abcdef.js';await init();</script>\
         <body><span class=site-header__commune data-commune></span></body></html>",
    )
    .expect("inscription-app/index.html");
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><html lang=fr><title>Portail Famille</title>\
         <script type=module>import init from '/app-0123456789abcdef.js';await init();</script>\
         <body><span class=site-header__commune data-commune></span></body></html>",
    )
    .expect("index.html");
    std::fs::write(
        dir.join("staff/index.html"),
        "<!doctype html><html lang=fr><title>Portail Famille — espace du personnel</title>\
         <script type=module>import init from '/staff/app-0123456789abcdef.js';await init();</script>\
         <body></body></html>",
    )
    .expect("staff/index.html");
    std::fs::write(
        dir.join("app-0123456789abcdef.js"),
        "export default async function init() {}",
    )
    .expect("asset");
    dir
}

/// SQLite in the test's folder, or a brand-new PostgreSQL database on the server named by
/// `PORTAIL_TEST_DATABASE_URL` (which must allow `CREATE DATABASE`).
pub async fn fresh_database_url(dir: &Path) -> String {
    match std::env::var("PORTAIL_TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => {
            let name = format!("portail_test_{}", Uuid::new_v4().simple());
            let admin = Database::connect(server.as_str())
                .await
                .expect("PORTAIL_TEST_DATABASE_URL reaches a PostgreSQL server");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("CREATE DATABASE");
            admin.close().await.ok();
            with_database_name(&server, &name)
        }
        _ => format!("sqlite://{}?mode=rwc", dir.join("portail.db").display()),
    }
}

fn with_database_name(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server_url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// A real SMTP server (Python's aiosmtpd) that stores what it receives in a maildir.
pub struct TestSmtp {
    pub port: u16,
    maildir: TempDir,
    process: Option<Child>,
}

impl TestSmtp {
    pub async fn start() -> Self {
        let port = free_port();
        let maildir = tempfile::tempdir().expect("maildir");
        let mut smtp = Self {
            port,
            maildir,
            process: None,
        };
        smtp.restart().await;
        smtp
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.process.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }

    /// Starts (again) on the same port and maildir, and waits until it accepts connections.
    pub async fn restart(&mut self) {
        self.stop();
        let python = std::env::var("PORTAIL_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.maildir.path().join("maildir"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start aiosmtpd with {python} ({e}): run scripts/bootstrap and set PORTAIL_TEST_PYTHON")
            });
        self.process = Some(child);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "aiosmtpd did not start on port {} (is aiosmtpd installed for {python}?)",
            self.port
        );
    }

    /// The messages received so far, oldest first.
    pub fn messages(&self) -> Vec<ReceivedEmail> {
        let dir = self.maildir.path().join("maildir").join("new");
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort_by_key(|path| std::fs::metadata(path).and_then(|m| m.modified()).ok());
        entries
            .iter()
            .map(|path| ReceivedEmail::parse(&std::fs::read(path).expect("a stored message")))
            .collect()
    }

    /// Waits (up to 15 s) for a message to `to`, and returns it.
    pub async fn wait_for(&self, to: &str) -> ReceivedEmail {
        for _ in 0..300 {
            if let Some(found) = self.messages().into_iter().find(|m| m.to.contains(to)) {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "no e-mail to {to} arrived; received: {:?}",
            self.messages()
                .iter()
                .map(|m| (&m.to, &m.subject))
                .collect::<Vec<_>>()
        );
    }
}

impl Drop for TestSmtp {
    fn drop(&mut self) {
        self.stop();
    }
}

#[derive(Debug, Clone)]
pub struct ReceivedEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

impl ReceivedEmail {
    fn parse(raw: &[u8]) -> Self {
        let parsed = mailparse::parse_mail(raw).expect("a well-formed message");
        let header = |name: &str| {
            parsed
                .headers
                .iter()
                .find(|h| h.get_key().eq_ignore_ascii_case(name))
                .map(|h| h.get_value())
                .unwrap_or_default()
        };
        let mut text = String::new();
        let mut html = None;
        let mut parts = vec![&parsed];
        while let Some(part) = parts.pop() {
            if part.subparts.is_empty() {
                let body = part.get_body().unwrap_or_default();
                if part.ctype.mimetype == "text/html" {
                    html = Some(body);
                } else if part.ctype.mimetype == "text/plain" {
                    text = body;
                }
            } else {
                parts.extend(part.subparts.iter());
            }
        }
        Self {
            to: header("To"),
            subject: header("Subject"),
            text,
            html,
        }
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Reads a problem+json body as the domain's `Problem`, checking the content type.
pub async fn problem(response: reqwest::Response) -> portail_domain::api::Problem {
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body = response.text().await.expect("a body");
    serde_json::from_str(&body).unwrap_or_else(|error| panic!("not a problem ({error}): {body}"))
}

#[test]
fn a_database_name_replaces_the_one_in_the_server_url() {
    assert_eq!(
        with_database_name("postgres://u:p@localhost:5432/postgres", "t1"),
        "postgres://u:p@localhost:5432/t1"
    );
    assert_eq!(
        with_database_name("postgres://u:p@localhost", "t1"),
        "postgres://u:p@localhost/t1"
    );
    assert_eq!(
        with_database_name("postgres://u@h/db?sslmode=disable", "t1"),
        "postgres://u@h/t1?sslmode=disable"
    );
}
