//! The payment provider's side: the notification URL (unauthenticated: it only names an
//! operation, whose result is fetched from the provider), and the FAKE provider's own page
//! (demo and tests, off unless `PORTAIL_PAYMENT_PROVIDER=fake`).

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, post, web};
use portail_domain::ErrorCode;
use portail_domain::api::{PaymentNotification, PaymentNotificationResponse, Problem};
use portail_domain::format::euros;
use portail_service::billing::online;

use crate::error::ApiError;
use crate::state::AppState;

/// `idop=…` from a form body: letters and digits only, 64 at most.
fn operation_of(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    text.split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| key.eq_ignore_ascii_case("idop"))
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Notification du prestataire de paiement (appelée par lui, sans jeton) : le serveur lui
/// demande le résultat de l'opération et enregistre le paiement une seule fois, même si la
/// notification arrive deux fois.
#[utoipa::path(
    tag = "Mes factures",
    request_body(content = PaymentNotification, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "L'état de l'opération.", body = PaymentNotificationResponse),
        (status = 400, description = "Pas d'identifiant d'opération lisible.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Opération inconnue : rien n'est enregistré.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Le montant annoncé n'est pas celui demandé : rien n'est enregistré.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/payments/notification")]
pub async fn payment_notification(
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let operation = operation_of(&body).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidBody,
            "La notification doit porter «\u{a0}idop\u{a0}» (lettres et chiffres).",
        )
    })?;
    let status = online::notification(&state.ctx, &operation).await?;
    Ok(HttpResponse::Ok().json(PaymentNotificationResponse { status }))
}

fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The FAKE provider's page: the amount, the reference, three buttons.
pub async fn fake_page(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let Some(op) = online::fake_operation(&state.ctx, &path.into_inner()).await? else {
        return Err(ApiError::not_found());
    };
    let done = op.result.is_some();
    let body = format!(
        r#"<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Paiement FICTIF — démonstration</title><link rel="stylesheet" href="/paiement-fictif.css"></head><body><main><p class="fake">Prestataire de paiement FICTIF — démonstration, aucun argent n'est prélevé.</p><h1>Paiement de {amount}</h1><p>Référence : {reference}</p><p>Payeur : {email}</p>{form}</main></body></html>"#,
        amount = escape(&euros(op.amount_cents)),
        reference = escape(&op.reference),
        email = escape(&op.email),
        form = if done {
            format!(
                r#"<p>Ce paiement est terminé.</p><p><a href="{}">Revenir au Portail Famille</a></p>"#,
                escape(&op.return_url)
            )
        } else {
            r#"<form method="post"><button name="choix" value="P">Payer</button> <button name="choix" value="R">Refuser</button> <button name="choix" value="A">Abandonner</button></form>"#.to_owned()
        },
    );
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// The parent's choice on the FAKE page; the fake then notifies the portal (unless the test
/// says `notifier=0`, a lost notification) and sends the parent back.
pub async fn fake_choose(
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let operation = path.into_inner();
    let form = std::str::from_utf8(&body).unwrap_or_default();
    let field = |name: &str| {
        form.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_owned())
    };
    let choice = field("choix").unwrap_or_default();
    let Some(back) = online::fake_choose(&state.ctx, &operation, &choice).await? else {
        return Err(ApiError::not_found());
    };
    if field("notifier").as_deref() != Some("0") {
        // The provider calls the notification URL; in-process here, with the same effect.
        if let Err(e) = online::notification(&state.ctx, &operation).await {
            tracing::warn!(error = %e, "the fake provider's notification was refused");
        }
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, back))
        .finish())
}

/// The fake page's few styles (the page has no inline style: the CSP forbids it).
pub async fn fake_css() -> HttpResponse {
    HttpResponse::Ok().content_type("text/css").body(
        "body{font-family:system-ui,sans-serif;margin:0;background:#fff7e6;color:#1f2933}main{max-width:30rem;margin:2rem auto;padding:1rem}.fake{background:#9a3412;color:#fff;padding:.75rem;border-radius:.5rem;font-weight:bold}button{font-size:1.1rem;padding:.7rem 1.2rem;margin:.3rem .3rem 0 0;border-radius:.4rem;border:2px solid #1d4e89;background:#1d4e89;color:#fff}button[value=R],button[value=A]{background:#fff;color:#1d4e89}",
    )
}
