//! Starts `portail serve` on a fresh database, seeds the demo commune and N validated
//! families (bulk path: `portail seed-bench-families`, one transaction, one password hash),
//! logs them in through the API, and opens a dedicated unit with 5 bookable days.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail, ensure};
use chrono::NaiveDate;
use futures_util::StreamExt as _;
use portail_domain::ServiceCode;
use portail_domain::api::{
    CapacityRequest, LoginRequest, PlanningResponse, SessionResponse, UnitRequest, UnitResponse,
};
use serde::Deserialize;
use uuid::Uuid;

pub const PASSWORD: &str = "banc d'essai du lundi matin";

pub struct BenchServer {
    pub base_url: String,
    /// One address per `portail serve` process (the first is `base_url`).
    pub base_urls: Vec<String>,
    pub client: reqwest::Client,
    children: Vec<Child>,
    pub data_dir: PathBuf,
    database_url: Option<String>,
    smtp_url: Option<String>,
    jwt_secret: String,
    admin_password: String,
    binary: PathBuf,
    /// `--clock`: the instant the servers' clocks read when the bench started, and when.
    clock: Option<(chrono::DateTime<chrono::Utc>, Instant)>,
}

pub struct Family {
    pub email: String,
    pub token: String,
    pub child_id: Uuid,
}

pub struct Setup {
    pub families: Vec<Family>,
    pub admin_token: String,
    pub unit_id: Uuid,
    /// Five bookable days on `unit_id`.
    pub dates: Vec<NaiveDate>,
    pub month: String,
}

#[derive(Deserialize)]
struct SeededFamily {
    email: String,
    child_id: Uuid,
}

