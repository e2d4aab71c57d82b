//! Appointments for « aide aux démarches » through the API (issue 24, point 5), on whichever
//! database the tests run against: staff of a desk open slots, anyone takes one without an
//! account, the last place goes to one caller of many racing for it, the confirmation and the
//! reminder the day before reach a real SMTP server once, staff read the day's agenda, book for
//! a caller and mark « venu » or cancel (which frees the place); an agent who does not run the
//! desk is refused.

use chrono::Duration;
use serde_json::json;

use portail_domain::api::{
    AgendaResponse, AppointmentConfirmation, AppointmentItem, AppointmentSlotList,
    AppointmentStatus,
};

use crate::client::Answer as _;
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_slot_is_given_once_confirmed_reminded_and_kept_in_the_agenda() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let agent = app.agent().await;
    let tomorrow = app.state.ctx.clock.today() + Duration::days(1);
    let opening = json!({"desk": "scolaire", "date": tomorrow, "from": "09:00", "to": "10:00", "length_minutes": 30, "capacity": 1});
    // An agent who does not hold « affaires scolaires » does not run its desk, nor the CCAS.
    for desk in ["scolaire", "ccas"] {
        let mut other = opening.clone();
        other["desk"] = json!(desk);
        let refused = app
            .post_as("/api/v1/staff/appointment-slots", &agent.token, &other)
            .await;
        assert_eq!(refused.status(), 403, "{desk}");
    }
    let mut wrong = opening.clone();
    wrong["to"] = json!("09:10");
    let problem = app
        .post_as("/api/v1/staff/appointment-slots", &admin.token, &wrong)
        .await
        .problem(422)
        .await;
    assert_eq!(problem.errors[0].field, "to");
    let opened: AppointmentSlotList = app
        .post_ok(
            "/api/v1/staff/appointment-slots",
            &admin.token,
            &opening,
            201,
        )
        .await;
    let starts: Vec<&str> = opened.items.iter().map(|s| s.start.as_str()).collect();
    assert_eq!(starts, ["09:00", "09:30"]);
    // Opening the same morning again adds nothing.
    let again: AppointmentSlotList = app
        .post_ok(
            "/api/v1/staff/appointment-slots",
            &admin.token,
            &opening,
            201,
        )
        .await;
    assert_eq!(again.items.len(), 2);

    // Anyone sees the free slots, without an account.
    let free: AppointmentSlotList = app
        .get("/api/v1/appointments/slots?desk=scolaire")
        .await
        .read(200)
        .await;
    assert_eq!(free.items.len(), 2);
    let (first, second) = (free.items[0].id, free.items[1].id);

    // Six callers race for the first slot's one place, through two server processes on the
    // same database: one gets it.
    let twin = app.twin().await;
    let ask = |i: usize| json!({"slot_id": first, "name": format!("Claire Martin{}", "e".repeat(i)), "phone": "06 12 34 56 78", "email": format!("rdv{i}@exemple.fr"), "reason": "Inscription à la cantine"});
    let racers = (0..6).map(|i| {
        let body = ask(i);
        let server = if i % 2 == 0 { &app } else { &twin };
        let client = server.client.clone();
        let url = server.url("/api/v1/appointments");
        async move { client.post(url).json(&body).send().await.expect("sent") }
    });
    let answers = futures::future::join_all(racers).await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        5,
        "{statuses:?}"
    );
    let winner = statuses.iter().position(|s| *s == 201).expect("one");
    let mut winner_body = None;
    for (i, answer) in answers.into_iter().enumerate() {
        if i == winner {
            winner_body = Some(answer.read::<AppointmentConfirmation>(201).await);
        } else {
            let full = answer.problem(409).await;
            assert_eq!(full.code.as_str(), "slot_full");
        }
    }
    let booked = winner_body.expect("the winner");
    assert_eq!(booked.slot.places_left, 0);
    assert!(
        booked
            .message
            .contains("à 9 h en mairie (Affaires scolaires)"),
        "{}",
        booked.message
    );
    // The slot is tomorrow: a minute loop may send the reminder before the test asks, so the
    // confirmation is looked for by its subject.
    app.outbox_drained().await;
    let confirmation = app
        .smtp
        .messages()
        .into_iter()
        .find(|m| {
            m.to.contains(&format!("rdv{winner}@exemple.fr")) && m.subject.contains("confirmé")
        })
        .expect("the confirmation");
    assert!(confirmation.text.contains("Inscription à la cantine"));

    // Bad fields, an unknown slot.
    let bad = app
        .post_json(
            "/api/v1/appointments",
            &json!({"slot_id": second, "name": "C", "phone": "12", "reason": " "}),
        )
        .await
        .problem(422)
        .await;
    let fields: Vec<&str> = bad.errors.iter().map(|e| e.field.as_str()).collect();
    assert!(
        fields.contains(&"phone") && fields.contains(&"reason"),
        "{fields:?}"
    );
    let unknown = app
        .post_json(
            "/api/v1/appointments",
            &json!({"slot_id": uuid::Uuid::new_v4(), "name": "Claire Martin", "phone": "0612345678", "reason": "Aide"}),
        )
        .await;
    assert_eq!(unknown.status(), 404);

    // Staff book the second slot for a caller on the phone (no e-mail).
    let phoned: AppointmentConfirmation = app
        .post_ok(
            "/api/v1/staff/appointments",
            &admin.token,
            &json!({"slot_id": second, "name": "Paul Durand", "phone": "04 70 00 00 00", "reason": "Dossier famille"}),
            201,
        )
        .await;
    let free: AppointmentSlotList = app
        .get("/api/v1/appointments/slots?desk=scolaire")
        .await
        .read(200)
        .await;
    assert!(free.items.is_empty(), "{free:?}");

    // The reminder, the day before, once: both processes run the job at the same time (and
    // their minute loops may already have run it); the mailbox says how many were sent.
    let (here, there) = tokio::join!(
        portail_service::appointments::send_reminders(&app.state.ctx),
        portail_service::appointments::send_reminders(&twin.state.ctx),
    );
    assert!(here.expect("reminders") + there.expect("reminders") <= 1);
    assert_eq!(
        portail_service::appointments::send_reminders(&app.state.ctx)
            .await
            .expect("reminders"),
        0
    );
    app.outbox_drained().await;
    // The confirmation and one reminder; the caller without an address, nothing.
    assert_eq!(app.received_by(&format!("rdv{winner}@exemple.fr")), 2);

    // The agenda; « venu »; a cancellation frees the place.
    let agenda: AgendaResponse = app
        .get_ok(
            &format!("/api/v1/staff/appointments?desk=scolaire&date={tomorrow}"),
            &admin.token,
        )
        .await;
    assert_eq!(agenda.slots.len(), 2);
    assert_eq!(agenda.slots[0].appointments[0].phone, "06 12 34 56 78");
    assert!(agenda.slots[1].appointments[0].by_staff);
    let refused = app
        .get_as(
            &format!("/api/v1/staff/appointments?desk=scolaire&date={tomorrow}"),
            &agent.token,
        )
        .await;
    assert_eq!(refused.status(), 403);
    let came: AppointmentItem = app
        .put_as(
            &format!("/api/v1/staff/appointments/{}/status", booked.id),
            &admin.token,
            &json!({"status": "came"}),
        )
        .await
        .read(200)
        .await;
    assert_eq!(came.status, AppointmentStatus::Came);
    let cancelled: AppointmentItem = app
        .put_as(
            &format!("/api/v1/staff/appointments/{}/status", phoned.id),
            &admin.token,
            &json!({"status": "cancelled"}),
        )
        .await
        .read(200)
        .await;
    assert_eq!(cancelled.status, AppointmentStatus::Cancelled);
    let free: AppointmentSlotList = app
        .get("/api/v1/appointments/slots?desk=scolaire")
        .await
        .read(200)
        .await;
    assert_eq!(free.items.len(), 1);
    assert_eq!(free.items[0].id, second);

    // Once the slot has begun, it cannot be taken.
    app.advance_clock(Duration::days(2));
    let late = app
        .post_json(
            "/api/v1/appointments",
            &json!({"slot_id": second, "name": "Claire Martin", "phone": "0612345678", "reason": "Aide"}),
        )
        .await
        .problem(422)
        .await;
    assert_eq!(late.errors[0].field, "slot_id");

    // Three months after the day, the retention job forgets the callers and the slots.
    app.advance_clock(Duration::days(
        portail_domain::rules::appointments::KEEP_DAYS,
    ));
    let report = portail_service::retention::apply(
        &app.state.ctx,
        &portail_domain::rules::retention::RetentionPolicy::default(),
    )
    .await
    .expect("retention");
    assert_eq!(report.appointments_deleted, 2, "{report:?}");
    let admin = app.staff_again(&admin).await;
    let agenda: AgendaResponse = app
        .get_ok(
            &format!("/api/v1/staff/appointments?desk=scolaire&date={tomorrow}"),
            &admin.token,
        )
        .await;
    assert!(agenda.slots.is_empty(), "{agenda:?}");
}
