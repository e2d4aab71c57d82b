//! PostgreSQL's side of a backup: `pg_dump --format=custom` from the snapshot of a
//! repeatable-read transaction that also counts the rows, and `pg_restore` into an empty
//! database. The password goes through `PGPASSWORD`, never on the command line.

use std::path::Path;

use anyhow::{Context as _, bail, ensure};
use sea_orm::{AccessMode, ConnectionTrait, IsolationLevel, Statement, TransactionTrait};

use super::snapshot::{Snapshot, read_snapshot};
use super::{DOCUMENTS, POSTGRES_FILE, Source};
use crate::db::Backend;

/// `pg_dump` in its custom format, from the snapshot of a repeatable-read transaction that
/// also counts the rows: the dump and the manifest describe the same instant.
pub(super) async fn postgres_dump(source: &Source<'_>, file: &Path) -> anyhow::Result<Snapshot> {
    let txn = source
        .db
        .begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(AccessMode::ReadOnly),
        )
        .await?;
    let exported = txn
        .query_one_raw(Statement::from_string(
            txn.get_database_backend(),
            "SELECT pg_export_snapshot()",
        ))
        .await?
        .context("pg_export_snapshot()")?;
    let snapshot_id: String = exported.try_get_by_index(0)?;
    let snapshot = read_snapshot(&txn, Backend::Postgres).await?;
    let (url, password) = split_password(source.database_url)?;
    let mut command = tokio::process::Command::new("pg_dump");
    command
        .arg("--format=custom")
        .arg(format!("--snapshot={snapshot_id}"))
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--file")
        .arg(file)
        .arg("--dbname")
        .arg(url);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command.output().await.map_err(|error| {
        anyhow::anyhow!(
            "impossible de lancer pg_dump ({error}) : installez le client PostgreSQL de la même version que le serveur (paquet Debian postgresql-client), ou sauvegardez la base vous-même avec «\u{a0}pg_dump --format=custom\u{a0}» et les documents du dossier {}",
            source.data_dir.join(DOCUMENTS).display()
        )
    })?;
    txn.commit().await?;
    if !output.status.success() {
        bail!(
            "pg_dump a échoué : {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(snapshot)
}

pub(super) async fn postgres_restore(from: &Path, database_url: &str) -> anyhow::Result<()> {
    let db = crate::db::connect(database_url).await?;
    let tables = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()",
        ))
        .await?
        .context("COUNT(*)")?;
    let tables: i64 = tables.try_get_by_index(0)?;
    db.close().await.ok();
    ensure!(
        tables == 0,
        "la base PostgreSQL désignée contient déjà {tables} tables : la restauration ne remplace jamais des données ; créez une base vide (CREATE DATABASE) et désignez-la"
    );
    let (url, password) = split_password(database_url)?;
    let mut command = tokio::process::Command::new("pg_restore");
    command
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--exit-on-error")
        .arg("--single-transaction")
        .arg("--dbname")
        .arg(url)
        .arg(from.join(POSTGRES_FILE));
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command.output().await.map_err(|error| {
        anyhow::anyhow!(
            "impossible de lancer pg_restore ({error}) : installez le client PostgreSQL (paquet Debian postgresql-client)"
        )
    })?;
    ensure!(
        output.status.success(),
        "pg_restore a échoué : {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(())
}

/// The URL without its password (which would show in the process list), and the password.
pub(super) fn split_password(database_url: &str) -> anyhow::Result<(String, Option<String>)> {
    let mut url = url::Url::parse(database_url).context("PORTAIL_DATABASE_URL est invalide")?;
    let password = url.password().map(|p| {
        url::form_urlencoded::parse(format!("p={p}").as_bytes())
            .next()
            .map_or_else(|| p.to_owned(), |(_, v)| v.into_owned())
    });
    url.set_password(None).ok();
    Ok((url.to_string(), password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_leaves_the_url_and_is_decoded() {
        let (url, password) =
            split_password("postgres://portail:p%40ss@127.0.0.1:5432/portail").expect("parsed");
        assert_eq!(url, "postgres://portail@127.0.0.1:5432/portail");
        assert_eq!(password.as_deref(), Some("p@ss"));
        let (_, none) = split_password("postgres://127.0.0.1/portail").expect("parsed");
        assert_eq!(none, None);
    }
}
