//! A family's certificates (issue 24, point 3): the attestation fiscale of a year ended and
//! the attestation de présence of a period, as JSON or PDF. Every handler passes the caller's
//! family id: another family's child is a 404.

use actix_web::{HttpResponse, get, web};
use portail_domain::api::{
    AttendanceCertificateQuery, AttendanceCertificateResponse, FiscalCertificateResponse, Problem,
};
use portail_service::billing::{BillingError, certificates};
use uuid::Uuid;

use crate::auth::AuthenticatedFamily;
use crate::error::ApiError;
use crate::routes::staff::billing::{fiscal_pdf, render_pdf};
use crate::state::AppState;

/// Mon attestation fiscale d'une année terminée : mes enfants de moins de six ans au
/// 1er janvier, et ce que j'ai payé cette année-là pour leur garde (crèche, accueil de
/// loisirs ; repas exclus).
#[utoipa::path(
    tag = "Mes attestations", security(("jeton" = [])),
    params(("year" = i32, Path, description = "L'année civile, terminée", minimum = 2000, maximum = 2100)),
    responses(
        (status = 200, description = "L'attestation, enfant par enfant.", body = FiscalCertificateResponse),
        (status = 409, description = "L'année n'est pas terminée ou est à venir (`year_not_ended`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Une année avant 2000.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/certificates/fiscal/{year}")]
pub async fn get_my_fiscal_certificate(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let mut all =
        certificates::fiscal(&state.ctx, path.into_inner(), Some(family.family_id)).await?;
    let (certificate, _) = all.pop().ok_or(BillingError::NotFound)?;
    Ok(HttpResponse::Ok().json(certificate))
}

/// Télécharger l'attestation fiscale d'un de mes enfants, en PDF.
#[utoipa::path(
    tag = "Mes attestations", security(("jeton" = [])),
    params(
        ("year" = i32, Path, description = "L'année civile, terminée", minimum = 2000, maximum = 2100),
        ("child_id" = Uuid, Path, description = "L'enfant"),
    ),
    responses(
        (status = 200, description = "Le PDF (`Content-Disposition: attachment`).", body = Vec<u8>, content_type = "application/pdf"),
        (status = 404, description = "Pas d'enfant de moins de six ans de ce nom dans la famille.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "L'année n'est pas terminée ou est à venir (`year_not_ended`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Une année avant 2000.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/certificates/fiscal/{year}/children/{child_id}/pdf")]
pub async fn download_my_fiscal_certificate(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<(i32, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (year, child_id) = path.into_inner();
    let all = certificates::fiscal(&state.ctx, year, Some(family.family_id)).await?;
    if !all
        .iter()
        .any(|(c, _)| c.children.iter().any(|k| k.child_id == child_id))
    {
        return Err(BillingError::NotFound.into());
    }
    fiscal_pdf(
        &state,
        format!("attestation-fiscale-{year}.pdf"),
        all,
        Some(child_id),
    )
    .await
}

/// Les jours où un de mes enfants a été pointé présent dans un service sur une période.
#[utoipa::path(
    tag = "Mes attestations", security(("jeton" = [])),
    params(AttendanceCertificateQuery),
    responses(
        (status = 200, description = "Les jours de présence.", body = AttendanceCertificateResponse),
        (status = 404, description = "Pas d'enfant de ce nom dans la famille.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Période à l'envers, pas commencée, ou de plus de 400 jours.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/certificates/attendance")]
pub async fn get_my_attendance_certificate(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    query: web::Query<AttendanceCertificateQuery>,
) -> Result<HttpResponse, ApiError> {
    let certificate = certificates::attendance(&state.ctx, family.family_id, &query).await?;
    Ok(HttpResponse::Ok().json(certificate))
}

/// Télécharger l'attestation de présence d'un de mes enfants, en PDF.
#[utoipa::path(
    tag = "Mes attestations", security(("jeton" = [])),
    params(AttendanceCertificateQuery),
    responses(
        (status = 200, description = "Le PDF (`Content-Disposition: attachment`).", body = Vec<u8>, content_type = "application/pdf"),
        (status = 404, description = "Pas d'enfant de ce nom dans la famille.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Période à l'envers, pas commencée, ou de plus de 400 jours.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/certificates/attendance/pdf")]
pub async fn download_my_attendance_certificate(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    query: web::Query<AttendanceCertificateQuery>,
) -> Result<HttpResponse, ApiError> {
    let certificate = certificates::attendance(&state.ctx, family.family_id, &query).await?;
    let today = state.ctx.clock.today();
    let filename = format!("attestation-presence-{}-{}.pdf", query.from, query.to);
    render_pdf(&state, filename, move |head| {
        portail_service::billing::pdf::render_attendance(&certificate, head, today)
    })
    .await
}
