//! Filling a family's file through the API.

use portail_domain::api::{AccountResponse, ChildResponse};
use serde_json::{Value, json};

use crate::client::Answer as _;

use crate::accounts::TestFamily;
use crate::helpers::TestApp;

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

pub fn png() -> Vec<u8> {
    let mut bytes = vec![
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
    ];
    bytes.extend_from_slice(&[
        0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE,
    ]);
    bytes.extend_from_slice(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]);
    bytes
}

pub fn jpeg() -> Vec<u8> {
    let mut bytes = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00,
    ];
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}

pub fn complete_household() -> Value {
    json!({
        "family_situation": "marie",
        "dependent_children": 1,
        "allocation_regime": "caf",
        "beneficiary_number": "1234567",
        "family_quotient": 850,
        "family_quotient_year": 2026,
        "insurance_company": "MAIF",
        "insurance_policy_number": "RC-1",
        "invoice_payer": "titulaire",
        "contacts": [{"last_name": "Roux", "first_name": "Monique", "phone": "04 70 11 22 33", "relationship": "Grand-mère", "emergency_contact": true, "can_pick_up": true}]
    })
}

pub fn complete_child(first_name: &str) -> Value {
    json!({
        "last_name": "Durand", "first_name": first_name, "sex": "fille", "birth_date": "2019-05-14",
        "has_pai": false, "vaccinations_up_to_date": true, "diet": "aucun", "allergies": "Arachide",
        "doctor_name": "Dr Morel",
        "photo_consent": true, "emergency_care_consent": true, "may_leave_alone": false, "outings_consent": true
    })
}

impl TestApp {
    pub async fn put_as(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("sent")
    }

    pub async fn delete_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("sent")
    }

    pub async fn upload(
        &self,
        token: &str,
        document_type: &str,
        child_id: Option<&str>,
        filename: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let mut query = vec![
            ("document_type", document_type.to_owned()),
            ("filename", filename.to_owned()),
        ];
        if let Some(child_id) = child_id {
            query.push(("child_id", child_id.to_owned()));
        }
        self.client
            .post(self.url("/api/v1/documents"))
            .query(&query)
            .bearer_auth(token)
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .expect("sent")
    }

    /// Fills the whole file (household, one child, the demo's required documents — seeded
    /// first) and returns the child's id. Does not submit.
    pub async fn fill_file(&self, family: &TestFamily) -> String {
        assert_eq!(
            self.put_as("/api/v1/household", &family.token, &complete_household())
                .await
                .status(),
            200
        );
        let child: ChildResponse = self
            .post_as("/api/v1/children", &family.token, &complete_child("Léa"))
            .await
            .read(201)
            .await;
        let child_id = child.id.to_string();
        for (document_type, child) in [
            ("justificatif_domicile", None),
            ("attestation_assurance", None),
            // The household declares a quotient: its attestation comes with it.
            ("attestation_caf_qf", None),
            ("carnet_vaccination", Some(child_id.as_str())),
        ] {
            let response = self
                .upload(
                    &family.token,
                    document_type,
                    child,
                    "piece.pdf",
                    PDF.to_vec(),
                )
                .await;
            assert_eq!(response.status(), 201, "{document_type}");
        }
        child_id
    }

    /// A family whose file is sent (the demo seed provides the requirements).
    pub async fn submitted_family(&self) -> (TestFamily, String) {
        let family = TestFamily::confirmed(self).await;
        let child_id = self.fill_file(&family).await;
        let submitted = self
            .post_as("/api/v1/dossier/submit", &family.token, &json!({}))
            .await;
        assert_eq!(submitted.status(), 200);
        (family, child_id)
    }

    pub async fn family_id(&self, family: &TestFamily) -> String {
        let account: AccountResponse = self.get_ok("/api/v1/account", &family.token).await;
        account.family_id.to_string()
    }
}
