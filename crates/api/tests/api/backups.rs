//! `portail backup` while families book, then `portail restore` into an empty data folder and
//! database: the restored server has every booking acknowledged before the backup began, the
//! documents byte for byte, and serves a family's grid. SQLite and PostgreSQL alike.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use chrono::{NaiveDate, Weekday};
use portail_domain::api::{BookingBatchResponse, LineOutcome};
use sea_orm::{ConnectionTrait as _, Statement};
use serde_json::json;
use sha2::{Digest as _, Sha256};

use crate::family_helpers::{jpeg, png};
use crate::helpers::{fresh_database_url, spawn_app};
use crate::planning_helpers::{line, open_weekday};

/// One acknowledged booking line: whose, which day, when its answer arrived.
struct Acked {
    family: usize,
    date: NaiveDate,
    at: Instant,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_a_booking_storm_restores_every_acknowledged_booking() {
    let app = spawn_app().await;
    app.seed_demo();
    let families = app.bookers("sauve", 24).await;
    let unit = app.unit("alja", "Matin").await;
    // Two documents, kept with their bytes' SHA-256.
    let mut documents = Vec::new();
    for (i, bytes) in [png(), jpeg()].into_iter().enumerate() {
        let name = if i == 0 { "photo.png" } else { "photo.jpg" };
        let response = app
            .upload(
                &families[i].token,
                "justificatif_domicile",
                None,
                name,
                bytes.clone(),
            )
            .await;
        assert_eq!(response.status(), 201);
        let body: serde_json::Value = response.json().await.expect("json");
        documents.push((
            i,
            body["id"].as_str().expect("id").to_owned(),
            sha256(&bytes),
        ));
    }
    let today = app.state.ctx.clock.today();
    let days: Vec<NaiveDate> = (2..20)
        .flat_map(|week| {
            [Weekday::Mon, Weekday::Tue, Weekday::Thu, Weekday::Fri]
                .map(|weekday| open_weekday(today, week, weekday))
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    // The storm: every family sends one recap per day, one after the other, all at once.
    let answered = AtomicUsize::new(0);
    let storm = families.iter().enumerate().map(|(i, family)| {
        let (app, unit, days, answered) = (&app, &unit, &days, &answered);
        async move {
            let mut acked = Vec::new();
            for date in days {
                let response = app
                    .book(
                        &family.token,
                        format!("sauve-{i}-{date}"),
                        json!([line(&family.child_id, unit, *date, "book")]),
                    )
                    .await;
                assert_eq!(response.status(), 200, "no error during the backup");
                let body: BookingBatchResponse = response.json().await.expect("the shared DTO");
                let at = Instant::now();
                answered.fetch_add(1, Ordering::SeqCst);
                for result in body.results {
                    if result.outcome == LineOutcome::Booked {
                        acked.push(Acked {
                            family: i,
                            date: result.line.date,
                            at,
                        });
                    }
                }
            }
            acked
        }
    });
    let backup_dir = tempfile::tempdir()
        .expect("a folder")
        .path()
        .join("sauvegarde");
    let backup = {
        let (app, to, answered) = (&app, backup_dir.clone(), &answered);
        let expected = families.len() * days.len();
        async move {
            // In the middle of the storm: once a tenth of the recaps are answered.
            while answered.load(Ordering::SeqCst) < expected / 10 {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            let started = Instant::now();
            let output = tokio::task::block_in_place(|| {
                app.portail(&["backup", "--to", to.to_str().expect("utf-8")])
            });
            (started, output)
        }
    };
    let (acked, (backup_started, output)) = tokio::join!(futures::future::join_all(storm), backup);
    let acked: Vec<Acked> = acked.into_iter().flatten().collect();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("Sauvegarde faite"), "{stdout}");
    let before: Vec<&Acked> = acked.iter().filter(|a| a.at < backup_started).collect();
    let after = acked.len() - before.len();
    assert!(
        !before.is_empty() && after > 0,
        "the backup ran during the storm ({} acknowledged before, {after} after)",
        before.len()
    );

    // Restoring into a non-empty data folder is refused, in French, and changes nothing.
    let refused = app.portail(&["restore", "--from", backup_dir.to_str().expect("utf-8")]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("ne remplace jamais"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    // Restore into an empty folder and database.
    let fresh = tempfile::tempdir().expect("a folder");
    let data_dir = fresh.path().to_owned();
    let url = fresh_database_url(&data_dir).await;
    let output = app.portail_on(
        &["restore", "--from", backup_dir.to_str().expect("utf-8")],
        &data_dir,
        &url,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("restaurée") && stdout.contains("documents vérifiés"),
        "{stdout}"
    );
    if url.starts_with("sqlite") {
        let db = sea_orm::Database::connect(url.as_str())
            .await
            .expect("opens");
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "PRAGMA integrity_check",
            ))
            .await
            .expect("integrity_check")
            .expect("a row");
        assert_eq!(row.try_get_by_index::<String>(0).expect("text"), "ok");
        db.close().await.ok();
    }
    // A second restore into the now-filled target is refused.
    let again = app.portail_on(
        &["restore", "--from", backup_dir.to_str().expect("utf-8")],
        &data_dir,
        &url,
    );
    assert!(!again.status.success());

    let restored = app.spawn_on_data(fresh, url).await;
    for (i, family) in families.iter().enumerate() {
        // The sessions were restored too: the same tokens work.
        let mine: BTreeSet<NaiveDate> = restored
            .my_bookings(&family.token)
            .await
            .items
            .into_iter()
            .map(|b| b.date)
            .collect();
        for acked in before.iter().filter(|a| a.family == i) {
            assert!(
                mine.contains(&acked.date),
                "family {i}: the booking of {} was acknowledged before the backup began",
                acked.date
            );
        }
        let all: BTreeSet<NaiveDate> = acked
            .iter()
            .filter(|a| a.family == i)
            .map(|a| a.date)
            .collect();
        assert!(
            mine.is_subset(&all),
            "nothing restored that was never booked"
        );
    }
    for (i, id, expected) in &documents {
        let response = restored
            .get_as(
                &format!("/api/v1/documents/{id}/content"),
                &families[*i].token,
            )
            .await;
        assert_eq!(response.status(), 200);
        let bytes = response.bytes().await.expect("bytes");
        assert_eq!(&sha256(&bytes), expected, "the document, byte for byte");
    }
    let month = days[0].format("%Y-%m").to_string();
    let grid = restored
        .get_as(
            &format!(
                "/api/v1/planning?child_id={}&service=alja&month={month}",
                families[0].child_id
            ),
            &families[0].token,
        )
        .await;
    assert_eq!(grid.status(), 200, "the restored server serves a grid");
}

#[tokio::test]
async fn a_tampered_backup_is_refused_before_anything_is_restored() {
    let app = spawn_app().await;
    app.seed_demo();
    let dir = tempfile::tempdir().expect("a folder");
    let backup = dir.path().join("b");
    let output = app.portail(&["backup", "--to", backup.to_str().expect("utf-8")]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A backup goes into a new folder only.
    let twice = app.portail(&["backup", "--to", backup.to_str().expect("utf-8")]);
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("n'est pas vide"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).expect("manifest"))
            .expect("json");
    assert!(
        manifest["tables"]["staff"].as_u64().unwrap_or(0) >= 1,
        "{manifest}"
    );
    assert!(
        manifest["schema_version"]
            .as_str()
            .unwrap_or("")
            .starts_with('m')
    );
    let database = backup.join(manifest["database_file"]["path"].as_str().expect("path"));
    let mut bytes = std::fs::read(&database).expect("database");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&database, bytes).expect("tampered");

    let target = tempfile::tempdir().expect("a folder");
    let data_dir = target.path().join("donnees");
    let url = fresh_database_url(&data_dir).await;
    let output = app.portail_on(
        &["restore", "--from", backup.to_str().expect("utf-8")],
        &data_dir,
        &url,
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("altéré"), "{stderr}");
    assert!(
        std::fs::read_dir(&data_dir).map_or(true, |mut d| d.next().is_none()),
        "nothing was restored"
    );
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn the_daily_backup_is_made_once_a_day_across_instances_and_the_oldest_are_removed() {
    let folder = tempfile::tempdir().expect("a folder");
    let dir = folder.path().join("quotidiennes");
    let daily = portail_api::configuration::DailyBackup {
        dir: dir.clone(),
        hour: 2,
        keep: 2,
    };
    let configured = daily.clone();
    // The test clock starts at 09:00 in Paris, past the hour: the first instance makes it.
    let app = crate::helpers::spawn_app_with(move |settings| {
        settings.backup_dir = Some(configured.dir.clone());
        settings.backup_hour = configured.hour;
        settings.backup_keep = configured.keep;
    })
    .await;
    let twin = app.twin().await;
    let deadline = Instant::now() + std::time::Duration::from_secs(20);
    while portail_service::backup::list(&dir).is_empty() && Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        portail_service::backup::list(&dir).len(),
        1,
        "today's backup"
    );
    // Neither instance makes a second one today.
    for instance in [&app, &twin] {
        let made = portail_api::workers::daily_backup_tick(
            &instance.state.ctx,
            &instance.state.config,
            &daily,
        )
        .await;
        assert_eq!(made, Some(None), "settled: made by the first instance");
    }
    // Three more days: three more backups, two kept, each complete.
    for _ in 0..3 {
        for instance in [&app, &twin] {
            instance.state.ctx.clock.advance(chrono::Duration::days(1));
        }
        let made =
            portail_api::workers::daily_backup_tick(&twin.state.ctx, &twin.state.config, &daily)
                .await
                .flatten()
                .expect("the next day's backup");
        portail_service::backup::verify(&made).expect("a complete, verified backup");
    }
    let kept = portail_service::backup::list(&dir);
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(
        std::fs::read_dir(&dir).expect("folder").all(|e| !e
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .ends_with(".partiel")),
        "no half-written backup is left"
    );
}
