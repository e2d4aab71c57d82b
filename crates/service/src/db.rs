//! Opening the database: SQLite (embedded default) or PostgreSQL, chosen by the URL.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr, RuntimeErr, SqlErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// The database connection pool the use-cases take (the API crate names it through this
/// alias, so that it does not depend on sea-orm itself).
pub type Connection = DatabaseConnection;

/// Which database a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Recognises the URL's scheme, or says in one sentence why it is not usable.
    pub fn of_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            anyhow::bail!(
                "PORTAIL_DATABASE_URL doit commencer par «\u{a0}sqlite:\u{a0}» ou «\u{a0}postgres://\u{a0}» (reçu : «\u{a0}{}\u{a0}»)",
                redact_url(url)
            )
        }
    }
}

/// Opens a pool on `url`. SQLite is put in WAL mode with foreign keys enforced, a busy timeout
/// and `synchronous=FULL` (an acknowledged write survives a power cut, not only a crash).
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let backend = Backend::of_url(url)?;
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10));
    match backend {
        Backend::Sqlite => {
            // Fail early with a clear sentence rather than deep inside sqlx.
            SqliteConnectOptions::from_str(url).with_context(|| {
                format!(
                    "l'URL SQLite «\u{a0}{}\u{a0}» est invalide",
                    redact_url(url)
                )
            })?;
            options
                .max_connections(8)
                .min_connections(1)
                .map_sqlx_sqlite_opts(|opts| {
                    opts.create_if_missing(true)
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Full)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(5))
                });
        }
        Backend::Postgres => {
            // The planner's default cost of a random read (4, from spinning disks) makes it
            // sort a whole table rather than walk an index far down a list; on the SSDs any
            // host runs today 1.1 is the usual figure (the families list's last page: 30 →
            // 14 ms on 50,000 files, docs/performance.md). A `SET` on each new connection
            // works through a pooler too, where a startup parameter may be refused.
            options
                .max_connections(16)
                .min_connections(1)
                .map_sqlx_postgres_pool_opts(|pool| {
                    pool.after_connect(|conn, _| {
                        Box::pin(async move {
                            sea_orm::sqlx::Executor::execute(conn, "SET random_page_cost = 1.1")
                                .await
                                .map(|_| ())
                        })
                    })
                });
        }
    }
    let db = Database::connect(options).await.with_context(|| {
        format!(
            "impossible d'ouvrir la base de données «\u{a0}{}\u{a0}»",
            redact_url(url)
        )
    })?;
    db.ping().await.with_context(|| {
        format!(
            "la base de données «\u{a0}{}\u{a0}» ne répond pas",
            redact_url(url)
        )
    })?;
    Ok(db)
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("les migrations de la base de données ont échoué")
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a transaction that reads then writes would otherwise fail with
/// SQLITE_BUSY as soon as another writer commits in between (its snapshot cannot be
/// upgraded), instead of waiting its turn. PostgreSQL ignores the mode.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        isolation_level: None,
        access_mode: None,
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
    })
    .await
}

/// Is this a unique-constraint violation? (One helper, used wherever a duplicate is expected.)
pub fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// How often a transaction that lost a deadlock or a serialization conflict is tried again.
pub const MAX_RETRIES: u32 = 5;

/// An error that may go away if the whole transaction is tried again: PostgreSQL's deadlock
/// (`40P01`) and serialization failure (`40001`), SQLite's busy database (`5`, `517`).
pub trait Transient {
    fn is_transient(&self) -> bool;
}

impl Transient for DbErr {
    fn is_transient(&self) -> bool {
        matches!(
            sqlstate(self).as_deref(),
            Some("40P01" | "40001" | "5" | "517")
        )
    }
}

impl Transient for anyhow::Error {
    fn is_transient(&self) -> bool {
        self.chain()
            .filter_map(|e| e.downcast_ref::<DbErr>())
            .any(Transient::is_transient)
    }
}

/// The SQLSTATE (PostgreSQL) or result code (SQLite) of a database error.
pub fn sqlstate(error: &DbErr) -> Option<String> {
    match error {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e
            .as_database_error()
            .and_then(|d| d.code())
            .map(|c| c.into_owned()),
        _ => None,
    }
}

/// Runs `attempt` (a whole transaction: begin, work, commit) again when it fails with a
/// [`Transient`] error, up to [`MAX_RETRIES`] times, after a short randomised wait (so that
/// two transactions that deadlocked do not meet again at once).
pub async fn retry<T, E, F, Fut>(what: &str, mut attempt: F) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
    E: Transient + std::fmt::Display,
{
    let mut tries = 0_u32;
    loop {
        match attempt().await {
            Err(error) if tries < MAX_RETRIES && error.is_transient() => {
                tries = tries.saturating_add(1);
                // 10, 20, 40… ms (tries ≤ MAX_RETRIES), and as much again at random.
                let base = 5_u64.checked_shl(tries).unwrap_or(u64::MAX / 2);
                let wait = base.saturating_add(rand::random_range(0..base));
                tracing::warn!(what, tries, wait_ms = wait, error = %error, "a transaction met a concurrent one; trying again");
                tokio::time::sleep(Duration::from_millis(wait)).await;
            }
            other => return other,
        }
    }
}

/// The URL with its password replaced, fit for a log line or an error message.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Reads by chunks of ids (a statement's parameters are capped: SQLite's 32,766, and a
/// thousand keeps each statement small on PostgreSQL).
pub(crate) async fn by_chunks<T, F, Fut>(
    ids: Vec<uuid::Uuid>,
    mut read: F,
) -> Result<Vec<T>, sea_orm::DbErr>
where
    F: FnMut(Vec<uuid::Uuid>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, sea_orm::DbErr>>,
{
    let mut out = Vec::new();
    for chunk in ids.chunks(1000) {
        out.extend(read(chunk.to_vec()).await?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_url_is_never_repeated() {
        assert_eq!(
            redact_url("postgres://portail:s3cret@localhost:5432/portail"),
            "postgres://portail:***@localhost:5432/portail"
        );
        assert_eq!(
            redact_url("sqlite://data/portail.db"),
            "sqlite://data/portail.db"
        );
    }

    #[test]
    fn an_unknown_scheme_is_refused_in_one_sentence() {
        let error = Backend::of_url("mysql://root:pw@db/portail").expect_err("refused");
        let message = error.to_string();
        assert!(message.contains("PORTAIL_DATABASE_URL"), "{message}");
        assert!(!message.contains("pw"), "{message}");
    }

    #[test]
    fn both_backends_are_recognised() {
        assert_eq!(
            Backend::of_url("sqlite::memory:").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::of_url("postgresql://localhost/p").ok(),
            Some(Backend::Postgres)
        );
    }
}
