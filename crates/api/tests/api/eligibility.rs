//! Every service's age range is the server's rule for every booked line (a 21-month-old could
//! book the school canteen): tested for each bookable demo service, too young and too old.

use chrono::{Months, Weekday};

use crate::helpers::spawn_app;
use crate::planning_helpers::open_weekday;

#[tokio::test]
async fn each_service_refuses_a_child_outside_its_ages_on_the_booked_day() {
    let app = spawn_app().await;
    app.seed_demo();
    let family = app.bookers("ages", 1).await.remove(0);
    let services = app.services().await;
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
            app.set_birth_date(&family, birth).await;
            let key = format!("{code}-{birth}");
            let result = app.one_line(&family, &key, unit, day, "book").await;
            if refused {
                assert_eq!(
                    result.code.map(|c| c.as_str()),
                    Some("child_not_eligible"),
                    "{code}: born {birth}, booked {day}: {result:?}"
                );
            } else {
                assert_ne!(
                    result.code.map(|c| c.as_str()),
                    Some("child_not_eligible"),
                    "{code}: born {birth} is of age on {day}: {result:?}"
                );
            }
        }
        checked.push(code.to_owned());
    }
    checked.sort();
    assert_eq!(checked, ["alja", "creche", "restauration"]);
}
