//! Every service's age range is the server's rule for every booked line (a 21-month-old could
//! book the school canteen): tested for each bookable demo service, too young and too old.

use chrono::{Months, NaiveDate, Weekday};
use sea_orm::{ConnectionTrait as _, Statement};
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::spawn_app;
use crate::planning_helpers::open_weekday;

async fn set_birth(app: &crate::helpers::TestApp, child_id: &str, birth: NaiveDate) {
    let id: Uuid = child_id.parse().expect("uuid");
    let db = &app.state.ctx.db;
    let sql = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => "UPDATE child SET birth_date = $1 WHERE id = $2",
        _ => "UPDATE child SET birth_date = ? WHERE id = ?",
    };
    let done = db
        .execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            [birth.into(), id.into()],
        ))
        .await
        .expect("birth date set");
    assert_eq!(done.rows_affected(), 1);
}

#[tokio::test]
async fn each_service_refuses_a_child_outside_its_ages_on_the_booked_day() {
    let app = spawn_app().await;
    app.seed_demo();
    let family = app.bookers("ages", 1).await.remove(0);
    let services: Value = app
        .get("/api/v1/services")
        .await
        .json()
        .await
        .expect("json");
    // A Tuesday two weeks ahead: open in every demo period.
    let day = open_weekday(app.state.ctx.clock.today(), 2, Weekday::Tue);
    let mut checked = Vec::new();
    for service in services["items"].as_array().expect("items") {
        let Some(unit) = service["units"][0]["id"].as_str() else {
            continue; // no units: nothing to book (RPE, affaires scolaires)
        };
        let code = service["code"].as_str().expect("code");
        let min = service["min_age_months"].as_u64();
        let max = service["max_age_months"].as_u64();
        assert!(
            min.is_some() && max.is_some(),
            "{code}: a bookable demo service has an age range"
        );
        let months = |n: u64| Months::new(u32::try_from(n).expect("months"));
        let too_young = day - months(min.unwrap_or(0)) + chrono::Duration::days(1);
        let too_old = day - months(max.unwrap_or(0) + 1);
        let youngest = day - months(min.unwrap_or(0));
        for (birth, refused) in [(too_young, true), (too_old, true), (youngest, false)] {
            set_birth(&app, &family.child_id, birth).await;
            let key = format!("{code}-{birth}");
            let result = app.one_line(&family, &key, unit, day, "book").await;
            if refused {
                assert_eq!(
                    result["code"], "child_not_eligible",
                    "{code}: born {birth}, booked {day}: {result}"
                );
            } else {
                assert_ne!(
                    result["code"], "child_not_eligible",
                    "{code}: born {birth} is of age on {day}: {result}"
                );
            }
        }
        checked.push(code.to_owned());
    }
    checked.sort();
    assert_eq!(checked, ["alja", "creche", "restauration"]);
}
