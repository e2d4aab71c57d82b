//! The OpenAPI document says what the server does (issue « An API contract integrators can
//! trust »): methods, statuses, media types, strict dates, bodies that are objects. Each test
//! here failed on the server before that issue; `scripts/contract` fuzzes the rest.

use portail_domain::api::wire;
use serde_json::{Value, json};

use crate::accounts::TestFamily;
use crate::client::Answer as _;
use crate::helpers::{problem, spawn_app};

const COMMITTED: &str = include_str!("../../../../openapi/openapi.json");

fn spec() -> Value {
    serde_json::from_str(COMMITTED).expect("openapi/openapi.json is JSON")
}

fn allow(response: &reqwest::Response) -> Vec<String> {
    let mut methods: Vec<String> = response
        .headers()
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(',')
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty())
        .collect();
    methods.sort();
    methods
}

#[tokio::test]
async fn a_method_a_path_does_not_have_is_405_with_allow_and_options_lists_them() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    for (method, path, expected) in [
        ("TRACE", "/api/v1/services", vec!["GET", "OPTIONS"]),
        ("PATCH", "/api/v1/household", vec!["GET", "OPTIONS", "PUT"]),
        ("DELETE", "/api/v1/commune", vec!["GET", "OPTIONS"]),
        (
            "POST",
            "/api/v1/children/0193f3c2-7a1e-7b3c-9d2e-5f6a7b8c9d0e",
            vec!["DELETE", "GET", "OPTIONS", "PUT"],
        ),
        ("GET", "/api/v1/auth/login", vec!["OPTIONS", "POST"]),
        (
            "HEAD",
            "/api/v1/staff/attendance.csv",
            vec!["GET", "OPTIONS"],
        ),
    ] {
        let response = app
            .client
            .request(method.parse().expect("method"), app.url(path))
            .bearer_auth(&family.token)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(allow(&response), expected, "{method} {path}");
        if method != "HEAD" {
            let problem = problem(response).await;
            assert_eq!(problem.code.as_str(), "method_not_allowed");
        }
    }
    let options = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/household"))
        .send()
        .await
        .expect("sent");
    assert_eq!(options.status(), 204);
    assert_eq!(allow(&options), vec!["GET", "OPTIONS", "PUT"]);
    // A path no operation has stays a 404.
    let unknown = app
        .client
        .request(reqwest::Method::TRACE, app.url("/api/v1/nothing-here"))
        .send()
        .await
        .expect("sent");
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn a_body_must_be_a_json_object() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    let before: Value = app
        .get_as("/api/v1/household", &family.token)
        .await
        .json()
        .await
        .expect("json");
    for body in ["[null, null]", "[]", "\"marie\"", "12", "null"] {
        let response = app
            .client
            .put(app.url("/api/v1/household"))
            .bearer_auth(&family.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 400, "{body}");
        assert_eq!(
            problem(response).await.code.as_str(),
            "invalid_body",
            "{body}"
        );
    }
    let after: Value = app
        .get_as("/api/v1/household", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(before, after, "a refused body changed nothing");
}