impl BenchServer {
    /// Starts `instances` processes of `portail serve` on one database (one data folder, one
    /// JWT secret), one after the other.
    pub async fn start(
        binary: Option<PathBuf>,
        database_url: Option<String>,
        instances: usize,
        smtp_url: Option<String>,
        clock: Option<chrono::DateTime<chrono::Utc>>,
    ) -> anyhow::Result<Self> {
        let binary = match binary {
            Some(path) => path,
            None => std::env::current_exe()?
                .parent()
                .context("the bench binary has no folder")?
                .join("portail"),
        };
        ensure!(
            binary.exists(),
            "{} introuvable : cargo build --release -p portail-api -p portail-bench",
            binary.display()
        );
        let data_dir = std::env::temp_dir().join(format!("portail-bench-{}", std::process::id()));
        std::fs::create_dir_all(&data_dir)?;
        let ports = (0..instances.max(1))
            .map(|_| Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port()))
            .collect::<anyhow::Result<Vec<u16>>>()?;
        let base_urls: Vec<String> = ports
            .iter()
            .map(|p| format!("http://127.0.0.1:{p}"))
            .collect();
        let mut server = Self {
            base_url: base_urls[0].clone(),
            base_urls,
            client: reqwest::Client::builder()
                .pool_max_idle_per_host(1024)
                .timeout(Duration::from_secs(60))
                .build()?,
            children: Vec::new(),
            data_dir,
            database_url,
            smtp_url,
            jwt_secret: format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple()),
            admin_password: String::new(),
            binary,
            clock: clock.map(|start| (start, Instant::now())),
        };
        let seeded = server.cli(&["seed-demo"])?;
        server.admin_password = seeded
            .lines()
            .find(|l| l.starts_with("Administrateur de démonstration"))
            .and_then(|l| l.rsplit(" : ").next())
            .context("seed-demo did not print the admin password (database not fresh?)")?
            .trim()
            .to_owned();
        for (i, port) in ports.iter().enumerate() {
            let mut serve = server.command();
            serve
                .arg("serve")
                .env("PORTAIL_BIND", format!("127.0.0.1:{port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::inherit());
            server
                .children
                .push(serve.spawn().context("failed to start portail serve")?);
            server.wait_healthy(i).await?;
        }
        Ok(server)
    }

    /// `kill -9` one process: no shutdown, no drain, whatever it was doing is cut.
    pub fn kill(&mut self, instance: usize) -> anyhow::Result<()> {
        let child = self
            .children
            .get_mut(instance)
            .context("no such instance")?;
        child.kill().context("SIGKILL")?;
        child.wait()?;
        Ok(())
    }

    /// Starts a killed process again, on its port and its database; waits until it answers.
    pub async fn restart(&mut self, instance: usize) -> anyhow::Result<()> {
        let port = self.base_urls[instance]
            .rsplit(':')
            .next()
            .context("no port")?
            .to_owned();
        let mut serve = self.command();
        serve
            .arg("serve")
            .env("PORTAIL_BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        self.children[instance] = serve.spawn().context("failed to start portail serve")?;
        self.wait_healthy(instance).await
    }

    /// The process id of one `portail serve` (to read its memory).
    pub fn pid(&self, instance: usize) -> Option<u32> {
        self.children.get(instance).map(Child::id)
    }

    pub fn database_label(&self) -> &'static str {
        if self.database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .env("PORTAIL_DATA_DIR", &self.data_dir)
            .env("PORTAIL_PUBLIC_URL", &self.base_url)
            // Every family logs in from 127.0.0.1: lift the per-IP limit of the auth routes.
            .env("PORTAIL_AUTH_RATE_LIMIT_PER_MINUTE", "100000000")
            .env("RUST_LOG", "warn")
            .env("PORTAIL_JWT_SECRET", &self.jwt_secret);
        // With `--clock` (a debug build: the tests), every process reads the same instant.
        match self.now() {
            Some(now) => command.env("PORTAIL_TEST_CLOCK", now.to_rfc3339()),
            None => command.env_remove("PORTAIL_TEST_CLOCK"),
        };
        match &self.smtp_url {
            Some(url) => command.env("PORTAIL_SMTP_URL", url),
            None => command.env_remove("PORTAIL_SMTP_URL"),
        };
        match &self.database_url {
            Some(url) => command.env("PORTAIL_DATABASE_URL", url),
            None => command.env_remove("PORTAIL_DATABASE_URL"),
        };
        command
    }

    /// The servers' instant with `--clock`: its start plus the time since the bench began.
    fn now(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.clock.map(|(start, began)| {
            start + chrono::Duration::from_std(began.elapsed()).unwrap_or_default()
        })
    }

    /// The servers' « today » in Paris: with `--clock`, its day; otherwise the machine's (a
    /// release benchmark measures a real server on the real clock). Either way the bench books
    /// only days the API says are bookable.
    pub fn today(&self) -> NaiveDate {
        let now = self.now().unwrap_or_else(chrono::Utc::now); // real-date-ok: release benchmarks run on the real clock
        now.with_timezone(&chrono_tz::Europe::Paris).date_naive()
    }

    pub fn cli(&self, args: &[&str]) -> anyhow::Result<String> {
        let output = self
            .command()
            .args(args)
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("failed to run portail {}", args.join(" ")))?;
        ensure!(output.status.success(), "portail {} failed", args.join(" "));
        Ok(String::from_utf8(output.stdout)?)
    }

    async fn wait_healthy(&mut self, instance: usize) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Some(status) = self.children[instance].try_wait()? {
                bail!("portail serve exited: {status}");
            }
            let health = self
                .client
                .get(format!("{}/api/v1/health", self.base_urls[instance]))
                .send()
                .await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("portail serve did not answer within 30 s")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The address of `path` on instance `i` (round robin over the processes).
    pub fn url_on(&self, i: usize, path: &str) -> String {
        format!("{}{path}", self.base_urls[i % self.base_urls.len()])
    }

    pub async fn login(&self, path: &str, email: &str, password: &str) -> anyhow::Result<String> {
        let response = self
            .client
            .post(self.url(path))
            .json(&LoginRequest {
                email: email.to_owned(),
                password: password.to_owned(),
                remember_me: false,
            })
            .send()
            .await?;
        ensure!(
            response.status().is_success(),
            "login of {email} answered {}",
            response.status()
        );
        Ok(response.json::<SessionResponse>().await?.access_token)
    }
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Seeds the families, logs them in (4 at a time: each login is an argon2 verification), and
/// opens the benchmark's unit.
pub async fn prepare(server: &BenchServer, count: usize) -> anyhow::Result<Setup> {
    let seeded: Vec<SeededFamily> = serde_json::from_str(
        server
            .cli(&[
                "seed-bench-families",
                "--count",
                &count.to_string(),
                "--prefix",
                "banc",
                "--password",
                PASSWORD,
            ])?
            .trim(),
    )
    .context("seed-bench-families printed no JSON")?;
    let started = Instant::now();
    let mut families = Vec::with_capacity(seeded.len());
    let mut logins = futures_util::stream::iter(seeded.iter().map(|f| async {
        let token = server
            .login("/api/v1/auth/login", &f.email, PASSWORD)
            .await?;
        anyhow::Ok(Family {
            email: f.email.clone(),
            token,
            child_id: f.child_id,
        })
    }))
    .buffered(4);
    while let Some(family) = logins.next().await {
        families.push(family?);
    }
    println!(
        "{} connexions de familles en {:.1} s (argon2id, hors mesure)",
        families.len(),
        started.elapsed().as_secs_f64()
    );
    let admin_token = server
        .login(
            "/api/v1/staff/auth/login",
            "admin@avermes.example",
            &server.admin_password,
        )
        .await?;
    let unit: UnitResponse = server
        .client
        .post(server.url("/api/v1/staff/units"))
        .bearer_auth(&admin_token)
        .json(&UnitRequest {
            service: ServiceCode::Alja,
            name: "Banc d'essai".to_owned(),
            default_capacity: 40,
            price_cents: Some(1000),
            position: 99,
            starts_at: None,
            ends_at: None,
        })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let first = families.first().context("no family")?;
    // Five bookable days of the demo's ALJA period (open now), a few weeks ahead.
    let today = server.today();
    let mut dates = Vec::new();
    let mut month_of_dates = String::new();
    for ahead in [21_i64, 52, 83] {
        let month = (today + chrono::Duration::days(ahead))
            .format("%Y-%m")
            .to_string();
        let planning: PlanningResponse = server
            .client
            .get(server.url("/api/v1/planning"))
            .bearer_auth(&first.token)
            .query(&[
                ("child_id", first.child_id.to_string()),
                ("service", "alja".to_owned()),
                ("month", month.clone()),
            ])
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let bookable = planning
            .days
            .iter()
            .filter(|d| d.cells.iter().any(|c| c.unit_id == unit.id && c.can_book));
        dates = bookable.map(|d| d.date).take(5).collect();
        if dates.len() == 5 {
            month_of_dates = month;
            break;
        }
    }
    ensure!(
        dates.len() == 5,
        "no month with 5 bookable days in the demo's ALJA period"
    );
    Ok(Setup {
        families,
        admin_token,
        unit_id: unit.id,
        dates,
        month: month_of_dates,
    })
}

/// Sets the capacity of the benchmark's unit for each of its days.
pub async fn set_capacity(
    server: &BenchServer,
    setup: &Setup,
    capacity: u32,
) -> anyhow::Result<()> {
    for date in &setup.dates {
        server
            .client
            .put(server.url(&format!("/api/v1/staff/units/{}/capacity", setup.unit_id)))
            .bearer_auth(&setup.admin_token)
            .json(&CapacityRequest {
                date: *date,
                capacity,
            })
            .send()
            .await?
            .error_for_status()?;
    }
    Ok(())
}

/// The attendance sheet of the benchmark's unit for a day, as the admin reads it.
pub async fn sheet(
    server: &BenchServer,
    setup: &Setup,
    date: NaiveDate,
) -> anyhow::Result<portail_domain::api::AttendanceResponse> {
    Ok(server
        .client
        .get(server.url("/api/v1/staff/attendance"))
        .bearer_auth(&setup.admin_token)
        .query(&[
            ("unit_id", setup.unit_id.to_string()),
            ("date", date.to_string()),
        ])
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?)
}
