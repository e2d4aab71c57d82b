//! Issue 26, point 4: the staff's search over 50,000 families in one bounded statement.
//!
//! Each family row carries `search_text`: its guardians' and children's names and its
//! account's e-mail, lower-cased, one person a line. **Triggers** keep it (inserts, renames,
//! deletions of guardians, children and accounts), so every write path — today's use-cases,
//! the bulk seed, a restore, an older binary during a rolling upgrade — keeps it right without
//! knowing it exists. PostgreSQL indexes it with `pg_trgm` (a trigram GIN index answers
//! `LIKE '%dupont%'` without reading the table) when the extension can be installed (it is
//! « trusted »: the database's owner may); SQLite reads the one column of every row, a few
//! milliseconds for 50,000 families (docs/performance.md). Two indexes serve the list's
//! order (the work queue) and the counts by status.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The people a family's search line is made of: table and the column that names them.
const SOURCES: [(&str, &str); 3] = [
    ("guardian", "last_name || ' ' || first_name"),
    ("family_account", "email"),
    ("child", "last_name || ' ' || first_name"),
];

/// Characters of the line kept (see `search_text`).
const SEARCH_TEXT_MAX: usize = 2000;

/// The columns whose change rewrites the line.
fn watched(table: &str) -> &'static [&'static str] {
    match table {
        "family_account" => &["email", "family_id"],
        _ => &["last_name", "first_name", "family_id"],
    }
}

/// The search line of the family `id` (an SQL expression), on either database.
fn search_text(backend: DbBackend, id: &str) -> String {
    let (concat, newline) = match backend {
        DbBackend::Postgres => ("string_agg", "E'\\n'"),
        _ => ("group_concat", "char(10)"),
    };
    let parts: Vec<String> = SOURCES
        .iter()
        .map(|(table, who)| {
            format!("coalesce((SELECT {concat}({who}, {newline}) FROM {table} WHERE family_id = {id}), '')")
        })
        .collect();
    // Capped: PostgreSQL carries the line in a B-tree (`INCLUDE`), whose entries are limited
    // to 2,704 bytes; 2,000 characters is twenty people of long names.
    format!(
        "substr(lower({}), 1, {SEARCH_TEXT_MAX})",
        parts.join(&format!(" || {newline} || "))
    )
}

fn sqlite_triggers() -> Vec<String> {
    let mut sql = Vec::new();
    for (table, _) in SOURCES {
        let refresh = |row: &str| {
            format!(
                "UPDATE family SET search_text = {} WHERE id = {row}.family_id;",
                search_text(DbBackend::Sqlite, &format!("{row}.family_id"))
            )
        };
        let changed: Vec<String> = watched(table)
            .iter()
            .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
            .collect();
        sql.push(format!(
            "CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN {} END",
            refresh("NEW")
        ));
        sql.push(format!(
            "CREATE TRIGGER {table}_search_update AFTER UPDATE OF {} ON {table} WHEN {} BEGIN {} {} END",
            watched(table).join(", "),
            changed.join(" OR "),
            refresh("NEW"),
            refresh("OLD")
        ));
        sql.push(format!(
            "CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN {} END",
            refresh("OLD")
        ));
    }
    sql
}

