use crate::helpers::spawn_app;

const COMMITTED: &str = include_str!("../../../../openapi/openapi.json");

#[tokio::test]
async fn the_served_spec_is_the_committed_one() {
    let app = spawn_app().await;

    let served: serde_json::Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("json");

    let committed: serde_json::Value =
        serde_json::from_str(COMMITTED).expect("openapi/openapi.json is JSON");
    assert!(
        served == committed,
        "openapi/openapi.json differs from the spec the server serves: regenerate it with `scripts/openapi` (or `cargo run -p portail-api -- openapi > openapi/openapi.json`) and commit it"
    );
}

#[test]
fn the_committed_file_is_exactly_what_the_openapi_command_prints() {
    let printed = portail_api::openapi::spec_json().expect("spec");
    assert!(
        printed == COMMITTED,
        "openapi/openapi.json is not formatted as `portail openapi` prints it: regenerate it with `scripts/openapi`"
    );
}

#[test]
fn every_operation_has_an_id_a_tag_and_documented_responses() {
    let spec: serde_json::Value = serde_json::from_str(COMMITTED).expect("json");
    let paths = spec["paths"].as_object().expect("paths");
    assert!(paths.contains_key("/api/v1/health"));
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("path item") {
            let id = operation["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            assert!(operation["tags"].is_array(), "{id} has no tag");
            assert!(
                operation["responses"]
                    .as_object()
                    .is_some_and(|r| !r.is_empty()),
                "{id} documents no response"
            );
        }
    }
}

#[tokio::test]
async fn the_interactive_documentation_is_served_from_the_binary() {
    let app = spawn_app().await;

    let redirect = app.get("/api/docs").await;
    assert!(redirect.status().is_redirection());
    assert_eq!(redirect.headers()["location"], "/api/docs/");

    let page = app.get("/api/docs/").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("swagger-ui"), "{html}");

    let asset = app.get("/api/docs/swagger-ui-bundle.js").await;
    assert_eq!(asset.status(), 200);
    let initializer = app
        .get("/api/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .expect("js");
    assert!(initializer.contains("/api/openapi.json"), "{initializer}");
}

#[test]
fn every_operation_that_takes_a_token_documents_401_and_403_as_problems() {
    let spec: serde_json::Value = serde_json::from_str(COMMITTED).expect("json");
    let mut secured = 0;
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            if operation["security"]
                .as_array()
                .is_none_or(|s| s.is_empty())
            {
                continue;
            }
            secured += 1;
            for status in ["401", "403"] {
                let content =
                    &operation["responses"][status]["content"]["application/problem+json"];
                assert!(
                    content["schema"]["$ref"] == "#/components/schemas/Problem",
                    "{method} {path} does not document {status} as a problem"
                );
            }
        }
    }
    assert!(secured >= 50, "only {secured} secured operations");
}

/// Does `value` deserialize as the Rust type behind the spec's schema `name`? A new enum of
/// the API must be added here: the test fails on an enum it does not know.
fn the_server_reads(name: &str, value: &serde_json::Value) -> bool {
    use portail_domain::api::*;
    use portail_domain::auth::StaffRole;
    use portail_domain::dossier::*;
    use portail_domain::parse::Civility;
    use portail_domain::rules::billing::invoice::InvoiceStatus;
    use portail_domain::rules::planning::{BookingMode, RefusalCode, WeekdayRule};
    use portail_domain::{ErrorCode, ServiceCode};
    fn reads<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> bool {
        serde_json::from_value::<T>(value.clone()).is_ok()
    }
    match name {
        "AllocationRegime" => reads::<AllocationRegime>(value),
        "ApiScope" => reads::<portail_domain::auth::api_key::ApiScope>(value),
        "WebhookEvent" => reads::<portail_domain::rules::webhooks::WebhookEvent>(value),
        "DeliveryStatus" => reads::<portail_domain::rules::webhooks::DeliveryStatus>(value),
        "AttendanceMarkCode" => reads::<AttendanceMarkCode>(value),
        "InvoiceKind" => reads::<InvoiceKind>(value),
        "InvoiceStatus" => reads::<InvoiceStatus>(value),
        "OnlinePaymentStatus" => reads::<OnlinePaymentStatus>(value),
        "PaymentMethod" => reads::<PaymentMethod>(value),
        "PreRegistrationStatus" => reads::<PreRegistrationStatus>(value),
        "PreRegistrationDecision" => reads::<PreRegistrationDecision>(value),
        "WaitingListMode" => reads::<portail_domain::rules::waiting_list::WaitingListMode>(value),
        "SiblingKind" => reads::<SiblingKind>(value),
        "BookingMode" => reads::<BookingMode>(value),
        "BookingStatus" => reads::<BookingStatus>(value),
        "CellState" => reads::<CellState>(value),
        "Civility" => reads::<Civility>(value),
        "ComponentStatus" => reads::<ComponentStatus>(value),
        "Diet" => reads::<Diet>(value),
        "DocumentDecision" => reads::<DocumentDecision>(value),
        "DocumentStatus" => reads::<DocumentStatus>(value),
        "DocumentType" => reads::<DocumentType>(value),
        "DossierEventKind" => reads::<DossierEventKind>(value),
        "DossierSection" => reads::<DossierSection>(value),
        "DossierStatus" => reads::<DossierStatus>(value),
        "ErrorCode" => reads::<ErrorCode>(value),
        "FamilySituation" => reads::<FamilySituation>(value),
        "HealthStatus" => reads::<HealthStatus>(value),
        "InvoicePayer" => reads::<InvoicePayer>(value),
        "LineAction" => reads::<LineAction>(value),
        "LineOutcome" => reads::<LineOutcome>(value),
        "RefusalCode" => reads::<RefusalCode>(value),
        "RequestDecision" => reads::<RequestDecision>(value),
        "ServiceCode" => reads::<ServiceCode>(value),
        "Sex" => reads::<Sex>(value),
        "StaffRole" => reads::<StaffRole>(value),
        "TileCode" => reads::<TileCode>(value),
        "WeekdayRule" => reads::<WeekdayRule>(value),
        "WeekdayCode" => reads::<WeekdayCode>(value),
        "PatternOutcome" => reads::<PatternOutcome>(value),
        "AppointmentDesk" => reads::<portail_domain::api::AppointmentDesk>(value),
        "AppointmentStatus" => reads::<portail_domain::api::AppointmentStatus>(value),
        "ConversationStatus" => reads::<portail_domain::api::ConversationStatus>(value),
        "MandateStatus" => reads::<portail_domain::api::MandateStatus>(value),
        "DebitStatus" => reads::<portail_domain::api::DebitStatus>(value),
        "SequenceType" => reads::<portail_domain::api::SequenceType>(value),
        "ReturnReason" => reads::<portail_domain::api::ReturnReason>(value),
        "ToDoKind" => reads::<portail_domain::api::ToDoKind>(value),
        other => panic!("the enum {other} of the spec is not known to this test: add it"),
    }
}

#[test]
fn every_enum_value_the_spec_lists_is_one_the_server_reads() {
    let spec: serde_json::Value = serde_json::from_str(COMMITTED).expect("json");
    let mut checked = 0;
    for (name, schema) in spec["components"]["schemas"].as_object().expect("schemas") {
        let Some(values) = schema["enum"].as_array() else {
            continue;
        };
        for value in values {
            assert!(
                the_server_reads(name, value),
                "the spec lists {value} for {name}, which the server refuses"
            );
            checked += 1;
        }
    }
    assert!(checked >= 80, "only {checked} enum values");
}
