use actix_web::{HttpResponse, get, put, web};
use portail_domain::api::{AttendanceMarkRequest, AttendanceQuery, AttendanceResponse, Problem};
use portail_domain::auth::ServiceScope;
use portail_service::planning::staff::{self, Actor};
use uuid::Uuid;

use crate::auth::{Reviewer, ServiceManager};
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;
use portail_domain::ids::{ChildId, UnitId};

async fn sheet(
    state: &AppState,
    reviewer: &Reviewer,
    query: &AttendanceQuery,
) -> Result<AttendanceResponse, ApiError> {
    let actor = Actor {
        staff_id: reviewer.staff.staff_id,
        scope: ServiceScope::of(reviewer.staff.role, reviewer.services.clone()),
    };
    Ok(staff::attendance(
        &state.ctx,
        &actor,
        UnitId::from(query.unit_id),
        query.date,
        reviewer.medical,
    )
    .await?)
}

/// La feuille de présence d'une prestation un jour donné.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = []), ("cle_api" = ["attendance:read"])), params(AttendanceQuery), responses((status = 200, description = "Les enfants inscrits.", body = AttendanceResponse), problem::UnitUnknown))]
#[get("/staff/attendance")]
pub async fn get_attendance(
    reviewer: Reviewer,
    state: web::Data<AppState>,
    query: web::Query<AttendanceQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(sheet(&state, &reviewer, &query).await?))
}

/// La feuille de présence en CSV (séparateur point-virgule, pour un tableur).
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = []), ("cle_api" = ["attendance:read"])), params(AttendanceQuery), responses((status = 200, description = "Le fichier CSV.", body = String, content_type = "text/csv"), problem::UnitUnknown))]
#[get("/staff/attendance.csv")]
pub async fn export_attendance_csv(
    reviewer: Reviewer,
    state: web::Data<AppState>,
    query: web::Query<AttendanceQuery>,
) -> Result<HttpResponse, ApiError> {
    let sheet = sheet(&state, &reviewer, &query).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"presences-{}.csv\"", sheet.date),
        ))
        .body(staff::attendance_csv(&sheet)))
}

/// Noter un enfant présent (même sans réservation : facturé au tarif « non réservé »),
/// absent (facturé), ou absent avec un certificat médical (non facturé), un jour passé ou
/// aujourd'hui.
#[utoipa::path(
    tag = "Planning (personnel)", security(("jeton" = [])), request_body = AttendanceMarkRequest,
    params(
        ("unit_id" = Uuid, Path, description = "La prestation"),
        ("date" = portail_domain::api::wire::Day, Path, description = "Le jour (AAAA-MM-JJ)"),
        ("child_id" = Uuid, Path, description = "L'enfant"),
    ),
    responses(
        (status = 204, description = "Noté."),
        problem::ServiceNotEntrusted,
        (status = 404, description = "Prestation ou enfant inconnus.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un jour à venir.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/units/{unit_id}/attendance/{date}/{child_id}")]
pub async fn mark_attendance(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, String, Uuid)>,
    body: Json<AttendanceMarkRequest>,
) -> Result<HttpResponse, ApiError> {
    let (unit_id, date, child_id) = path.into_inner();
    let date = portail_domain::api::wire::parse_calendar_date(&date).ok_or_else(|| {
        ApiError::new(
            actix_web::http::StatusCode::BAD_REQUEST,
            portail_domain::ErrorCode::InvalidParameter,
            "Le jour s'écrit AAAA-MM-JJ.",
        )
    })?;
    staff::mark(
        &state.ctx,
        &actor,
        UnitId::from(unit_id),
        date,
        ChildId::from(child_id),
        body.mark,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
