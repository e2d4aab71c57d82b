//! The treasury's attestations fiscales of a year (issue 24, point 3), listed or in one PDF;
//! a family's own certificates are `routes/family/certificates.rs`.

use actix_web::{HttpResponse, get, web};
use portail_domain::api::{
    FiscalCertificateListResponse, FiscalCertificateQuery, FiscalCertificateResponse, Problem,
};
use portail_domain::ids::FamilyId;
use portail_service::billing::{BillingError, certificates};
use uuid::Uuid;

use crate::auth::AdminUser;
use crate::error::ApiError;
use crate::state::AppState;

/// The attestations fiscales as one PDF: `child`'s page, or a page for each child whose care
/// was paid.
pub async fn fiscal_pdf(
    state: &AppState,
    filename: String,
    certificates: Vec<(FiscalCertificateResponse, certificates::Addressee)>,
    child: Option<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let today = state.ctx.clock.today();
    super::render_pdf(state, filename, move |head| {
        portail_service::billing::pdf::render_fiscal(
            &certificates,
            |c| child.map_or(c.amount_cents > 0, |id| c.child_id == id),
            head,
            today,
        )
    })
    .await
}

/// Les attestations fiscales d'une année (régie) : les familles qui ont payé la garde d'un
/// enfant de moins de six ans, ou une seule famille.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = []), ("cle_api" = ["invoices:read"])),
    params(
        ("year" = i32, Path, description = "L'année civile, terminée", minimum = 2000, maximum = 2100),
        FiscalCertificateQuery,
    ),
    responses(
        (status = 200, description = "Les attestations, famille par famille.", body = FiscalCertificateListResponse),
        (status = 409, description = "L'année n'est pas terminée ou est à venir (`year_not_ended`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Une année avant 2000.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/certificates/fiscal/{year}")]
pub async fn list_fiscal_certificates(
    _admin: AdminUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    query: web::Query<FiscalCertificateQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = path.into_inner();
    let items: Vec<FiscalCertificateResponse> =
        certificates::fiscal(&state.ctx, year, query.family_id.map(FamilyId::from))
            .await?
            .into_iter()
            .map(|(c, _)| c)
            .collect();
    let paid = || {
        items
            .iter()
            .flat_map(|f| &f.children)
            .filter(|c| c.amount_cents > 0)
    };
    Ok(HttpResponse::Ok().json(FiscalCertificateListResponse {
        year,
        certificates: u64::try_from(paid().count()).unwrap_or(0),
        total_cents: paid().map(|c| c.amount_cents).sum(),
        items,
    }))
}

/// Toutes les attestations fiscales d'une année en un PDF (une page par enfant dont la garde a
/// été payée), ou celles d'une famille.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = []), ("cle_api" = ["invoices:read"])),
    params(
        ("year" = i32, Path, description = "L'année civile, terminée", minimum = 2000, maximum = 2100),
        FiscalCertificateQuery,
    ),
    responses(
        (status = 200, description = "Le PDF (`Content-Disposition: attachment`).", body = Vec<u8>, content_type = "application/pdf"),
        (status = 404, description = "Aucune garde payée cette année-là (par cette famille).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "L'année n'est pas terminée ou est à venir (`year_not_ended`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Une année avant 2000.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/certificates/fiscal/{year}/pdf")]
pub async fn download_fiscal_certificates(
    _admin: AdminUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    query: web::Query<FiscalCertificateQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = path.into_inner();
    let all = certificates::fiscal(&state.ctx, year, query.family_id.map(FamilyId::from)).await?;
    if !all
        .iter()
        .any(|(c, _)| c.children.iter().any(|k| k.amount_cents > 0))
    {
        return Err(BillingError::NotFound.into());
    }
    fiscal_pdf(
        &state,
        format!("attestations-fiscales-{year}.pdf"),
        all,
        None,
    )
    .await
}
