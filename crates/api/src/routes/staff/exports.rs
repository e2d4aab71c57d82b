//! For staff and integrators' keys: bookings changed since a moment (a page at a time), and
//! CSV exports streamed a chunk at a time (docs/integrators.md).

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use futures_util::StreamExt as _;
use portail_domain::api::{
    BookingExportQuery, BookingRecordPage, BookingRecordQuery, InvoiceExportQuery,
    PaymentExportQuery,
};
use portail_service::integrations::{billing_exports, bookings, exports};

use crate::auth::{AdminUser, Reviewer, ServiceManager};
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::state::AppState;

/// Les réservations des services de l'appelant, dans l'ordre de leur dernière modification :
/// une synchronisation repart de `next_cursor` (ou de `updated_since`).
#[utoipa::path(
    tag = "Intégrations", security(("jeton" = []), ("cle_api" = ["bookings:read"])), params(BookingRecordQuery),
    responses((status = 200, description = "Une page de réservations.", body = BookingRecordPage), problem::ServiceNotEntrustedHidden)
)]
#[get("/staff/bookings")]
pub async fn list_bookings(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    query: web::Query<BookingRecordQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(bookings::list(&state.ctx, &actor.scope, &query).await?))
}

fn csv_response(
    filename: String,
    body: impl futures_util::Stream<Item = anyhow::Result<String>> + 'static,
) -> HttpResponse {
    let body = body.map(|chunk| {
        chunk.map(actix_web::web::Bytes::from).map_err(|error| {
            tracing::error!(error = ?error, "a CSV export stopped half-way");
            actix_web::error::ErrorInternalServerError("export interrompu")
        })
    });
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .streaming(body)
}

/// Les réservations d'un service pour un mois, en CSV (UTF-8 avec BOM, `;`), envoyées au fil
/// de la lecture : tous les statuts, jour par jour.
#[utoipa::path(
    tag = "Intégrations", security(("jeton" = []), ("cle_api" = ["bookings:read"])), params(BookingExportQuery),
    responses((status = 200, description = "Le fichier CSV.", body = String, content_type = "text/csv"), problem::ServiceNotEntrustedHidden)
)]
#[get("/staff/bookings.csv")]
pub async fn export_bookings_csv(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    query: web::Query<BookingExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (first, last) = month(&query.month)?;
    if !actor.scope.allows(query.service) {
        return Err(ApiError::not_found());
    }
    let service_id =
        portail_service::planning::staff::service_id_of(&state.ctx.db, query.service).await?;
    let units = exports::units_of(&state.ctx, service_id).await?;
    Ok(csv_response(
        format!(
            "reservations-{}-{}.csv",
            query.service.as_str(),
            query.month
        ),
        exports::bookings_csv(state.ctx.clone(), units, query.service, first, last),
    ))
}

/// Les familles (titulaire, adresse, état du dossier, enfants), en CSV (UTF-8 avec BOM, `;`),
/// envoyées au fil de la lecture.
#[utoipa::path(
    tag = "Intégrations", security(("jeton" = []), ("cle_api" = ["families:read"])),
    responses((status = 200, description = "Le fichier CSV.", body = String, content_type = "text/csv"))
)]
#[get("/staff/families.csv")]
pub async fn export_families_csv(
    _reviewer: Reviewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(csv_response(
        "familles.csv".to_owned(),
        exports::families_csv(state.ctx.clone()),
    ))
}

/// The first and last days of a month written `AAAA-MM`, or a 422 on `month`.
fn month(raw: &str) -> Result<(chrono::NaiveDate, chrono::NaiveDate), ApiError> {
    portail_domain::rules::planning::calendar::month_bounds(raw).ok_or_else(|| {
        ApiError::from(portail_domain::parse::FieldErrors::one(
            "month",
            portail_domain::parse::InvalidValue::new(
                "invalid_value",
                "Indiquez un mois au format AAAA-MM.",
            ),
        ))
    })
}

/// Les factures et avoirs d'un mois, en CSV (UTF-8 avec BOM, `;`, montants à virgule) : montant,
/// réglé, reste dû, état ; envoyées au fil de la lecture. Pour la trésorerie.
#[utoipa::path(
    tag = "Intégrations", security(("jeton" = []), ("cle_api" = ["invoices:read"])), params(InvoiceExportQuery),
    responses((status = 200, description = "Le fichier CSV.", body = String, content_type = "text/csv"))
)]
#[get("/staff/invoices.csv")]
pub async fn export_invoices_csv(
    _admin: AdminUser,
    state: web::Data<AppState>,
    query: web::Query<InvoiceExportQuery>,
) -> Result<HttpResponse, ApiError> {
    month(&query.month)?;
    Ok(csv_response(
        format!("factures-{}.csv", query.month),
        billing_exports::invoices_csv(state.ctx.clone(), query.month.clone()),
    ))
}

/// Les paiements reçus du premier au dernier jour (inclus, un an au plus), en CSV : mode,
/// montant, ce qui a été affecté aux factures ; envoyés au fil de la lecture. Pour la
/// trésorerie.
#[utoipa::path(
    tag = "Intégrations", security(("jeton" = []), ("cle_api" = ["invoices:read"])), params(PaymentExportQuery),
    responses((status = 200, description = "Le fichier CSV.", body = String, content_type = "text/csv"))
)]
#[get("/staff/payments.csv")]
pub async fn export_payments_csv(
    _admin: AdminUser,
    state: web::Data<AppState>,
    query: web::Query<PaymentExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (first, last) = query.validate()?;
    Ok(csv_response(
        format!("paiements-{first}-{last}.csv"),
        billing_exports::payments_csv(state.ctx.clone(), first, last),
    ))
}
