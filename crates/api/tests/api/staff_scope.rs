//! An agent who holds one service acts on another service's ids: every staff route, walked
//! from the OpenAPI document, refuses (403/404) and nothing changes. A new staff route must be
//! classified here, or this test fails.

use chrono::Weekday;
use reqwest::Method;
use serde_json::{Value, json};

use crate::client::Answer as _;
use crate::helpers::{TestApp, spawn_app};
use crate::planning_helpers::{line, open_weekday};

const SPEC: &str = include_str!("../../../../openapi/openapi.json");

/// What an agent of another service may get from each staff operation.
enum Expect {
    /// Refused: 403 or 404, and nothing changed.
    Refused,
    /// A read of every service's configuration, public anyway through `GET /services`.
    Allowed,
    /// Not tied to a service (the agent's own account, the town hall's shared family files):
    /// walked by the tests of those routes.
    NotServiceScoped,
}

fn expectation(operation_id: &str) -> Expect {
    match operation_id {
        // Lists filtered to the agent's own services.
        "list_periods" | "list_units" | "list_tariffs" | "list_invoices" | "list_bookings"
        // The inboxes of the agent's own services.
        | "list_inbox" | "get_inbox_counts" => Expect::Allowed,
        "get_staff_me" | "staff_logout" | "change_staff_password" | "staff_login"
        | "refresh_staff_session" | "reset_staff_password" | "request_staff_password_reset"
        | "list_families" | "get_family" | "validate_family" | "request_family_info"
        | "review_document" | "download_family_document"
        // Aide aux démarches: any agent at the counter; ending one's own acting.
        | "create_family_assisted" | "stop_acting_as_family"
        // The families as the staff list shows them (walked by the integrations' tests).
        | "export_families_csv" => Expect::NotServiceScoped,
        "get_service_rules" | "update_service_rules" | "create_period" | "update_period"
        | "create_unit" | "update_unit" | "set_capacity" | "get_attendance"
        | "export_attendance_csv" | "list_booking_requests" | "decide_booking_requests"
        | "create_staff_booking"
        // Admin-only.
        | "list_staff" | "create_staff" | "set_staff_services" | "list_audit_events"
        | "deactivate_staff" | "reactivate_staff" | "preview_erasure" | "erase_family"
        | "set_legal_page"
        | "list_document_requirements" | "create_document_requirement"
        | "delete_document_requirement" | "get_commune_settings" | "update_commune_settings"
        | "set_service_contact" | "list_announcements" | "create_announcement"
        | "update_announcement" | "delete_announcement" | "list_psu_parameters"
        | "set_psu_parameters" | "get_billing_settings" | "set_billing_settings"
        | "record_payment" | "list_family_payments" | "get_family_balance"
        | "download_staff_payment_receipt"
        | "list_outstanding" | "export_outstanding_csv"
        // The holiday centre's tariffs, invoices, attendance; the crèche's resources.
        | "create_tariff" | "update_tariff" | "get_household_resources"
        | "set_household_resources" | "preview_invoice_run" | "issue_invoice_run"
        | "get_invoice" | "download_staff_invoice_pdf" | "cancel_invoice"
        | "mark_attendance"
        // The crèche's commission.
        | "list_preregistrations" | "decide_preregistrations" | "reorder_waiting_list"
        // Acting for (or giving an address to) a family that books the holiday centre only.
        | "start_acting_as_family" | "set_family_email"
        // Integrations: administrators only; the holiday centre's bookings.
        | "list_api_keys" | "create_api_key" | "revoke_api_key" | "list_webhooks"
        | "create_webhook" | "delete_webhook" | "list_webhook_deliveries"
        | "redeliver_webhook" | "export_bookings_csv" | "export_invoices_csv"
        | "export_payments_csv"
        // The treasury's attestations fiscales: administrators only.
        | "list_fiscal_certificates" | "download_fiscal_certificates"
        // Direct debit: the treasury (administrators).
        | "list_mandates" | "record_paper_mandate" | "list_debit_batches" | "issue_debit_batch"
        | "download_debit_batch" | "settle_debit_batch" | "return_debit"
        // The « affaires scolaires » desk is its agents' (the CCAS: administrators').
        | "open_appointment_slots" | "get_agenda" | "book_appointment_for_caller"
        | "set_appointment_status"
        // The holiday centre's conversation with the family.
        | "get_conversation" | "answer_conversation" | "answer_with_attachment"
        | "set_conversation_status" | "download_conversation_attachment" => {
            Expect::Refused
        }
        other => panic!("classify the staff operation {other} in this test"),
    }
}

