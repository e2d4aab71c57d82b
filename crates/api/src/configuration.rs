//! Typed settings: defaults, then an optional TOML file (`PORTAIL_CONFIG`), then `PORTAIL_*`
//! environment variables. Secrets stay in `SecretString` and never reach a log line.

use std::path::{Path, PathBuf};

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Toml};
use portail_domain::rules::retention::RetentionPolicy;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// What the operator may set. Every field has a default; see the README for the variables.
#[derive(Debug, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `PORTAIL_DATA_DIR`: the SQLite file, the generated JWT secret and the e-mail outbox.
    pub data_dir: PathBuf,
    /// `PORTAIL_DATABASE_URL`: `sqlite://…` or `postgres://…`; default: SQLite under `data_dir`.
    pub database_url: Option<SecretString>,
    /// `PORTAIL_BIND`: the address the server listens on.
    pub bind: String,
    /// `PORTAIL_PUBLIC_URL`: the address parents use, for the links in e-mails.
    pub public_url: Option<String>,
    /// `PORTAIL_SMTP_URL`: unset, e-mails are written as `.eml` files under `data_dir/outbox`.
    pub smtp_url: Option<SecretString>,
    /// `PORTAIL_MAIL_FROM`: the sender of the portal's e-mails.
    pub mail_from: String,
    /// `PORTAIL_JWT_SECRET`: unset, one is generated on first run and kept under `data_dir`.
    pub jwt_secret: Option<SecretString>,
    /// `PORTAIL_STATIC_DIR`: the built SPA (Trunk's output).
    pub static_dir: PathBuf,
    /// `PORTAIL_LOG_FORMAT`: `pretty` (default) or `json`.
    pub log_format: LogFormat,
    /// `PORTAIL_AUTH_RATE_LIMIT_PER_MINUTE`: requests a minute from one address to the
    /// endpoints that need no account (login, registration, password reset…).
    pub auth_rate_limit_per_minute: u32,
    /// `PORTAIL_TRUST_FORWARDED_FOR`: a reverse proxy on this machine (loopback) adds
    /// `X-Forwarded-For`: the same as `PORTAIL_TRUSTED_PROXIES=127.0.0.1,::1`.
    pub trust_forwarded_for: bool,
    /// `PORTAIL_TRUSTED_PROXIES`: the reverse proxies (addresses or networks, separated by
    /// commas) whose `X-Forwarded-For` entries are believed; the client's address is the
    /// right-most entry that is not one of them. Empty: the header is ignored.
    pub trusted_proxies: String,
    /// `PORTAIL_OUTBOX_MAX_BACKOFF_SECS`: the longest wait between two attempts at an e-mail.
    pub outbox_max_backoff_secs: u64,
    /// `PORTAIL_TEST_CLOCK`: FOR TESTS ONLY — start the server's clock at this RFC 3339 instant.
    /// A release build refuses to start with it (see `startup::ACCEPTS_TEST_CLOCK`).
    pub test_clock: Option<String>,
    /// `PORTAIL_IDEMPOTENCY_TTL_HOURS`: how long a recap's `Idempotency-Key` is remembered.
    pub idempotency_ttl_hours: u32,
    /// `PORTAIL_PASSWORD_HASHES_IN_FLIGHT`: argon2 computations at once (19 MiB each); default
    /// two per core, at most 16. Beyond, callers wait up to `PORTAIL_PASSWORD_HASH_WAIT_MS`,
    /// then get a 503.
    pub password_hashes_in_flight: Option<usize>,
    pub password_hash_wait_ms: u64,
    /// `PORTAIL_PAYMENT_PROVIDER`: `off` (default) or `fake` (the FAKE provider of the demo
    /// and the tests; never in production).
    pub payment_provider: String,
    /// `PORTAIL_PAYMENT_RECONCILE_MINUTES`: online payments still pending after this long are
    /// asked about (their notification was lost or late).
    pub payment_reconcile_minutes: u32,
    /// `PORTAIL_PAYFIP_NUMCLI`, `PORTAIL_PAYFIP_MODE` (`T`, `X`, `W`),
    /// `PORTAIL_PAYFIP_SERVICE_URL`, `PORTAIL_PAYFIP_PAGE_URL`: PayFiP, when it is the provider.
    pub payfip_numcli: String,
    pub payfip_mode: String,
    pub payfip_service_url: String,
    pub payfip_page_url: String,
    /// `PORTAIL_API_KEY_RATE_LIMIT_PER_MINUTE`: calls a minute with one API key, counted by
    /// every instance together.
    pub api_key_rate_limit_per_minute: u32,
    /// `PORTAIL_WEBHOOKS_ALLOW_PRIVATE_NETWORK`: FOR TESTS ONLY — webhooks may go to
    /// `http://localhost` and private addresses. A release build refuses to start with it.
    pub webhooks_allow_private_network: bool,
    /// `PORTAIL_METRICS_TOKEN`: the bearer token `/metrics` asks for (unset: no `/metrics`).
    pub metrics_token: Option<SecretString>,
    /// `PORTAIL_SHUTDOWN_TIMEOUT_SECS`: after SIGTERM, how long requests in flight may take
    /// to finish (new ones get a 503) before the process stops anyway.
    pub shutdown_timeout_secs: u64,
    /// `PORTAIL_RETENTION_*`: how long data is kept (RGPD); defaults and reasons in
    /// docs/operations.md and `portail_domain::rules::retention`.
    pub retention_inactive_family_years: u32,
    pub retention_document_months: u32,
    pub retention_accounting_years: u32,
    pub retention_audit_years: u32,
    pub retention_unconfirmed_days: u32,
    pub retention_message_months: u32,
    /// `PORTAIL_BACKUP_DIR`: where the daily backup goes (unset: no automatic backup).
    pub backup_dir: Option<PathBuf>,
    /// `PORTAIL_BACKUP_HOUR`: the hour (0–23, Paris time) after which the day's backup is made.
    pub backup_hour: u32,
    /// `PORTAIL_BACKUP_KEEP`: how many daily backups are kept (the oldest are removed).
    pub backup_keep: usize,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            database_url: None,
            bind: "127.0.0.1:8080".to_owned(),
            public_url: None,
            smtp_url: None,
            mail_from: "Portail Famille <ne-pas-repondre@portail-famille.example>".to_owned(),
            jwt_secret: None,
            static_dir: PathBuf::from("frontend/dist"),
            log_format: LogFormat::Pretty,
            auth_rate_limit_per_minute: 30,
            trust_forwarded_for: false,
            trusted_proxies: String::new(),
            outbox_max_backoff_secs: 300,
            test_clock: None,
            idempotency_ttl_hours: 24,
            password_hashes_in_flight: None,
            password_hash_wait_ms: 5000,
            payment_provider: String::new(),
            payment_reconcile_minutes: 15,
            payfip_numcli: String::new(),
            payfip_mode: "T".to_owned(),
            payfip_service_url: portail_service::billing::payfip::SERVICE_URL.to_owned(),
            payfip_page_url: portail_service::billing::payfip::PAGE_URL.to_owned(),
            api_key_rate_limit_per_minute: 600,
            webhooks_allow_private_network: false,
            metrics_token: None,
            shutdown_timeout_secs: 10,
            retention_inactive_family_years: RetentionPolicy::default().inactive_family_years,
            retention_document_months: RetentionPolicy::default().document_months,
            retention_accounting_years: RetentionPolicy::default().accounting_years,
            retention_audit_years: RetentionPolicy::default().audit_years,
            retention_unconfirmed_days: RetentionPolicy::default().unconfirmed_days,
            retention_message_months: RetentionPolicy::default().message_months,
            backup_dir: None,
            backup_hour: 2,
            backup_keep: 7,
        }
    }
}