fn postgres_triggers() -> Vec<String> {
    let mut sql = vec![
        format!(
            "CREATE FUNCTION portail_family_search_text(fid uuid) RETURNS text LANGUAGE sql STABLE AS $$ SELECT {} $$",
            search_text(DbBackend::Postgres, "fid")
        ),
        "CREATE FUNCTION portail_family_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN \
           IF TG_OP <> 'INSERT' THEN \
             UPDATE family SET search_text = portail_family_search_text(OLD.family_id) WHERE id = OLD.family_id; \
           END IF; \
           IF TG_OP <> 'DELETE' THEN \
             UPDATE family SET search_text = portail_family_search_text(NEW.family_id) WHERE id = NEW.family_id; \
           END IF; \
           RETURN NULL; \
         END $$"
            .to_owned(),
        // Trusted since PostgreSQL 13: the database's owner may install it. Without it the
        // search still works, reading the column of every row.
        "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; \
         EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_trgm indisponible : la recherche lit toute la table'; END $$"
            .to_owned(),
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN \
         EXECUTE 'CREATE INDEX family_search ON family USING gin (search_text gin_trgm_ops)'; \
         END IF; END $$"
            .to_owned(),
    ];
    for (table, _) in SOURCES {
        let changed: Vec<String> = watched(table)
            .iter()
            .map(|c| format!("OLD.{c} IS DISTINCT FROM NEW.{c}"))
            .collect();
        sql.push(format!(
            "CREATE TRIGGER {table}_search_write AFTER INSERT OR DELETE ON {table} \
             FOR EACH ROW EXECUTE FUNCTION portail_family_search_refresh()"
        ));
        sql.push(format!(
            "CREATE TRIGGER {table}_search_update AFTER UPDATE ON {table} FOR EACH ROW \
             WHEN ({}) EXECUTE FUNCTION portail_family_search_refresh()",
            changed.join(" OR ")
        ));
    }
    sql
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        db.execute_unprepared("ALTER TABLE family ADD COLUMN search_text TEXT NOT NULL DEFAULT ''")
            .await?;
        let triggers = match backend {
            DbBackend::Postgres => postgres_triggers(),
            _ => sqlite_triggers(),
        };
        for statement in triggers {
            db.execute_unprepared(&statement).await?;
        }
        // The families already there.
        let fill = match backend {
            DbBackend::Postgres => {
                "UPDATE family SET search_text = portail_family_search_text(id)".to_owned()
            }
            _ => format!(
                "UPDATE family SET search_text = {}",
                search_text(DbBackend::Sqlite, "family.id")
            ),
        };
        db.execute_unprepared(&fill).await?;
        // The list's order (the work queue: oldest submission first), and per status. The
        // line rides in the order's index: a search walks the index alone and reads only the
        // rows of its page (on 50,000 files: a rare name 9 → 4 ms on SQLite, the last page of
        // a broad search 29 → 8 ms on PostgreSQL). PostgreSQL takes it as a payload
        // (`INCLUDE`), SQLite as the last key.
        let queue = match backend {
            DbBackend::Postgres => {
                "CREATE INDEX family_queue ON family (submitted_at, created_at, id) INCLUDE (search_text)"
            }
            _ => "CREATE INDEX family_queue ON family (submitted_at, created_at, id, search_text)",
        };
        db.execute_unprepared(queue).await?;
        db.execute_unprepared(
            "CREATE INDEX family_status_queue ON family (dossier_status, submitted_at, created_at, id)",
        )
        .await?;
        // The counts by status: PostgreSQL's B-tree keeps one entry per status and a list of
        // rows (deduplication), read without the table: 12 → 5 ms on 80,000 files.
        db.execute_unprepared("CREATE INDEX family_status ON family (dossier_status)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        db.execute_unprepared("DROP INDEX family_status").await?;
        db.execute_unprepared("DROP INDEX family_status_queue")
            .await?;
        db.execute_unprepared("DROP INDEX family_queue").await?;
        match backend {
            DbBackend::Postgres => {
                for (table, _) in SOURCES {
                    db.execute_unprepared(&format!("DROP TRIGGER {table}_search_write ON {table}"))
                        .await?;
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER {table}_search_update ON {table}"
                    ))
                    .await?;
                }
                db.execute_unprepared("DROP INDEX IF EXISTS family_search")
                    .await?;
                db.execute_unprepared("DROP FUNCTION portail_family_search_refresh()")
                    .await?;
                db.execute_unprepared("DROP FUNCTION portail_family_search_text(uuid)")
                    .await?;
            }
            _ => {
                for (table, _) in SOURCES {
                    for op in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!("DROP TRIGGER {table}_search_{op}"))
                            .await?;
                    }
                }
            }
        }
        db.execute_unprepared("ALTER TABLE family DROP COLUMN search_text")
            .await?;
        Ok(())
    }
}
