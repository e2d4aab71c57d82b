//! The treasury's direct debit (issue 24, point 4): mandates (whole IBANs: the treasury only),
//! paper mandates, the `pain.008.001.02` files issued and kept as sent, the bank's returns
//! and settlements. Administrators only.

use actix_web::{HttpResponse, get, post, web};
use portail_domain::api::{
    DebitBatchList, DebitBatchResponse, DebitResponse, DebitReturnRequest, DebitRunRequest,
    MandateList, MandateResponse, PaperMandateRequest, Problem,
};
use portail_service::billing::sepa;
use uuid::Uuid;

use crate::auth::AdminUser;
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;

/// Les mandats de prélèvement (actifs et révoqués), les plus récents d'abord.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])),
    responses((status = 200, description = "Les mandats, IBAN entiers.", body = MandateList))
)]
#[get("/staff/direct-debit/mandates")]
pub async fn list_mandates(
    AdminUser(_staff): AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(sepa::list_mandates(&state.ctx).await?))
}

/// Enregistrer un mandat signé sur papier (il remplace le mandat actif de la famille).
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = PaperMandateRequest,
    responses(
        (status = 201, description = "Le mandat, actif.", body = MandateResponse),
        (status = 404, description = "Pas de famille de ce nom.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "La commune ne propose pas le prélèvement (pas d'ICS).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Titulaire, IBAN ou date invalide.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/direct-debit/mandates")]
pub async fn record_paper_mandate(
    AdminUser(staff): AdminUser,
    state: web::Data<AppState>,
    body: Json<PaperMandateRequest>,
) -> Result<HttpResponse, ApiError> {
    let mandate = sepa::record_paper(&state.ctx, staff.staff_id, &body).await?;
    Ok(HttpResponse::Created().json(mandate))
}

/// Les fichiers de prélèvement émis et leurs prélèvements.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])),
    responses((status = 200, description = "Les fichiers, les plus récents d'abord.", body = DebitBatchList))
)]
#[get("/staff/direct-debit/batches")]
pub async fn list_debit_batches(
    AdminUser(_staff): AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(sepa::batches(&state.ctx).await?))
}

/// Émettre le fichier de prélèvement (pain.008.001.02, SEPA Core) des factures ouvertes des
/// familles qui ont un mandat actif ; ces factures passent « prélèvement en cours ».
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = DebitRunRequest,
    responses(
        (status = 201, description = "Le fichier émis.", body = DebitBatchResponse),
        (status = 409, description = "Rien à prélever, ou un autre fichier vient d'être émis.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Jour de prélèvement hors délai, ou ICS / IBAN de la commune à régler (`billing_incomplete`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/direct-debit/batches")]
pub async fn issue_debit_batch(
    AdminUser(staff): AdminUser,
    state: web::Data<AppState>,
    body: Json<DebitRunRequest>,
) -> Result<HttpResponse, ApiError> {
    let batch = sepa::issue(&state.ctx, staff.staff_id, &body).await?;
    Ok(HttpResponse::Created().json(batch))
}

/// Le fichier XML tel qu'il a été émis, à remettre à la banque.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])),
    params(("batch_id" = Uuid, Path, description = "Le fichier")),
    responses(
        (status = 200, description = "Le fichier pain.008.001.02.", body = String, content_type = "application/xml"),
        (status = 404, description = "Pas de fichier de ce nom.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/direct-debit/batches/{batch_id}/xml")]
pub async fn download_debit_batch(
    AdminUser(_staff): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (message_id, xml) = sepa::batch_xml(&state.ctx, path.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/xml")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{message_id}.xml\""),
        ))
        .body(xml))
}

/// Constater le fichier prélevé : chaque prélèvement encore en cours devient un paiement de sa facture.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])),
    params(("batch_id" = Uuid, Path, description = "Le fichier")),
    responses(
        (status = 200, description = "Le fichier, ses prélèvements constatés.", body = DebitBatchResponse),
        (status = 404, description = "Pas de fichier de ce nom.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Le jour du prélèvement n'est pas arrivé.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/direct-debit/batches/{batch_id}/settle")]
pub async fn settle_debit_batch(
    AdminUser(staff): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let batch = sepa::settle(&state.ctx, staff.staff_id, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(batch))
}

/// Enregistrer le rejet d'un prélèvement par la banque (R-transaction et son motif) : la
/// facture redevient à payer et la famille est prévenue par e-mail.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = DebitReturnRequest,
    params(("debit_id" = Uuid, Path, description = "Le prélèvement")),
    responses(
        (status = 200, description = "Le prélèvement, rejeté.", body = DebitResponse),
        (status = 404, description = "Pas de prélèvement de ce nom.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Plus en cours (déjà rejeté ou constaté).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Jour à venir.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/direct-debit/debits/{debit_id}/return")]
pub async fn return_debit(
    AdminUser(staff): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<DebitReturnRequest>,
) -> Result<HttpResponse, ApiError> {
    let debit = sepa::return_debit(&state.ctx, staff.staff_id, path.into_inner(), &body).await?;
    Ok(HttpResponse::Ok().json(debit))
}
