//! Stopping the server: the booking writers commit every recap already queued and refuse
//! what comes after; no recap is lost silently.

use chrono::Weekday;
use portail_domain::api::BookingBatchResponse;
use serde_json::json;

use crate::helpers::{problem, spawn_app};
use crate::planning_helpers::{line, open_weekday};

#[tokio::test]
async fn queued_recaps_are_committed_or_refused_when_the_writers_stop() {
    let app = spawn_app().await;
    app.seed_demo();
    let families = app.bookers("arret", 40).await;
    let unit = app.unit("alja", "Matin").await;
    let date = open_weekday(app.state.ctx.clock.today(), 2, Weekday::Thu);
    let recaps = families.iter().enumerate().map(|(i, f)| {
        app.book(
            &f.token,
            format!("arret-{i}"),
            json!([line(&f.child_id, &unit, date, "book")]),
        )
    });
    let writer = app.state.ctx.planning.writer.clone();
    let stop = async {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        writer.shutdown().await;
    };
    let (responses, ()) = tokio::join!(futures::future::join_all(recaps), stop);

    let (mut committed, mut refused) = (0, 0);
    for (family, response) in families.iter().zip(responses) {
        let status = response.status().as_u16();
        let mine = app.my_bookings(&family.token).await.total;
        match status {
            200 => {
                let body: BookingBatchResponse = response.json().await.expect("the shared DTO");
                assert_eq!(
                    mine,
                    u64::from(body.accepted),
                    "an answered recap is committed"
                );
                committed += 1;
            }
            503 => {
                assert_eq!(problem(response).await.code.as_str(), "service_unavailable");
                assert_eq!(mine, 0, "a refused recap changed nothing");
                refused += 1;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(committed + refused, 40);
    // After the stop, every recap is refused, at once.
    let late = app
        .book(
            &families[0].token,
            "apres",
            json!([line(&families[0].child_id, &unit, date, "cancel")]),
        )
        .await;
    assert_eq!(late.status(), 503);
    assert!(late.headers().contains_key("retry-after"));
}
