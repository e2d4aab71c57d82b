//! Backups that restore: a consistent copy of the database (taken while the server writes),
//! the stored documents and the generated secret, described by a manifest (schema version,
//! rows per table, each file's SHA-256) that `restore` checks before and after. See
//! `docs/operations.md`.
//!
//! Consistency: the database is copied from one snapshot (SQLite's `VACUUM INTO`;
//! PostgreSQL's `pg_dump --snapshot` of a repeatable-read transaction that also counts the
//! rows and lists the documents). A document's file is written before its row is committed
//! and removed after its row is deleted, so every row of the snapshot has its file on disk:
//! the files copied are exactly those the snapshot names, each checked against the SHA-256
//! the row keeps.

mod files;
mod postgres;
mod snapshot;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;

use anyhow::{Context as _, ensure};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde::{Deserialize, Serialize};

use self::files::{
    copy_private, ensure_empty_data_dir, entry, is_storage_key, prepare_empty_dir, write_synced,
};
use self::postgres::{postgres_dump, postgres_restore};
use self::snapshot::read_snapshot;
use crate::db::Backend;

/// The manifest's name in a backup folder; written last, so a folder without it is no backup.
pub const MANIFEST: &str = "manifest.json";
const SQLITE_FILE: &str = "database.sqlite";
const POSTGRES_FILE: &str = "database.dump";
const DOCUMENTS: &str = "documents";
/// The secret generated under the data folder when `PORTAIL_JWT_SECRET` is not set: it signs
/// the sessions and derives the API keys' hashes, so a restore without it would void them.
pub const SECRET_FILE: &str = "jwt-secret";
const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: u32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub portail_version: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// The last migration applied in the copied database.
    pub schema_version: String,
    /// Rows per table in the copy.
    pub tables: BTreeMap<String, u64>,
    /// The database file and its SHA-256.
    pub database_file: FileEntry,
    /// Every document (`documents/<key>`) and the secret when it was included.
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Where the live data is.
pub struct Source<'a> {
    pub db: &'a DatabaseConnection,
    pub database_url: &'a str,
    pub data_dir: &'a Path,
}

/// Copies the data into `to` (which must not exist or be empty). The manifest is written last.
pub async fn backup(
    source: &Source<'_>,
    to: &Path,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Manifest> {
    prepare_empty_dir(to)?;
    let backend = Backend::of_url(source.database_url)?;
    let snapshot = match backend {
        Backend::Sqlite => {
            let file = to.join(SQLITE_FILE);
            let target = file
                .to_str()
                .context("le chemin de la sauvegarde n'est pas en UTF-8")?;
            source
                .db
                .execute_unprepared(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))
                .await
                .context("la copie de la base SQLite (VACUUM INTO) a échoué")?;
            // Read as is: no journal mode set (it would write to the copy).
            let copy = sea_orm::Database::connect(format!("sqlite://{target}?mode=ro"))
                .await
                .context("la copie de la base SQLite est illisible")?;
            let snapshot = read_snapshot(&copy, Backend::Sqlite).await;
            copy.close().await.ok();
            snapshot?
        }
        Backend::Postgres => postgres_dump(source, &to.join(POSTGRES_FILE)).await?,
    };
    let database_file = entry(
        to,
        if backend == Backend::Sqlite {
            SQLITE_FILE
        } else {
            POSTGRES_FILE
        },
    )?;
    let store = source.data_dir.join(DOCUMENTS);
    std::fs::create_dir_all(to.join(DOCUMENTS))?;
    let mut files = Vec::with_capacity(snapshot.documents.len().saturating_add(1));
    for (key, sha256) in &snapshot.documents {
        ensure!(
            is_storage_key(key),
            "la base nomme un document au nom inattendu «\u{a0}{key}\u{a0}»"
        );
        let relative = format!("{DOCUMENTS}/{key}");
        std::fs::copy(store.join(key), to.join(&relative)).with_context(|| {
            format!(
                "le document {key}, présent dans la base, manque dans {}",
                store.display()
            )
        })?;
        let copied = entry(to, &relative)?;
        ensure!(
            &copied.sha256 == sha256,
            "le document {key} ne correspond plus à son empreinte : le fichier stocké est altéré"
        );
        files.push(copied);
    }
    let secret = source.data_dir.join(SECRET_FILE);
    if secret.is_file() {
        copy_private(&secret, &to.join(SECRET_FILE))?;
        files.push(entry(to, SECRET_FILE)?);
    }
    let manifest = Manifest {
        format: FORMAT,
        created_at: now,
        portail_version: env!("CARGO_PKG_VERSION").to_owned(),
        database: backend_name(backend).to_owned(),
        schema_version: snapshot.schema_version,
        tables: snapshot.tables,
        database_file,
        files,
    };
    let json = serde_json::to_vec_pretty(&manifest)?;
    write_synced(&to.join(MANIFEST), &json)?;
    Ok(manifest)
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    pub documents: usize,
    pub secret: bool,
}

