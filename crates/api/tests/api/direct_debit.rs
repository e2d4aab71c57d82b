//! SEPA direct debit through the API (issue 24, point 4), on whichever database the tests run
//! against: a family signs a mandate online (IBAN checked, text accepted), reads it masked and
//! downloads its PDF; the treasury reads whole IBANs, issues the month's `pain.008.001.02`
//! file — validated against the official XSD (the one `sepaxml` ships) —, the invoice is
//! « prélèvement en cours » and cannot be paid online; a return (R-transaction) puts it back to
//! pay and e-mails the family; a new file debits it again as a first debit, and the settled
//! file pays it.

use chrono::{Datelike as _, Duration};
use portail_domain::rules::billing::sepa::next_collection_day;
use serde_json::{Value, json};

use portail_domain::api::{DebitBatchResponse, MandateList, MandateResponse, MyDirectDebit};

use crate::billing::{issued_invoice, pdf_text};
use crate::client::Answer as _;
use crate::helpers::TestApp;
use crate::helpers::spawn_app;

const IBAN: &str = "FR76 3000 6000 0112 3456 7890 189";

/// Validates `xml` against pain.008.001.02's XSD with Python's `xmlschema`; the errors if not.
fn xsd_errors(xml: &str) -> Option<String> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("debit.xml");
    std::fs::write(&file, xml).expect("written");
    let python = std::env::var("PORTAIL_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let script = "import os, sys, sepaxml, xmlschema\n\
        xsd = os.path.join(os.path.dirname(sepaxml.__file__), 'schemas', 'pain.008.001.02.xsd')\n\
        schema = xmlschema.XMLSchema(xsd)\n\
        errors = [str(e) for e in schema.iter_errors(sys.argv[1])]\n\
        print('\\n'.join(errors))\n\
        sys.exit(1 if errors else 0)\n";
    let output = std::process::Command::new(python)
        .args(["-c", script, file.to_str().expect("path")])
        .output()
        .expect("python runs (scripts/bootstrap installs sepaxml and xmlschema)");
    (!output.status.success()).then(|| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

async fn invoice_status(app: &TestApp, token: &str, id: &str) -> String {
    let invoice: Value = app.get_ok(&format!("/api/v1/invoices/{id}"), token).await;
    invoice["summary"]["status"]
        .as_str()
        .expect("status")
        .to_owned()
}

#[tokio::test]
async fn a_mandate_signed_online_is_debited_in_a_valid_file_returned_then_settled() {
    let app = spawn_app().await;
    app.seed_demo();
    let mut billed = issued_invoice(&app, "sepa").await;
    app.relogin(&mut billed.family).await;
    let family = &billed.family;
    let admin = app.admin().await;

    // « À faire » says what is owed, and links to the invoices.
    let to_do: Value = app.get_ok("/api/v1/to-do", &family.token).await;
    let owed = to_do["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == "reste_a_regler")
        .unwrap_or_else(|| panic!("what is owed is on the dashboard: {to_do}"));
    assert_eq!(owed["href"], "/mes-factures");
    assert!(
        owed["text"]
            .as_str()
            .unwrap_or_default()
            .contains(&portail_domain::format::euros(billed.total)),
        "{owed}"
    );
    let mine: MyDirectDebit = app.get_ok("/api/v1/direct-debit", &family.token).await;
    assert!(mine.offered && mine.mandate.is_none());
    assert!(
        mine.mandate_text.contains("FR72ZZZ123456"),
        "{}",
        mine.mandate_text
    );

    // Checked: the IBAN by ISO 13616, the text accepted.
    let problem = app
        .post_as(
            "/api/v1/direct-debit/mandate",
            &family.token,
            &json!({"holder": "Camille Banc", "iban": "FR76 3000 6000 0112 3456 7890 188", "accept": false}),
        )
        .await
        .problem(422)
        .await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["iban", "accept"]);
    let signed: MandateResponse = app
        .post_ok(
            "/api/v1/direct-debit/mandate",
            &family.token,
            &json!({"holder": "Camille Banc", "iban": IBAN, "accept": true}),
            201,
        )
        .await;
    assert!(signed.iban.is_none(), "the family reads its IBAN masked");
    assert_eq!(signed.iban_masked, "FR76 •••• •••• •••• •••• 0189");
    assert!(signed.signed_online);
    let pdf = app
        .get_as("/api/v1/direct-debit/mandate/pdf", &family.token)
        .await;
    assert_eq!(pdf.status(), 200);
    let text = pdf_text(&pdf.bytes().await.expect("bytes"));
    assert!(text.contains(&signed.reference), "{text}");
    assert!(text.contains("FR72ZZZ123456"), "{text}");
    assert!(text.contains("FR76 3000 6000 0112 3456 7890 189"), "{text}");

    // The treasury reads whole IBANs; an agent nothing.
    let mandates: MandateList = app
        .get_ok("/api/v1/staff/direct-debit/mandates", &admin.token)
        .await;
    assert_eq!(
        mandates.items[0].iban.as_deref(),
        Some("FR7630006000011234567890189")
    );
    let agent = app.agent().await;
    assert_eq!(
        app.get_as("/api/v1/staff/direct-debit/mandates", &agent.token)
            .await
            .status(),
        403
    );

    // The file: out of the bank's delay refused; then one FRST debit of what is left.
    let today = app.state.ctx.clock.today();
    let problem = app
        .post_as(
            "/api/v1/staff/direct-debit/batches",
            &admin.token,
            &json!({"collection_date": today}),
        )
        .await
        .problem(422)
        .await;
    assert_eq!(problem.errors[0].field, "collection_date");
    let collection = next_collection_day(today + Duration::days(5));
    // A weekend is not a banks' day.
    let saturday = (1..8)
        .map(|n| today + Duration::days(n + 4))
        .find(|d| d.weekday() == chrono::Weekday::Sat)
        .expect("a Saturday in a week");
    let problem = app
        .post_as(
            "/api/v1/staff/direct-debit/batches",
            &admin.token,
            &json!({ "collection_date": saturday }),
        )
        .await
        .problem(422)
        .await;
    assert_eq!(problem.errors[0].code, "not_a_business_day");
    let batch: DebitBatchResponse = app
        .post_ok(
            "/api/v1/staff/direct-debit/batches",
            &admin.token,
            &json!({ "collection_date": collection }),
            201,
        )
        .await;
    assert_eq!(batch.count, 1);
    assert_eq!(batch.total_cents, billed.total);
    assert_eq!(batch.debits[0].invoice_id.to_string(), billed.invoice_id);
    assert_eq!(batch.debits[0].sequence.as_str(), "FRST");
    let xml = app
        .get_as(
            &format!("/api/v1/staff/direct-debit/batches/{}/xml", batch.id),
            &admin.token,
        )
        .await
        .text()
        .await
        .expect("xml");
    assert_eq!(xsd_errors(&xml), None, "{xml}");
    assert!(xml.contains("<SeqTp>FRST</SeqTp>"));
    assert!(xml.contains("<MndtId>") && xml.contains(&signed.reference));
    assert!(xml.contains(&format!("<ReqdColltnDt>{collection}</ReqdColltnDt>")));
    // A file with a mistake is refused by the same check (the check can fail).
    assert!(xsd_errors(&xml.replace("<PmtMtd>DD</PmtMtd>", "<PmtMtd>XX</PmtMtd>")).is_some());

    // At the bank: not payable online, not in the next file.
    assert_eq!(
        invoice_status(&app, &family.token, &billed.invoice_id).await,
        "prelevement_en_cours"
    );
    let online = app
        .post_as(
            "/api/v1/payments/online",
            &family.token,
            &json!({ "invoice_id": billed.invoice_id }),
        )
        .await;
    assert_eq!(online.status(), 409);
    assert_eq!(
        app.post_as(
            "/api/v1/staff/direct-debit/batches",
            &admin.token,
            &json!({ "collection_date": collection }),
        )
        .await
        .status(),
        409,
        "nothing left to debit"
    );

    // Returned (insufficient funds): to pay again, the family told why.
    let debit = batch.debits[0].id;
    let returned: Value = app
        .post_ok(
            &format!("/api/v1/staff/direct-debit/debits/{debit}/return"),
            &admin.token,
            &json!({"reason": "AM04", "returned_on": today}),
            200,
        )
        .await;
    assert_eq!(returned["status"], "returned");
    assert_ne!(
        invoice_status(&app, &family.token, &billed.invoice_id).await,
        "prelevement_en_cours"
    );
    app.outbox_drained().await;
    let mail = app
        .smtp
        .messages()
        .into_iter()
        .find(|m| m.to.contains(&family.email) && m.subject.contains("rejeté"))
        .expect("the family is told the debit was returned");
    assert!(
        mail.text.contains("Provision insuffisante"),
        "{}",
        mail.text
    );
    assert_eq!(
        app.post_as(
            &format!("/api/v1/staff/direct-debit/debits/{debit}/return"),
            &admin.token,
            &json!({"reason": "AM04", "returned_on": today}),
        )
        .await
        .status(),
        409,
        "returned once"
    );

    // Debited again (a first debit again: nothing was ever settled), then settled: paid.
    let again: DebitBatchResponse = app
        .post_ok(
            "/api/v1/staff/direct-debit/batches",
            &admin.token,
            &json!({ "collection_date": collection }),
            201,
        )
        .await;
    assert_eq!(again.debits[0].sequence.as_str(), "FRST");
    assert_eq!(
        app.post_as(
            &format!("/api/v1/staff/direct-debit/batches/{}/settle", again.id),
            &admin.token,
            &json!({}),
        )
        .await
        .status(),
        409,
        "not before the collection day"
    );
    app.advance_clock(collection - today + Duration::days(1));
    let admin = app.staff_again(&admin).await;
    app.relogin(&mut billed.family).await;
    let family = &billed.family;
    // Settled through two server processes at once: one payment.
    let twin = app.twin().await;
    let settle = |server: &TestApp| {
        server
            .client
            .post(server.url(&format!(
                "/api/v1/staff/direct-debit/batches/{}/settle",
                again.id
            )))
            .bearer_auth(&admin.token)
            .json(&json!({}))
            .send()
    };
    let (one, two) = tokio::join!(settle(&app), settle(&twin));
    let (one, two) = (one.expect("sent"), two.expect("sent"));
    assert_eq!((one.status().as_u16(), two.status().as_u16()), (200, 200));
    let settled: DebitBatchResponse = one.json().await.expect("json");
    assert_eq!(settled.debits[0].status.as_str(), "settled");
    assert_eq!(
        invoice_status(&app, &family.token, &billed.invoice_id).await,
        "payee"
    );
    let payments: Value = app.get_ok("/api/v1/payments", &family.token).await;
    assert!(
        payments["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|p| p["method"] == "direct_debit" && p["amount_cents"] == billed.total),
        "{payments}"
    );
    assert_eq!(
        payments["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|p| p["method"] == "direct_debit")
            .count(),
        1,
        "settled once: {payments}"
    );
    // A paper mandate: checked by the same rules, its day passed.
    let problem = app
        .post_as(
            "/api/v1/staff/direct-debit/mandates",
            &admin.token,
            &json!({"family_id": family.family_id, "holder": "Camille Banc", "iban": "FR00", "signed_on": app.state.ctx.clock.today() + Duration::days(1)}),
        )
        .await
        .problem(422)
        .await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["iban", "signed_on"]);
    let paper: MandateResponse = app
        .post_ok(
            "/api/v1/staff/direct-debit/mandates",
            &admin.token,
            &json!({"family_id": family.family_id, "holder": "Camille Banc", "iban": IBAN, "signed_on": app.state.ctx.clock.today()}),
            201,
        )
        .await;
    assert!(!paper.signed_online);
    assert_eq!(paper.iban.as_deref(), Some("FR7630006000011234567890189"));

    // Revoked: no active mandate; a new one would be needed.
    assert_eq!(
        app.delete_as("/api/v1/direct-debit/mandate", &family.token)
            .await
            .status(),
        204
    );
    let mine: MyDirectDebit = app.get_ok("/api/v1/direct-debit", &family.token).await;
    assert!(mine.mandate.is_none());
}