impl Settings {
    /// Reads the settings from the environment (and the file it names).
    pub fn load() -> anyhow::Result<Self> {
        let mut figment = Figment::new();
        if let Ok(path) = std::env::var("PORTAIL_CONFIG") {
            anyhow::ensure!(
                Path::new(&path).is_file(),
                "PORTAIL_CONFIG désigne «\u{a0}{path}\u{a0}», qui n'est pas un fichier lisible"
            );
            figment = figment.merge(Toml::file(path));
        }
        figment
            .merge(Env::prefixed("PORTAIL_").ignore(&["config"]))
            .extract()
            .context("la configuration est invalide")
    }

    /// Fills in the derived defaults and resolves the secrets.
    pub fn resolve(self) -> anyhow::Result<Config> {
        let database_url = match self.database_url {
            Some(url) => url,
            None => {
                std::fs::create_dir_all(&self.data_dir).with_context(|| {
                    format!("impossible de créer le dossier {}", self.data_dir.display())
                })?;
                SecretString::from(format!(
                    "sqlite://{}?mode=rwc",
                    self.data_dir.join("portail.db").display()
                ))
            }
        };
        let public_url = self
            .public_url
            .unwrap_or_else(|| format!("http://{}", self.bind))
            .trim_end_matches('/')
            .to_owned();
        anyhow::ensure!(
            public_url.starts_with("http://") || public_url.starts_with("https://"),
            "PORTAIL_PUBLIC_URL doit commencer par http:// ou https:// (reçu : «\u{a0}{public_url}\u{a0}»)"
        );
        let test_clock = self
            .test_clock
            .filter(|raw| !raw.trim().is_empty())
            .map(|raw| {
                chrono::DateTime::parse_from_rfc3339(raw.trim())
                    .map(|t| t.with_timezone(&chrono::Utc))
                    .with_context(|| {
                        format!("PORTAIL_TEST_CLOCK doit être une date RFC 3339 (reçu : «\u{a0}{raw}\u{a0}»)")
                    })
            })
            .transpose()?;
        anyhow::ensure!(
            (1..=24 * 30).contains(&self.idempotency_ttl_hours),
            "PORTAIL_IDEMPOTENCY_TTL_HOURS doit être compris entre 1 et 720 (reçu : {})",
            self.idempotency_ttl_hours
        );
        let payment_provider =
            portail_service::billing::online::Provider::parse(&self.payment_provider, || {
                portail_service::billing::payfip::PayfipConfig {
                    numcli: self.payfip_numcli.trim().to_owned(),
                    mode: self.payfip_mode.trim().to_owned(),
                    service_url: self.payfip_service_url.clone(),
                    page_url: self.payfip_page_url.clone(),
                    notification_url: format!("{public_url}/api/v1/payments/notification"),
                }
            })?;
        anyhow::ensure!(
            (1..=24 * 60).contains(&self.payment_reconcile_minutes),
            "PORTAIL_PAYMENT_RECONCILE_MINUTES doit être compris entre 1 et 1440 (reçu : {})",
            self.payment_reconcile_minutes
        );
        anyhow::ensure!(
            (1..=100_000).contains(&self.api_key_rate_limit_per_minute),
            "PORTAIL_API_KEY_RATE_LIMIT_PER_MINUTE doit être compris entre 1 et 100000 (reçu : {})",
            self.api_key_rate_limit_per_minute
        );
        let mut trusted_proxies = self.trusted_proxies.clone();
        if self.trust_forwarded_for && trusted_proxies.trim().is_empty() {
            trusted_proxies = "127.0.0.1,::1".to_owned();
        }
        let trusted_proxies =
            portail_domain::auth::forwarded::TrustedProxies::parse(&trusted_proxies)
                .map_err(|e| anyhow::anyhow!("PORTAIL_TRUSTED_PROXIES : {e}"))?;
        anyhow::ensure!(
            self.backup_hour <= 23,
            "PORTAIL_BACKUP_HOUR doit être une heure de 0 à 23 (reçu : {})",
            self.backup_hour
        );
        anyhow::ensure!(
            (1..=366).contains(&self.backup_keep),
            "PORTAIL_BACKUP_KEEP doit être compris entre 1 et 366 (reçu : {})",
            self.backup_keep
        );
        anyhow::ensure!(
            (1..=300).contains(&self.shutdown_timeout_secs),
            "PORTAIL_SHUTDOWN_TIMEOUT_SECS doit être compris entre 1 et 300 (reçu : {})",
            self.shutdown_timeout_secs
        );
        let metrics_token = self
            .metrics_token
            .filter(|token| !token.expose_secret().trim().is_empty());
        if let Some(token) = &metrics_token {
            anyhow::ensure!(
                token.expose_secret().len() >= 24,
                "PORTAIL_METRICS_TOKEN doit compter au moins 24 caractères"
            );
        }
        let retention = RetentionPolicy {
            inactive_family_years: self.retention_inactive_family_years,
            document_months: self.retention_document_months,
            accounting_years: self.retention_accounting_years,
            audit_years: self.retention_audit_years,
            unconfirmed_days: self.retention_unconfirmed_days,
            message_months: self.retention_message_months,
        };
        retention.check().map_err(anyhow::Error::msg)?;
        Ok(Config {
            retention,
            metrics_token,
            shutdown_timeout: std::time::Duration::from_secs(self.shutdown_timeout_secs),
            backup: self.backup_dir.map(|dir| DailyBackup {
                dir,
                hour: self.backup_hour,
                keep: self.backup_keep,
            }),
            api_key_rate_limit_per_minute: self.api_key_rate_limit_per_minute,
            webhooks_allow_private_network: self.webhooks_allow_private_network,
            payment_provider,
            payment_reconcile_after: chrono::Duration::minutes(i64::from(
                self.payment_reconcile_minutes,
            )),
            idempotency_ttl: chrono::Duration::hours(i64::from(self.idempotency_ttl_hours)),
            auth_rate_limit_per_minute: self.auth_rate_limit_per_minute,
            trusted_proxies,
            outbox_max_backoff: std::time::Duration::from_secs(self.outbox_max_backoff_secs.max(1)),
            test_clock,
            password_hashes_in_flight: self.password_hashes_in_flight,
            password_hash_wait: std::time::Duration::from_millis(self.password_hash_wait_ms),
            jwt_secret: self.jwt_secret,
            outbox_dir: self.data_dir.join("outbox"),
            database_url,
            bind: self.bind,
            public_url,
            smtp_url: self.smtp_url,
            mail_from: self.mail_from,
            static_dir: self.static_dir,
            log_format: self.log_format,
            data_dir: self.data_dir,
        })
    }
}