#[tokio::test]
async fn loose_dates_and_times_are_refused_and_strict_ones_accepted() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let unit = app.unit("alja", "Journée avec repas").await;
    let capacity = |date: &str, capacity: Value| json!({"date": date, "capacity": capacity});
    let path = format!("/api/v1/staff/units/{unit}/capacity");
    for date in [
        "2027-1-5",
        "0000-01-01",
        "2027-07-05T00:00:00",
        "20270705",
        "2027-02-30",
    ] {
        let response = app
            .put_as(&path, &admin.token, &capacity(date, json!(5)))
            .await;
        assert_eq!(response.status(), 400, "{date}");
        assert_eq!(
            problem(response).await.code.as_str(),
            "invalid_body",
            "{date}"
        );
    }
    let response = app
        .put_as(&path, &admin.token, &capacity("2027-07-05", json!(5)))
        .await;
    assert_eq!(response.status(), 200);
    // JSON Schema's integers include 7.0; 7.5 is not one.
    let response = app
        .put_as(&path, &admin.token, &capacity("2027-07-05", json!(7.0)))
        .await;
    let body: Value = response.read(200).await;
    assert_eq!(body["capacity"], 7);
    let response = app
        .put_as(&path, &admin.token, &capacity("2027-07-05", json!(7.5)))
        .await;
    assert_eq!(response.status(), 400);

    // The attendance sheet's query date too.
    let response = app
        .get_as(
            &format!("/api/v1/staff/attendance?unit_id={unit}&date=2027-7-5"),
            &admin.token,
        )
        .await;
    assert_eq!(
        response.problem(400).await.code.as_str(),
        "invalid_parameter"
    );

    // A period's booking window is a local time: no offset, seconds optional.
    let period = |opens: &str| {
        json!({
            "service": "alja", "name": "Toussaint 2027", "starts_on": "2027-10-25", "ends_on": "2027-10-29",
            "booking_opens_at": opens, "booking_closes_at": "2027-10-20T18:00:00",
            "open_weekdays": [true, true, true, true, true, false, false], "closed_dates": []
        })
    };
    for opens in [
        "2027-09-01T09:00:00Z",
        "2027-09-01T09:00:00+02:00",
        "2027-09-01 09:00:00",
    ] {
        let response = app
            .post_as("/api/v1/staff/periods", &admin.token, &period(opens))
            .await;
        assert_eq!(response.status(), 400, "{opens}");
    }
    let response = app
        .post_as(
            "/api/v1/staff/periods",
            &admin.token,
            &period("2027-09-01T09:00"),
        )
        .await;
    let created: Value = response.read(201).await;
    assert_eq!(created["booking_opens_at"], "2027-09-01T09:00:00");
}

/// The patterns and bounds the document shows are the ones the server applies.
#[test]
fn the_documented_formats_and_bounds_are_the_servers() {
    use portail_domain::rules::planning::setup;
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    assert_eq!(schemas["Day"]["pattern"], wire::DATE_PATTERN);
    assert_eq!(schemas["LocalTime"]["pattern"], wire::TIME_PATTERN);
    assert_eq!(
        schemas["LocalDateTime"]["pattern"],
        wire::LOCAL_DATE_TIME_PATTERN
    );
    for (schema, field) in [
        ("PeriodRequest", "name"),
        ("UnitRequest", "name"),
        ("CommuneSettings", "name"),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field]["pattern"],
            portail_domain::parse::LABEL_PATTERN,
            "{schema}.{field}"
        );
    }
    // A field of the schema itself, or of the object beside a flattened part (`allOf`).
    let bound = |schema: &str, field: &str, key: &str| {
        let own = std::iter::once(&schemas[schema]);
        let parts = schemas[schema]["allOf"].as_array().into_iter().flatten();
        own.chain(parts)
            .find_map(|part| part["properties"][field][key].as_u64())
            .unwrap_or_else(|| panic!("{schema}.{field} has no {key}"))
    };
    let as_u64 = |n: usize| u64::try_from(n).expect("fits");
    assert_eq!(
        bound("PeriodRequest", "name", "maxLength"),
        as_u64(setup::MAX_NAME_LEN)
    );
    assert_eq!(
        bound("UnitRequest", "name", "maxLength"),
        as_u64(setup::MAX_NAME_LEN)
    );
    assert_eq!(
        bound("CommuneSettings", "name", "maxLength"),
        as_u64(portail_domain::rules::commune::MAX_NAME_LEN)
    );
    assert_eq!(
        bound("PeriodRequest", "closed_dates", "maxItems"),
        as_u64(setup::MAX_CLOSED_DATES)
    );
    assert_eq!(
        bound("UnitRequest", "default_capacity", "maximum"),
        u64::from(setup::MAX_CAPACITY)
    );
    assert_eq!(
        bound("CapacityRequest", "capacity", "maximum"),
        u64::from(setup::MAX_CAPACITY)
    );
    assert_eq!(
        bound("ServiceRulesDto", "cutoff_days", "maximum"),
        u64::from(setup::MAX_CUTOFF_DAYS)
    );
    assert_eq!(
        bound("ServiceRulesDto", "min_age_months", "maximum"),
        u64::from(setup::MAX_AGE_MONTHS)
    );
    assert_eq!(
        bound("ServiceRulesDto", "max_age_months", "maximum"),
        u64::from(setup::MAX_AGE_MONTHS)
    );
    assert_eq!(
        bound("UnitRequest", "price_cents", "maximum"),
        u64::try_from(setup::MAX_PRICE_CENTS).expect("positive")
    );
    assert_eq!(
        bound("DecideBookingRequestsRequest", "decisions", "maxItems"),
        as_u64(setup::MAX_DECISIONS)
    );
    assert_eq!(
        bound("RequestDecisionLine", "reason", "maxLength"),
        as_u64(setup::MAX_REASON_LEN)
    );
    assert_eq!(
        bound("BookingBatchRequest", "lines", "maxItems"),
        as_u64(portail_service::planning::submit::MAX_LINES)
    );
    use portail_domain::parse::{
        AddressLine, CityName, Email, Password, PersonName, Phone, PostalCode,
    };
    for (schema, field, max) in [
        ("RegisterFamilyRequest", "email", Email::MAX_LEN),
        ("RegisterFamilyRequest", "password", Password::MAX_LEN),
        ("HolderDetails", "address_line1", AddressLine::MAX_LEN),
        ("HolderDetails", "postal_code", PostalCode::MAX_LEN),
        ("HolderDetails", "city", CityName::MAX_LEN),
        ("HolderDetails", "mobile_phone", Phone::MAX_LEN),
        ("HolderDetails", "last_name", PersonName::MAX_LEN),
        ("HolderDetails", "first_name", PersonName::MAX_LEN),
        ("ChildRequest", "first_name", PersonName::MAX_LEN),
        ("ContactPerson", "phone", Phone::MAX_LEN),
        ("CreateStaffRequest", "display_name", PersonName::MAX_LEN),
        (
            "RequestInfoRequest",
            "message",
            portail_service::family::dossier::MAX_MESSAGE_LEN,
        ),
        (
            "ReviewDocumentRequest",
            "reason",
            portail_service::family::documents::MAX_REASON_LEN,
        ),
    ] {
        assert_eq!(
            bound(schema, field, "maxLength"),
            as_u64(max),
            "{schema}.{field}"
        );
    }
    for (schema, field, pattern) in [
        (
            "ChildRequest",
            "allergies",
            portail_domain::parse::TEXT_PATTERN,
        ),
        (
            "Household",
            "insurance_company",
            portail_domain::parse::TEXT_PATTERN,
        ),
        (
            "RequestInfoRequest",
            "message",
            portail_domain::parse::MESSAGE_PATTERN,
        ),
        (
            "RequestDecisionLine",
            "reason",
            portail_domain::parse::MESSAGE_PATTERN,
        ),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field]["pattern"], pattern,
            "{schema}.{field}"
        );
    }
}

