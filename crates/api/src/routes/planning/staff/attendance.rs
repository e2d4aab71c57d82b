use actix_web::{HttpResponse, get, web};
use portail_domain::api::{AttendanceQuery, AttendanceResponse, Problem};
use portail_domain::auth::ServiceScope;
use portail_service::planning::staff::{self, Actor};

use crate::auth::Reviewer;
use crate::error::ApiError;
use crate::state::AppState;

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
        query.unit_id,
        query.date,
        reviewer.medical,
    )
    .await?)
}

/// La feuille de présence d'une prestation un jour donné.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), params(AttendanceQuery), responses((status = 200, description = "Les enfants inscrits.", body = AttendanceResponse), (status = 404, description = "Prestation inconnue (ou d'un service non confié).", body = Problem, content_type = "application/problem+json")))]
#[get("/staff/attendance")]
pub async fn get_attendance(
    reviewer: Reviewer,
    state: web::Data<AppState>,
    query: web::Query<AttendanceQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(sheet(&state, &reviewer, &query).await?))
}

/// La feuille de présence en CSV (séparateur point-virgule, pour un tableur).
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), params(AttendanceQuery), responses((status = 200, description = "Le fichier CSV.", body = String, content_type = "text/csv"), (status = 404, description = "Prestation inconnue (ou d'un service non confié).", body = Problem, content_type = "application/problem+json")))]
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