struct Alja {
    unit: String,
    tariff_id: String,
    invoice_id: String,
    period: Value,
    booking_id: String,
    family_id: String,
    child_id: String,
    date: chrono::NaiveDate,
    conversation_id: String,
    message_id: String,
}

/// A body aimed at the ALJA, or at moving ALJA's rows into the agent's own service.
fn body(operation_id: &str, alja: &Alja, rules: &Value) -> Value {
    match operation_id {
        "update_service_rules" => {
            let mut r = rules.clone();
            r["cutoff_days"] = json!(0);
            r
        }
        "create_period" => {
            let mut p = alja.period.clone();
            p["name"] = json!("Période pirate");
            p
        }
        "update_period" => {
            let mut p = alja.period.clone();
            p["service"] = json!("restauration");
            p["name"] = json!("Déplacée");
            p
        }
        "create_unit" => json!({"service": "alja", "name": "Pirate", "default_capacity": 99}),
        "update_unit" => {
            json!({"service": "restauration", "name": "Déplacée", "default_capacity": 99})
        }
        "set_capacity" => json!({"date": alja.date, "capacity": 0}),
        "decide_booking_requests" => json!({"decisions": [
            {"booking_id": alja.booking_id, "decision": "decline", "reason": "Non"}
        ]}),
        "create_staff_booking" => json!({
            "child_id": alja.child_id, "unit_id": alja.unit, "date": alja.date, "action": "cancel"
        }),
        "create_tariff" | "update_tariff" => json!({
            "unit_id": alja.unit, "valid_from": "2020-01-01",
            "brackets": [{"up_to": null, "price_cents": 1}]
        }),
        "set_household_resources" => {
            json!({"resources_cents": 100, "resources_year": 2025, "aeeh": true})
        }
        "preview_invoice_run" | "issue_invoice_run" => json!({
            "month": format!("{}", alja.date.format("%Y-%m")), "services": ["alja"]
        }),
        "cancel_invoice" => json!({"reason": "Pirate"}),
        "mark_attendance" => json!({"mark": "excused"}),
        "decide_preregistrations" => {
            json!({"ids": [uuid::Uuid::new_v4()], "decision": "en_commission"})
        }
        "reorder_waiting_list" => json!({"id": uuid::Uuid::new_v4(), "rank": 1, "reason": "x"}),
        "set_family_email" => json!({"email": "pirate@exemple.fr"}),
        "open_appointment_slots" => json!({
            "desk": "scolaire", "date": alja.date, "from": "09:00", "to": "10:00",
            "length_minutes": 30, "capacity": 1
        }),
        "book_appointment_for_caller" => json!({
            "slot_id": uuid::Uuid::new_v4(), "name": "Paul Pirate", "phone": "0612345678",
            "reason": "Pirate"
        }),
        "set_appointment_status" => json!({"status": "cancelled"}),
        "answer_conversation" => json!({"body": "Pirate"}),
        "set_conversation_status" => json!({"status": "closed"}),
        "create_api_key" => json!({"name": "Pirate", "scopes": ["families:read"]}),
        "create_webhook" => json!({"url": "http://localhost:9/x", "events": ["booking.created"]}),
        _ => json!({}),
    }
}

