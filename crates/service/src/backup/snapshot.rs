//! What a backup reads of a database (the snapshot, or the restored copy): the schema
//! version, the rows of every table, and the documents it names with their SHA-256.

use std::collections::BTreeMap;

use anyhow::{Context as _, ensure};
use sea_orm::{ConnectionTrait, Statement};

use crate::db::Backend;

pub(super) struct Snapshot {
    pub(super) schema_version: String,
    pub(super) tables: BTreeMap<String, u64>,
    /// storage key → SHA-256 kept by the row.
    pub(super) documents: BTreeMap<String, String>,
}

pub(super) async fn read_snapshot(
    db: &impl ConnectionTrait,
    backend: Backend,
) -> anyhow::Result<Snapshot> {
    let names_sql = match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        }
    };
    let sql_backend = db.get_database_backend();
    let mut tables = BTreeMap::new();
    for row in db
        .query_all_raw(Statement::from_string(sql_backend, names_sql))
        .await
        .context("Failed to list the tables")?
    {
        let name: String = row.try_get_by_index(0)?;
        ensure!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "table au nom inattendu : {name}"
        );
        let count = db
            .query_one_raw(Statement::from_string(
                sql_backend,
                format!("SELECT COUNT(*) FROM \"{name}\""),
            ))
            .await?
            .context("COUNT(*)")?;
        let count: i64 = count.try_get_by_index(0)?;
        tables.insert(name, u64::try_from(count).unwrap_or_default());
    }
    ensure!(
        tables.contains_key("seaql_migrations"),
        "la base ne porte aucune migration du portail"
    );
    let version = db
        .query_one_raw(Statement::from_string(
            sql_backend,
            "SELECT MAX(version) FROM seaql_migrations",
        ))
        .await?
        .context("MAX(version)")?;
    let schema_version: Option<String> = version.try_get_by_index(0)?;
    let mut documents = BTreeMap::new();
    for row in db
        .query_all_raw(Statement::from_string(
            sql_backend,
            "SELECT storage_key, sha256 FROM document",
        ))
        .await
        .context("Failed to list the documents")?
    {
        documents.insert(row.try_get_by_index(0)?, row.try_get_by_index(1)?);
    }
    Ok(Snapshot {
        schema_version: schema_version.context("la base ne porte aucune migration du portail")?,
        tables,
        documents,
    })
}
