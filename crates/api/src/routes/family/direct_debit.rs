//! « Prélèvement automatique » (issue 24, point 4): the family's mandate, signed online by the
//! parent (never by an agent acting for the family: the treasury records paper mandates),
//! its PDF, its revocation.

use actix_web::{HttpResponse, delete, get, post, web};
use portail_domain::api::{MandateRequest, MandateResponse, MyDirectDebit, Problem};
use portail_service::billing::sepa;

use crate::auth::{AuthenticatedFamily, FamilyOwner};
use crate::error::ApiError;
use crate::json::Json;
use crate::routes::staff::billing::render_pdf;
use crate::state::AppState;

/// Le prélèvement automatique : proposé ou non, le texte du mandat, le mandat actif (IBAN masqué).
#[utoipa::path(
    tag = "Mes factures", security(("jeton" = [])),
    responses((status = 200, description = "Le prélèvement de la famille.", body = MyDirectDebit))
)]
#[get("/direct-debit")]
pub async fn get_my_direct_debit(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(sepa::mine(&state.ctx, family.family_id).await?))
}

/// Signer un mandat de prélèvement SEPA (il remplace le mandat actif).
#[utoipa::path(
    tag = "Mes factures", security(("jeton" = [])), request_body = MandateRequest,
    responses(
        (status = 201, description = "Le mandat, actif.", body = MandateResponse),
        (status = 403, description = "Un agent qui agit pour la famille ne signe pas à sa place.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "La commune ne propose pas le prélèvement.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Titulaire ou IBAN invalide, mandat non accepté.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/direct-debit/mandate")]
pub async fn sign_mandate(
    FamilyOwner(family): FamilyOwner,
    state: web::Data<AppState>,
    body: Json<MandateRequest>,
) -> Result<HttpResponse, ApiError> {
    let mandate = sepa::sign(&state.ctx, family.family_id, &body).await?;
    Ok(HttpResponse::Created().json(mandate))
}

/// Révoquer le mandat : plus de nouveau prélèvement (ceux déjà envoyés à la banque suivent leur cours).
#[utoipa::path(
    tag = "Mes factures", security(("jeton" = [])),
    responses(
        (status = 204, description = "Révoqué."),
        (status = 403, description = "Un agent qui agit pour la famille ne révoque pas à sa place.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Pas de mandat actif.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/direct-debit/mandate")]
pub async fn revoke_mandate(
    FamilyOwner(family): FamilyOwner,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    sepa::revoke(&state.ctx, family.family_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Le mandat actif en PDF.
#[utoipa::path(
    tag = "Mes factures", security(("jeton" = [])),
    responses(
        (status = 200, description = "Le PDF (`Content-Disposition: attachment`).", body = Vec<u8>, content_type = "application/pdf"),
        (status = 404, description = "Pas de mandat actif.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/direct-debit/mandate/pdf")]
pub async fn download_my_mandate(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (mandate, iban, creditor_id) = sepa::mandate_for_pdf(&state.ctx, family.family_id).await?;
    let filename = format!("mandat-{}.pdf", mandate.reference);
    render_pdf(&state, filename, move |head| {
        portail_service::billing::pdf::render_mandate(&mandate, &iban, &creditor_id, head)
    })
    .await
}