/// Settings with every default filled in.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: SecretString,
    pub bind: String,
    pub public_url: String,
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    pub jwt_secret: Option<SecretString>,
    pub outbox_dir: PathBuf,
    pub static_dir: PathBuf,
    pub log_format: LogFormat,
    pub auth_rate_limit_per_minute: u32,
    pub trusted_proxies: portail_domain::auth::forwarded::TrustedProxies,
    pub outbox_max_backoff: std::time::Duration,
    pub test_clock: Option<chrono::DateTime<chrono::Utc>>,
    pub idempotency_ttl: chrono::Duration,
    pub password_hashes_in_flight: Option<usize>,
    pub password_hash_wait: std::time::Duration,
    pub payment_provider: portail_service::billing::online::Provider,
    pub payment_reconcile_after: chrono::Duration,
    pub api_key_rate_limit_per_minute: u32,
    pub webhooks_allow_private_network: bool,
    pub backup: Option<DailyBackup>,
    pub metrics_token: Option<SecretString>,
    pub shutdown_timeout: std::time::Duration,
    pub retention: RetentionPolicy,
}

/// The automatic daily backup, when `PORTAIL_BACKUP_DIR` is set.
#[derive(Debug, Clone)]
pub struct DailyBackup {
    pub dir: PathBuf,
    pub hour: u32,
    pub keep: usize,
}