/// Where to restore: the configured database (empty) and data folder (empty).
pub struct Target<'a> {
    pub database_url: &'a str,
    pub data_dir: &'a Path,
}

/// Checks the backup in `from` against its manifest, then restores it into an empty data
/// folder and an empty database, and checks the restored rows against the manifest.
pub async fn restore(from: &Path, target: &Target<'_>) -> anyhow::Result<Restored> {
    let manifest = verify(from)?;
    let backend = Backend::of_url(target.database_url)?;
    ensure!(
        backend_name(backend) == manifest.database,
        "cette sauvegarde vient d'une base {}, la configuration désigne une base {} : restaurez-la dans une base du même type",
        manifest.database,
        backend_name(backend)
    );
    let known: Vec<String> = migration_names();
    ensure!(
        known.contains(&manifest.schema_version),
        "cette sauvegarde a été faite par une version plus récente du portail (migration {} inconnue de celle-ci, {}) : restaurez-la avec la version {} ou plus récente",
        manifest.schema_version,
        env!("CARGO_PKG_VERSION"),
        manifest.portail_version
    );
    ensure_empty_data_dir(target.data_dir)?;
    match backend {
        Backend::Sqlite => {
            let path = sqlite_path(target.database_url)?;
            ensure!(
                !path.exists() || std::fs::metadata(&path).is_ok_and(|m| m.len() == 0),
                "la base {} existe déjà : la restauration ne remplace jamais des données ; choisissez un dossier vide",
                path.display()
            );
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let temp = path.with_extension("restauration");
            std::fs::copy(from.join(SQLITE_FILE), &temp)?;
            std::fs::File::open(&temp)?.sync_all()?;
            std::fs::rename(&temp, &path)?;
        }
        Backend::Postgres => postgres_restore(from, target.database_url).await?,
    }
    std::fs::create_dir_all(target.data_dir.join(DOCUMENTS))?;
    let mut documents = 0usize;
    let mut secret = false;
    for file in &manifest.files {
        if file.path == SECRET_FILE {
            copy_private(&from.join(SECRET_FILE), &target.data_dir.join(SECRET_FILE))?;
            secret = true;
        } else {
            std::fs::copy(from.join(&file.path), target.data_dir.join(&file.path))?;
            documents = documents.saturating_add(1);
        }
    }
    // The restored database says what it holds: the same rows as the manifest.
    let db = crate::db::connect(target.database_url).await?;
    if backend == Backend::Sqlite {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "PRAGMA integrity_check",
            ))
            .await?
            .context("PRAGMA integrity_check")?;
        let verdict: String = row.try_get_by_index(0)?;
        ensure!(
            verdict == "ok",
            "la base restaurée est endommagée : {verdict}"
        );
    }
    let restored = read_snapshot(&db, backend).await;
    db.close().await.ok();
    let restored = restored?;
    ensure!(
        restored.tables == manifest.tables,
        "la base restaurée ne contient pas les lignes annoncées par le manifeste"
    );
    Ok(Restored {
        manifest,
        documents,
        secret,
    })
}