/// Every status a family of operations can answer is in the document: 401/403 with a token,
/// 400 with anything to parse, 404 with an id in the path, 413/415/422 with a body.
#[test]
fn the_common_statuses_are_documented_on_every_operation() {
    let spec = spec();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("item") {
            let responses = operation["responses"].as_object().expect("responses");
            let has = |status: &str| responses.contains_key(status);
            let params = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let has_param = |place: &str| params.iter().any(|p| p["in"] == place);
            let body = operation.get("requestBody").is_some();
            let label = format!("{method} {path}");
            assert!(has("500"), "{label}: 500");
            if operation["security"]
                .as_array()
                .is_some_and(|s| !s.is_empty())
            {
                assert!(has("401") && has("403"), "{label}: 401/403");
            }
            if body || has_param("query") || has_param("header") {
                assert!(has("400"), "{label}: 400");
            }
            if has_param("path") {
                assert!(has("404"), "{label}: 404");
            }
            if body {
                assert!(
                    has("413") && has("415") && has("422"),
                    "{label}: 413/415/422"
                );
            }
        }
    }
    let download = &spec["paths"]["/api/v1/documents/{document_id}/content"]["get"]["responses"]["200"]
        ["content"];
    let mut types: Vec<&String> = download.as_object().expect("content").keys().collect();
    types.sort();
    assert_eq!(types, ["application/pdf", "image/jpeg", "image/png"]);
}