impl Config {
    pub fn password_hasher(&self) -> portail_service::password::PasswordHasher {
        use portail_service::password::PasswordHasher;
        match self.password_hashes_in_flight {
            Some(n) => PasswordHasher::new(n, self.password_hash_wait),
            None => PasswordHasher::for_this_machine(),
        }
    }

    /// Cookies get `Secure` when parents reach the portal over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The JWT signing secret: the configured one, or the one kept under the data folder
    /// (generated on first run, readable by the owner only).
    pub fn jwt_secret(&self) -> anyhow::Result<SecretString> {
        if let Some(secret) = &self.jwt_secret {
            anyhow::ensure!(
                secret.expose_secret().len() >= 32,
                "PORTAIL_JWT_SECRET doit compter au moins 32 caractères"
            );
            return Ok(secret.clone());
        }
        let path = self.data_dir.join("jwt-secret");
        if let Ok(existing) = std::fs::read_to_string(&path) {
            let existing = existing.trim().to_owned();
            if existing.len() >= 32 {
                return Ok(SecretString::from(existing));
            }
        }
        std::fs::create_dir_all(&self.data_dir).with_context(|| {
            format!("impossible de créer le dossier {}", self.data_dir.display())
        })?;
        let secret = generate_secret();
        write_private_file(&path, &secret)
            .with_context(|| format!("impossible d'écrire {}", path.display()))?;
        tracing::info!(path = %path.display(), "generated a new JWT secret");
        Ok(SecretString::from(secret))
    }
}