fn concrete(path: &str, alja: &Alja) -> String {
    let id = alja.period["id"].as_str().expect("id");
    let query = match path {
        "/api/v1/staff/attendance" | "/api/v1/staff/attendance.csv" => {
            format!("?unit_id={}&date={}", alja.unit, alja.date)
        }
        "/api/v1/staff/booking-requests" => "?service=alja".to_owned(),
        "/api/v1/staff/appointments" => format!("?desk=scolaire&date={}", alja.date),
        "/api/v1/staff/conversations/{conversation_id}/attachments" => {
            "?filename=pirate.png".to_owned()
        }
        "/api/v1/staff/bookings.csv" => {
            format!("?service=alja&month={}", alja.date.format("%Y-%m"))
        }
        _ => String::new(),
    };
    let path = path
        .replace("{service}", "alja")
        .replace("{unit_id}", &alja.unit)
        .replace("{period_id}", id)
        .replace("{family_id}", &alja.family_id)
        .replace("{staff_id}", &uuid::Uuid::new_v4().to_string())
        .replace("{requirement_id}", &uuid::Uuid::new_v4().to_string())
        .replace("{document_id}", &uuid::Uuid::new_v4().to_string())
        .replace("{announcement_id}", &uuid::Uuid::new_v4().to_string())
        .replace("{tariff_id}", &alja.tariff_id)
        .replace("{invoice_id}", &alja.invoice_id)
        .replace("{payment_id}", &uuid::Uuid::new_v4().to_string())
        .replace("{key_id}", &uuid::Uuid::new_v4().to_string())
        .replace("{webhook_id}", &uuid::Uuid::new_v4().to_string())
        .replace("{delivery_id}", &uuid::Uuid::new_v4().to_string())
        .replace("{appointment_id}", &uuid::Uuid::new_v4().to_string())
        .replace("{batch_id}", &uuid::Uuid::new_v4().to_string())
        .replace("{debit_id}", &uuid::Uuid::new_v4().to_string())
        .replace("{conversation_id}", &alja.conversation_id)
        .replace("{message_id}", &alja.message_id)
        .replace("{year}", "2026")
        .replace("{child_id}", &alja.child_id)
        .replace("{date}", &alja.date.to_string());
    format!("{path}{query}")
}

/// What an agent could have changed of the ALJA, as the admin reads it.
async fn alja_state(app: &TestApp, token: &str, family_token: &str, alja: &Alja) -> Value {
    let read = |path: String| async move {
        let token = if path == "/api/v1/bookings" {
            family_token
        } else {
            token
        };
        app.get_as(&path, token)
            .await
            .json::<Value>()
            .await
            .expect("json")
    };
    json!({
        "rules": read("/api/v1/staff/services/alja/rules".to_owned()).await,
        "periods": read("/api/v1/staff/periods".to_owned()).await,
        "units": read("/api/v1/staff/units".to_owned()).await,
        "sheet": read(format!("/api/v1/staff/attendance?unit_id={}&date={}", alja.unit, alja.date)).await,
        "bookings": read("/api/v1/bookings".to_owned()).await,
        "tariffs": read("/api/v1/staff/tariffs".to_owned()).await,
        "invoices": read("/api/v1/staff/invoices".to_owned()).await,
        "billing": read("/api/v1/staff/billing-settings".to_owned()).await,
        "resources": read(format!("/api/v1/staff/families/{}/resources", alja.family_id)).await,
        "conversation": read(format!("/api/v1/staff/conversations/{}", alja.conversation_id)).await,
    })
}