/// Staff values out of range are refused with a reason, never stored changed: a cut-off of
/// 2^31 days used to become « no cut-off », a capacity of 2^32-1 was stored as 2^31-1, a
/// negative price was taken, and names with NUL or 100,000 characters were served to families.
#[tokio::test]
async fn out_of_range_staff_values_are_refused_and_nothing_changes() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let rules_path = "/api/v1/staff/services/alja/rules";
    let rules_before: Value = app
        .get_as(rules_path, &admin.token)
        .await
        .json()
        .await
        .expect("json");
    let services_before = app.services().await;
    let with = |field: &str, value: Value| {
        let mut rules = rules_before.clone();
        rules[field] = value;
        rules
    };
    for (field, value, status) in [
        ("cutoff_days", json!(2_147_483_648_u64), 422),
        ("cutoff_days", json!(4_294_967_296_u64), 400),
        ("cutoff_days", json!(61), 422),
        ("min_age_months", json!(2_147_483_648_u64), 422),
        ("max_age_months", json!(301), 422),
        ("cutoff_days", json!(-1), 400),
    ] {
        let response = app
            .put_as(rules_path, &admin.token, &with(field, value.clone()))
            .await;
        assert_eq!(response.status(), status, "{field} = {value}");
    }
    let rules_after: Value = app
        .get_as(rules_path, &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(rules_before, rules_after, "refused rules changed nothing");

    let unit = app.unit("alja", "Journée avec repas").await;
    let response = app
        .put_as(
            &format!("/api/v1/staff/units/{unit}/capacity"),
            &admin.token,
            &json!({"date": "2027-07-05", "capacity": 4_294_967_295_u64}),
        )
        .await;
    assert_eq!(response.status(), 422, "refused, not stored as 2^31-1");
    let unit_body = |name: Value, price: Value| json!({"service": "alja", "name": name, "default_capacity": 10, "price_cents": price, "position": 1});
    for (body, field) in [
        (unit_body(json!("Soirée"), json!(-1)), "price_cents"),
        (unit_body(json!("Soi\u{0}rée"), json!(100)), "name"),
        (unit_body(json!("a".repeat(100_000)), json!(100)), "name"),
        (unit_body(json!("   "), json!(100)), "name"),
    ] {
        let response = app
            .post_as("/api/v1/staff/units", &admin.token, &body)
            .await;
        assert_eq!(response.status(), 422, "{field}");
        let problem = problem(response).await;
        assert_eq!(problem.errors[0].field, field);
    }
    let services_after = app.services().await;
    assert_eq!(
        services_before, services_after,
        "no refused unit reached the families"
    );
}

/// Family and account texts: bounded as documented, control characters refused, staff
/// messages refused when too long rather than cut.
#[tokio::test]
async fn family_texts_and_staff_messages_are_bounded_as_documented() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    let spec = spec();
    let child = &spec["components"]["schemas"]["ChildRequest"]["properties"];
    let max = |field: &str| {
        usize::try_from(child[field]["maxLength"].as_u64().expect("maxLength")).expect("fits")
    };
    for (field, value) in [
        ("first_name", "L".repeat(max("first_name") + 1)),
        ("allergies", "a".repeat(max("allergies") + 1)),
        ("school", "École\u{7}".to_owned()),
        ("doctor_phone", "0".repeat(31)),
    ] {
        let mut body = crate::family_helpers::complete_child("Léa");
        body[field] = json!(value);
        let response = app.post_as("/api/v1/children", &family.token, &body).await;
        assert_eq!(response.status(), 422, "{field}");
        assert_eq!(problem(response).await.errors[0].field, field);
    }
    // At the limit, and with a line break (it becomes a space), it is taken.
    let mut body = crate::family_helpers::complete_child("Léa");
    body["allergies"] = json!(format!("arachides\n{}", "a".repeat(max("allergies") - 10)));
    let response = app.post_as("/api/v1/children", &family.token, &body).await;
    assert_eq!(response.status(), 201);

    let (submitted, _) = app.submitted_family().await;
    let family_id = app.family_id(&submitted).await;
    let admin = app.admin().await;
    let path = format!("/api/v1/staff/families/{family_id}/request-info");
    let too_long = "m".repeat(portail_service::family::dossier::MAX_MESSAGE_LEN + 1);
    for message in [too_long.as_str(), "Bonjour\u{0}", "   "] {
        let response = app
            .post_as(&path, &admin.token, &json!({ "message": message }))
            .await;
        assert_eq!(response.problem(422).await.errors[0].field, "message");
    }
    let response = app
        .post_as(
            &path,
            &admin.token,
            &json!({ "message": "Bonjour,\nl'attestation est illisible." }),
        )
        .await;
    assert_eq!(response.status(), 200);
}