/// Reads the manifest and checks every file it lists (the database and each document).
pub fn verify(from: &Path) -> anyhow::Result<Manifest> {
    let raw = std::fs::read(from.join(MANIFEST)).with_context(|| {
        format!(
            "{} n'est pas une sauvegarde complète du portail (pas de {MANIFEST})",
            from.display()
        )
    })?;
    let manifest: Manifest =
        serde_json::from_slice(&raw).context("le manifeste de la sauvegarde est illisible")?;
    ensure!(
        manifest.format == FORMAT,
        "format de sauvegarde {} inconnu de cette version (attendu : {FORMAT})",
        manifest.format
    );
    for file in std::iter::once(&manifest.database_file).chain(&manifest.files) {
        ensure!(
            file.path == SQLITE_FILE
                || file.path == POSTGRES_FILE
                || file.path == SECRET_FILE
                || file
                    .path
                    .strip_prefix("documents/")
                    .is_some_and(is_storage_key),
            "le manifeste nomme un fichier inattendu «\u{a0}{}\u{a0}»",
            file.path
        );
        let found = entry(from, &file.path)
            .with_context(|| format!("le fichier {} de la sauvegarde manque", file.path))?;
        ensure!(
            found.sha256 == file.sha256 && found.bytes == file.bytes,
            "le fichier {} de la sauvegarde est altéré (son empreinte SHA-256 a changé)",
            file.path
        );
    }
    Ok(manifest)
}

/// The daily backups' folder: makes one under a temporary name, renames it when complete,
/// then keeps the `keep` most recent.
pub async fn daily(
    source: &Source<'_>,
    folder: &Path,
    keep: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(folder)
        .with_context(|| format!("impossible de créer le dossier {}", folder.display()))?;
    let name = format!("portail-{}", now.format("%Y%m%d-%H%M%S"));
    let partial = folder.join(format!(".{name}.partiel"));
    if partial.exists() {
        std::fs::remove_dir_all(&partial)?;
    }
    if let Err(error) = backup(source, &partial, now).await {
        std::fs::remove_dir_all(&partial).ok();
        return Err(error);
    }
    let done = folder.join(&name);
    std::fs::rename(&partial, &done)?;
    prune(folder, keep)?;
    Ok(done)
}

/// Keeps the `keep` most recent complete backups (`portail-…` with a manifest) in `folder`,
/// and removes the temporary folders a crash left behind.
pub fn prune(folder: &Path, keep: usize) -> anyhow::Result<Vec<PathBuf>> {
    let mut complete = Vec::new();
    let mut removed = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(".portail-") && name.ends_with(".partiel") {
            std::fs::remove_dir_all(entry.path()).ok();
            removed.push(entry.path());
        } else if name.starts_with("portail-") && entry.path().join(MANIFEST).is_file() {
            complete.push(entry.path());
        }
    }
    complete.sort();
    let excess = complete.len().saturating_sub(keep.max(1));
    for old in complete.into_iter().take(excess) {
        std::fs::remove_dir_all(&old)?;
        removed.push(old);
    }
    Ok(removed)
}

fn sqlite_path(database_url: &str) -> anyhow::Result<PathBuf> {
    let options = sea_orm::sqlx::sqlite::SqliteConnectOptions::from_str(database_url)
        .context("l'URL SQLite est invalide")?;
    Ok(options.get_filename().to_owned())
}

fn migration_names() -> Vec<String> {
    use migration::MigratorTrait as _;
    migration::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// Names that are complete backups in a folder, oldest first.
pub fn list(folder: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join(MANIFEST).is_file())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_complete_backups_are_kept_and_pruned() {
        let dir = tempfile_dir();
        for name in [
            "portail-20270101-020000",
            "portail-20270102-020000",
            "portail-20270103-020000",
        ] {
            std::fs::create_dir_all(dir.join(name)).expect("dir");
            std::fs::write(dir.join(name).join(MANIFEST), "{}").expect("manifest");
        }
        std::fs::create_dir_all(dir.join(".portail-20270104-020000.partiel")).expect("partial");
        std::fs::create_dir_all(dir.join("autre-chose")).expect("other");
        let removed = prune(&dir, 2).expect("pruned");
        assert_eq!(removed.len(), 2, "{removed:?}");
        let left = list(&dir);
        assert_eq!(
            left.iter()
                .map(|p| p
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned())
                .collect::<Vec<_>>(),
            ["portail-20270102-020000", "portail-20270103-020000"]
        );
        assert!(dir.join("autre-chose").is_dir(), "not ours: left alone");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_storage_key_is_a_simple_uuid_and_nothing_else() {
        assert!(is_storage_key("0123456789abcdef0123456789abcdef"));
        assert!(!is_storage_key("../../etc/passwd"));
        assert!(!is_storage_key("0123456789abcdef0123456789abcde/"));
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("portail-prune-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("dir");
        dir
    }
}
