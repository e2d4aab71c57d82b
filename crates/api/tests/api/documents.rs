use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::accounts::TestFamily;
use crate::family_helpers::{PDF, jpeg, png};
use crate::helpers::{problem, spawn_app};

#[tokio::test]
async fn documents_are_recognised_by_content_stored_with_their_digest_and_downloaded_as_attachments()
 {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;

    for (bytes, name, expected) in [
        (PDF.to_vec(), "justificatif.pdf", "application/pdf"),
        (jpeg(), "carnet.jpg", "image/jpeg"),
        (png(), "scan.png", "image/png"),
    ] {
        let response = app
            .upload(&family.token, "autre", None, name, bytes.clone())
            .await;
        assert_eq!(response.status(), 201, "{name}");
        let document: Value = response.json().await.expect("json");
        assert_eq!(document["content_type"], expected);
        assert_eq!(document["status"], "en_attente");
        let digest: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(document["sha256"], digest);

        let id = document["id"].as_str().expect("id");
        let download = app
            .get_as(&format!("/api/v1/documents/{id}/content"), &family.token)
            .await;
        assert_eq!(download.status(), 200);
        assert_eq!(download.headers()["content-type"], expected);
        assert_eq!(download.headers()["x-content-type-options"], "nosniff");
        let disposition = download.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(
            disposition.starts_with("attachment") && disposition.contains(name),
            "{disposition}"
        );
        assert_eq!(download.bytes().await.expect("bytes").to_vec(), bytes);
    }
    let list: Value = app
        .get_as("/api/v1/documents", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["total"], 3);
}

#[tokio::test]
async fn dangerous_or_broken_files_are_refused_in_french_and_nothing_is_stored() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    let stored_before = app.state.ctx.documents.count();
    let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0\x01\0\0\0".to_vec();
    let html =
        b"<!DOCTYPE html><html><body><script>fetch('/api/v1/account')</script></body></html>"
            .to_vec();
    let mut polyglot =
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n".to_vec();
    polyglot.extend_from_slice(b"%%EOF\n");
    let mut too_big = PDF.to_vec();
    too_big.resize(10 * 1024 * 1024 + 1, b' ');

    let cases: [(&str, Vec<u8>, u16, &str, &str); 6] = [
        (
            "renamed executable",
            elf,
            422,
            "unsupported_file_type",
            "PDF, JPEG et PNG",
        ),
        (
            "HTML named .pdf",
            html,
            422,
            "unsupported_file_type",
            "PDF, JPEG et PNG",
        ),
        (
            "PDF/HTML polyglot",
            polyglot,
            422,
            "active_content",
            "contenu actif",
        ),
        ("over 10 MB", too_big, 413, "file_too_large", "10 Mo"),
        ("empty", Vec::new(), 422, "empty_file", "vide"),
        (
            "path in the name",
            PDF.to_vec(),
            422,
            "invalid_filename",
            "nom du fichier",
        ),
    ];
    for (name, bytes, status, code, words) in cases {
        let filename = if name == "path in the name" {
            "../../etc/passwd.pdf"
        } else {
            "document.pdf"
        };
        let response = app
            .upload(
                &family.token,
                "justificatif_domicile",
                None,
                filename,
                bytes,
            )
            .await;
        assert_eq!(response.status(), status, "{name}");
        let body = problem(response).await;
        assert_eq!(body.errors[0].code, code, "{name}");
        assert!(
            body.detail.as_str().contains(words),
            "{name}: {}",
            body.detail
        );
    }
    assert_eq!(
        app.state.ctx.documents.count(),
        stored_before,
        "no file kept"
    );
    let list: Value = app
        .get_as("/api/v1/documents", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["total"], 0, "no row kept");
}

#[tokio::test]
async fn a_pending_document_can_be_removed_an_accepted_one_cannot() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    let admin = app.admin().await;
    let first: Value = app
        .upload(&family.token, "autre", None, "a.pdf", PDF.to_vec())
        .await
        .json()
        .await
        .expect("json");
    let second: Value = app
        .upload(&family.token, "autre", None, "b.pdf", PDF.to_vec())
        .await
        .json()
        .await
        .expect("json");

    let removed = app
        .delete_as(
            &format!("/api/v1/documents/{}", first["id"].as_str().expect("id")),
            &family.token,
        )
        .await;
    assert_eq!(removed.status(), 204);

    let id = second["id"].as_str().expect("id");
    let accepted = app
        .post_as(
            &format!("/api/v1/staff/documents/{id}/review"),
            &admin.token,
            &serde_json::json!({"decision": "accept"}),
        )
        .await;
    assert_eq!(accepted.status(), 200);
    let refused = app
        .delete_as(&format!("/api/v1/documents/{id}"), &family.token)
        .await;
    assert_eq!(refused.status(), 409);
}