#[tokio::test]
async fn an_agent_of_the_canteen_changes_nothing_of_the_holiday_centre_on_any_staff_route() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let agent = app.agent().await;
    let me: Value = app
        .get_as("/api/v1/staff/me", &agent.token)
        .await
        .json()
        .await
        .expect("json");
    let agent_id = me["id"].as_str().expect("id");
    assert_eq!(
        app.put_as(
            &format!("/api/v1/staff/accounts/{agent_id}/services"),
            &admin.token,
            &json!({"services": ["restauration"]}),
        )
        .await
        .status(),
        200
    );
    let family = app.bookers("portee", 1).await.remove(0);
    let unit = app.unit("alja", "Matin").await;
    let date = open_weekday(app.state.ctx.clock.today(), 2, Weekday::Tue);
    let booked: Value = app
        .book(
            &family.token,
            "k",
            json!([line(&family.child_id, &unit, date, "book")]),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(booked["accepted"], 1);
    let bookings: Value = app
        .get_as("/api/v1/bookings", &family.token)
        .await
        .json()
        .await
        .expect("json");
    let periods: Value = app
        .get_as("/api/v1/staff/periods?service=alja", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    let tariffs: Value = app
        .get_as("/api/v1/staff/tariffs", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    let tariff_id = tariffs["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|t| t["unit_id"] == unit.as_str())
        .and_then(|t| t["id"].as_str())
        .expect("the demo prices the ALJA's units")
        .to_owned();
    let run: Value = app
        .post_as(
            "/api/v1/staff/invoice-runs",
            &admin.token,
            &json!({"month": format!("{}", date.format("%Y-%m")), "services": ["alja"], "confirm_unfinished_month": true}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(run["invoices_count"], 1, "{run}");
    let invoices: Value = app
        .get_as("/api/v1/staff/invoices", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    let invoice_id = invoices["items"][0]["id"].as_str().expect("id").to_owned();
    // The family writes to the holiday centre, with a file.
    let conversation: Value = app
        .post_as(
            "/api/v1/conversations",
            &family.token,
            &json!({"service": "alja", "subject": "Sortie", "body": "Une question."}),
        )
        .await
        .json()
        .await
        .expect("json");
    let conversation_id = conversation["conversation"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let with_file: Value = app
        .client
        .post(app.url(&format!(
            "/api/v1/conversations/{conversation_id}/attachments?filename=photo.png"
        )))
        .bearer_auth(&family.token)
        .body(crate::family_helpers::png())
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let message_id = with_file["messages"][1]["id"]
        .as_str()
        .expect("the file's message")
        .to_owned();
    let alja = Alja {
        conversation_id,
        message_id,
        unit,
        tariff_id,
        invoice_id,
        period: periods["items"][0].clone(),
        booking_id: bookings["items"][0]["id"].as_str().expect("id").to_owned(),
        family_id: family.family_id.clone(),
        child_id: family.child_id.clone(),
        date,
    };
    let rules = app
        .get_as("/api/v1/staff/services/alja/rules", &admin.token)
        .await
        .json::<Value>()
        .await
        .expect("json");
    let before = alja_state(&app, &admin.token, &family.token, &alja).await;

    let spec: Value = serde_json::from_str(SPEC).expect("json");
    let mut refused = 0;
    for (path, item) in spec["paths"].as_object().expect("paths") {
        if !path.starts_with("/api/v1/staff") {
            continue;
        }
        for (method, operation) in item.as_object().expect("item") {
            let id = operation["operationId"].as_str().expect("operationId");
            let expect = expectation(id);
            if matches!(expect, Expect::NotServiceScoped) {
                continue;
            }
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let mut request = app
                .client
                .request(method.clone(), app.url(&concrete(path, &alja)))
                .bearer_auth(&agent.token);
            if method != Method::GET && method != Method::DELETE {
                request = request.json(&body(id, &alja, &rules));
            }
            let status = request.send().await.expect("sent").status().as_u16();
            match expect {
                Expect::Refused => {
                    assert!(
                        status == 403 || status == 404,
                        "{id}: an agent of the canteen got {status} on the holiday centre"
                    );
                    refused += 1;
                }
                _ => assert_eq!(status, 200, "{id}"),
            }
        }
    }
    assert!(refused >= 20, "only {refused} operations walked");
    // The bookings an integration would sync: the agent's service only.
    let bookings: Value = app
        .get_as("/api/v1/staff/bookings?per_page=500", &agent.token)
        .await
        .json()
        .await
        .expect("json");
    assert!(
        bookings["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|b| b["service"] == "restauration"),
        "{bookings}"
    );
    assert_eq!(
        alja_state(&app, &admin.token, &family.token, &alja).await,
        before,
        "nothing of the holiday centre changed"
    );
}

#[tokio::test]
async fn a_period_or_a_unit_stays_in_its_service_even_for_an_admin() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let unit = app.unit("alja", "Matin").await;
    let moved = app
        .put_as(
            &format!("/api/v1/staff/units/{unit}"),
            &admin.token,
            &json!({"service": "restauration", "name": "Matin", "default_capacity": 20}),
        )
        .await;
    let problem = moved.problem(422).await;
    assert_eq!(problem.errors[0].field, "service");
    let units: Value = app
        .get_as("/api/v1/staff/units?service=alja", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert!(
        units["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|u| u["id"] == unit.as_str())
    );
}