fn generate_secret() -> String {
    use rand::RngCore as _;
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn write_private_file(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_database_is_sqlite_under_the_data_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let settings = Settings {
            data_dir: dir.path().to_owned(),
            ..Settings::default()
        };
        let config = settings.resolve().expect("resolved");
        let url = config.database_url.expose_secret();
        assert!(url.starts_with("sqlite://"), "{url}");
        assert!(url.contains("portail.db"), "{url}");
        assert_eq!(config.public_url, "http://127.0.0.1:8080");
    }

    #[test]
    fn a_generated_jwt_secret_is_kept_and_reused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = Settings {
            data_dir: dir.path().to_owned(),
            ..Settings::default()
        }
        .resolve()
        .expect("resolved");
        let first = config.jwt_secret().expect("generated");
        let second = config.jwt_secret().expect("read back");
        assert_eq!(first.expose_secret(), second.expose_secret());
        assert!(first.expose_secret().len() >= 64);
    }

    #[test]
    fn a_public_url_without_scheme_is_refused() {
        let settings = Settings {
            public_url: Some("portail.avermes.fr".into()),
            data_dir: std::env::temp_dir(),
            ..Settings::default()
        };
        let error = settings.resolve().expect_err("refused");
        assert!(error.to_string().contains("PORTAIL_PUBLIC_URL"));
    }
}

/// The settings' field names, as serde reads them (one per `PORTAIL_*` variable).
#[cfg(test)]
pub(crate) fn setting_names() -> Vec<&'static str> {
    use serde::de::{self, Deserializer, Visitor};

    #[derive(Debug)]
    struct Caught(Vec<&'static str>);
    impl std::fmt::Display for Caught {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "caught")
        }
    }
    impl std::error::Error for Caught {}
    impl de::Error for Caught {
        fn custom<T: std::fmt::Display>(_: T) -> Self {
            Self(Vec::new())
        }
    }
    /// A deserializer that only asks which fields a struct has.
    struct FieldNames;
    impl<'de> Deserializer<'de> for FieldNames {
        type Error = Caught;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Caught> {
            Err(Caught(Vec::new()))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Caught> {
            Err(Caught(fields.to_vec()))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    match Settings::deserialize(FieldNames) {
        Err(Caught(fields)) => fields,
        Ok(_) => Vec::new(),
    }
}

#[cfg(test)]
mod readme {
    #[test]
    fn the_readme_lists_every_setting_the_server_reads() {
        let readme = include_str!("../../../README.md");
        let names = super::setting_names();
        assert!(names.len() >= 10, "{names:?}");
        for name in &names {
            let variable = format!("| `PORTAIL_{}` |", name.to_uppercase());
            assert!(
                readme.contains(&variable),
                "README.md's configuration table lacks {variable}"
            );
        }
        // And the table lists nothing the server does not read.
        for line in readme.lines().filter(|l| l.starts_with("| `PORTAIL_")) {
            let variable = line
                .trim_start_matches("| `PORTAIL_")
                .split('`')
                .next()
                .unwrap_or_default()
                .to_lowercase();
            assert!(
                names.contains(&variable.as_str()),
                "README.md lists PORTAIL_{} which the server does not read",
                variable.to_uppercase()
            );
        }
    }
}
