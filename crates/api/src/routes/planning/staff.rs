use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, put, web};
use portail_domain::api::{
    AttendanceQuery, AttendanceResponse, BookingBatchRequest, BookingBatchResponse, BookingLine,
    BookingRequestListResponse, BookingRequestQuery, CapacityRequest, CapacityResponse,
    DecideBookingRequestsRequest, DecideBookingRequestsResponse, FieldError, PeriodListResponse,
    PeriodRequest, PeriodResponse, Problem, ServiceRulesDto, StaffBookingRequest, UnitListResponse,
    UnitRequest, UnitResponse,
};
use portail_domain::auth::StaffRole;
use portail_domain::{ErrorCode, ServiceCode};
use portail_service::planning::staff::{self, CapacityError};
use sea_orm::EntityTrait as _;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::caller::StaffCaller;
use crate::auth::{Reviewer, StaffUser};
use crate::error::ApiError;
use crate::state::AppState;

/// Admins manage every service; an agent only those given to them.
async fn require_service(
    state: &AppState,
    staff: &StaffCaller,
    code: ServiceCode,
) -> Result<(), ApiError> {
    if staff.role == StaffRole::Admin {
        return Ok(());
    }
    let services =
        portail_service::family::review::staff_services(&state.ctx.db, staff.staff_id).await?;
    if services.contains(&code) {
        Ok(())
    } else {
        tracing::info!(staff.id = %staff.staff_id, service = code.as_str(), "an agent asked for a service not given to them");
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "Ce service ne vous est pas confié.",
        ))
    }
}

async fn service_of_unit(state: &AppState, unit_id: Uuid) -> Result<ServiceCode, ApiError> {
    let catalog = state.ctx.planning.catalog.get(&state.ctx.db).await?;
    catalog
        .unit(unit_id)
        .map(|u| u.service)
        .ok_or_else(ApiError::not_found)
}

fn check_period(request: &PeriodRequest) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    let mut push = |field: &str, message: &str| {
        errors.push(FieldError {
            field: field.to_owned(),
            code: "invalid".to_owned(),
            message: message.to_owned(),
        })
    };
    if request.name.trim().is_empty() {
        push("name", "Donnez un nom à la période.");
    }
    if request.ends_on < request.starts_on {
        push("ends_on", "La fin de la période précède son début.");
    }
    if request.booking_closes_at <= request.booking_opens_at {
        push(
            "booking_closes_at",
            "La fermeture des réservations doit suivre leur ouverture.",
        );
    }
    if !request.open_weekdays.iter().any(|d| *d) {
        push("open_weekdays", "Choisissez au moins un jour d'ouverture.");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ServiceFilter {
    /// Le service ; tous s'il est absent.
    pub service: Option<ServiceCode>,
}

/// Les règles de réservation d'un service.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), params(("service" = ServiceCode, Path, description = "Le service")), responses((status = 200, description = "Les règles.", body = ServiceRulesDto), (status = 404, description = "Service inconnu.", body = Problem, content_type = "application/problem+json")))]
#[get("/staff/services/{service}/rules")]
pub async fn get_service_rules(
    StaffUser(staff): StaffUser,
    state: web::Data<AppState>,
    path: web::Path<ServiceCode>,
) -> Result<HttpResponse, ApiError> {
    let code = path.into_inner();
    require_service(&state, &staff, code).await?;
    Ok(HttpResponse::Ok().json(
        staff::rules(&state.ctx, code)
            .await?
            .ok_or_else(ApiError::not_found)?,
    ))
}

/// Modifier les règles d'un service : mode, délai, règle du lundi, âges.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), request_body = ServiceRulesDto, params(("service" = ServiceCode, Path, description = "Le service")), responses((status = 200, description = "Les règles.", body = ServiceRulesDto), (status = 422, description = "Règles incohérentes.", body = Problem, content_type = "application/problem+json")))]
#[put("/staff/services/{service}/rules")]
pub async fn update_service_rules(
    StaffUser(staff): StaffUser,
    state: web::Data<AppState>,
    path: web::Path<ServiceCode>,
    body: web::Json<ServiceRulesDto>,
) -> Result<HttpResponse, ApiError> {
    let code = path.into_inner();
    require_service(&state, &staff, code).await?;
    if body.cutoff_days.is_some() != body.cutoff_time.is_some() {
        return Err(ApiError::validation(vec![FieldError {
            field: "cutoff_time".into(),
            code: "required".into(),
            message: "Un délai se donne en jours et à une heure.".into(),
        }]));
    }
    if let (Some(min), Some(max)) = (body.min_age_months, body.max_age_months)
        && min > max
    {
        {
            return Err(ApiError::validation(vec![FieldError {
                field: "max_age_months".into(),
                code: "invalid".into(),
                message: "L'âge maximal est inférieur à l'âge minimal.".into(),
            }]));
        }
    }
    if !staff::set_rules(&state.ctx, staff.staff_id, code, &body).await? {
        return Err(ApiError::not_found());
    }
    Ok(HttpResponse::Ok().json(staff::rules(&state.ctx, code).await?))
}

/// Les périodes des services.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), params(ServiceFilter), responses((status = 200, description = "Les périodes.", body = PeriodListResponse)))]
#[get("/staff/periods")]
pub async fn list_periods(
    StaffUser(_staff): StaffUser,
    state: web::Data<AppState>,
    query: web::Query<ServiceFilter>,
) -> Result<HttpResponse, ApiError> {
    let items = staff::list_periods(&state.ctx, query.service).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(PeriodListResponse { items, total }))
}

/// Créer une période (dates, jours d'ouverture, jours fermés, fenêtre de réservation en heure locale).
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), request_body = PeriodRequest, responses((status = 201, description = "La période.", body = PeriodResponse), (status = 422, description = "Période incohérente.", body = Problem, content_type = "application/problem+json")))]
#[post("/staff/periods")]
pub async fn create_period(
    StaffUser(staff): StaffUser,
    state: web::Data<AppState>,
    body: web::Json<PeriodRequest>,
) -> Result<HttpResponse, ApiError> {
    require_service(&state, &staff, body.service).await?;
    check_period(&body)?;
    let saved = staff::save_period(&state.ctx, staff.staff_id, None, &body)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Created().json(saved))
}

/// Modifier une période.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), request_body = PeriodRequest, params(("period_id" = Uuid, Path, description = "La période")), responses((status = 200, description = "La période.", body = PeriodResponse), (status = 404, description = "Inconnue.", body = Problem, content_type = "application/problem+json")))]
#[put("/staff/periods/{period_id}")]
pub async fn update_period(
    StaffUser(staff): StaffUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: web::Json<PeriodRequest>,
) -> Result<HttpResponse, ApiError> {
    require_service(&state, &staff, body.service).await?;
    check_period(&body)?;
    let saved = staff::save_period(&state.ctx, staff.staff_id, Some(path.into_inner()), &body)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Les prestations des services.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), params(ServiceFilter), responses((status = 200, description = "Les prestations.", body = UnitListResponse)))]
#[get("/staff/units")]
pub async fn list_units(
    StaffUser(_staff): StaffUser,
    state: web::Data<AppState>,
    query: web::Query<ServiceFilter>,
) -> Result<HttpResponse, ApiError> {
    let items = staff::list_units(&state.ctx, query.service).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(UnitListResponse { items, total }))
}

/// Créer une prestation et sa capacité par défaut.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), request_body = UnitRequest, responses((status = 201, description = "La prestation.", body = UnitResponse)))]
#[post("/staff/units")]
pub async fn create_unit(
    StaffUser(staff): StaffUser,
    state: web::Data<AppState>,
    body: web::Json<UnitRequest>,
) -> Result<HttpResponse, ApiError> {
    require_service(&state, &staff, body.service).await?;
    let saved = staff::save_unit(&state.ctx, staff.staff_id, None, &body)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Created().json(saved))
}

/// Modifier une prestation.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), request_body = UnitRequest, params(("unit_id" = Uuid, Path, description = "La prestation")), responses((status = 200, description = "La prestation.", body = UnitResponse), (status = 404, description = "Inconnue.", body = Problem, content_type = "application/problem+json")))]
#[put("/staff/units/{unit_id}")]
pub async fn update_unit(
    StaffUser(staff): StaffUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: web::Json<UnitRequest>,
) -> Result<HttpResponse, ApiError> {
    require_service(&state, &staff, body.service).await?;
    let saved = staff::save_unit(&state.ctx, staff.staff_id, Some(path.into_inner()), &body)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Fixer la capacité d'une prestation pour un jour (jamais sous les places prises).
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), request_body = CapacityRequest, params(("unit_id" = Uuid, Path, description = "La prestation")), responses((status = 200, description = "La capacité du jour.", body = CapacityResponse), (status = 409, description = "Plus de places prises que la capacité demandée.", body = Problem, content_type = "application/problem+json")))]
#[put("/staff/units/{unit_id}/capacity")]
pub async fn set_capacity(
    StaffUser(staff): StaffUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: web::Json<CapacityRequest>,
) -> Result<HttpResponse, ApiError> {
    let unit_id = path.into_inner();
    require_service(&state, &staff, service_of_unit(&state, unit_id).await?).await?;
    let saved = staff::set_capacity(&state.ctx, staff.staff_id, unit_id, body.date, body.capacity).await.map_err(|e| match e {
        CapacityError::UnknownUnit => ApiError::not_found(),
        CapacityError::BelowTaken { taken } => ApiError::new(StatusCode::CONFLICT, ErrorCode::Conflict, format!("{taken} places sont déjà prises ce jour-là (hors places forcées) : la capacité ne peut pas descendre en dessous.")),
        CapacityError::Unexpected(e) => ApiError::Unexpected(e),
    })?;
    Ok(HttpResponse::Ok().json(saved))
}

async fn sheet(
    state: &AppState,
    reviewer: &Reviewer,
    query: &AttendanceQuery,
) -> Result<AttendanceResponse, ApiError> {
    require_service(
        state,
        &reviewer.staff,
        service_of_unit(state, query.unit_id).await?,
    )
    .await?;
    staff::attendance(
        &state.ctx,
        reviewer.staff.staff_id,
        query.unit_id,
        query.date,
        reviewer.medical,
    )
    .await?
    .ok_or_else(ApiError::not_found)
}

/// La feuille de présence d'une prestation un jour donné.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), params(AttendanceQuery), responses((status = 200, description = "Les enfants inscrits.", body = AttendanceResponse)))]
#[get("/staff/attendance")]
pub async fn get_attendance(
    reviewer: Reviewer,
    state: web::Data<AppState>,
    query: web::Query<AttendanceQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(sheet(&state, &reviewer, &query).await?))
}

/// La feuille de présence en CSV (séparateur point-virgule, pour un tableur).
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), params(AttendanceQuery), responses((status = 200, description = "Le fichier CSV.", body = String, content_type = "text/csv")))]
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

/// Les souhaits en attente d'un service (d'une semaine, si elle est donnée).
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), params(BookingRequestQuery), responses((status = 200, description = "Les souhaits.", body = BookingRequestListResponse)))]
#[get("/staff/booking-requests")]
pub async fn list_booking_requests(
    StaffUser(staff): StaffUser,
    state: web::Data<AppState>,
    query: web::Query<BookingRequestQuery>,
) -> Result<HttpResponse, ApiError> {
    require_service(&state, &staff, query.service).await?;
    let items = staff::requests(&state.ctx, query.service, query.week_of).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(BookingRequestListResponse { items, total }))
}

/// Accepter ou refuser des souhaits (un refus dit pourquoi) ; chaque famille reçoit un e-mail.
/// Accepter ne dépasse jamais la capacité.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), request_body = DecideBookingRequestsRequest, responses((status = 200, description = "Le résultat, souhait par souhait.", body = DecideBookingRequestsResponse)))]
#[post("/staff/booking-requests/decisions")]
pub async fn decide_booking_requests(
    StaffUser(staff): StaffUser,
    state: web::Data<AppState>,
    body: web::Json<DecideBookingRequestsRequest>,
) -> Result<HttpResponse, ApiError> {
    if body.decisions.is_empty() || body.decisions.len() > 500 {
        return Err(ApiError::validation(vec![FieldError {
            field: "decisions".into(),
            code: "invalid_size".into(),
            message: "Entre 1 et 500 décisions à la fois.".into(),
        }]));
    }
    if staff.role != StaffRole::Admin {
        let services =
            portail_service::family::review::staff_services(&state.ctx.db, staff.staff_id).await?;
        let catalog = state.ctx.planning.catalog.get(&state.ctx.db).await?;
        for decision in &body.decisions {
            let booking = portail_entity::booking::Entity::find_by_id(decision.booking_id)
                .one(&state.ctx.db)
                .await
                .map_err(anyhow::Error::new)?;
            let allowed = booking
                .and_then(|b| {
                    catalog
                        .unit(b.unit_id)
                        .map(|u| services.contains(&u.service))
                })
                .unwrap_or(true);
            if !allowed {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    ErrorCode::Forbidden,
                    "Ce service ne vous est pas confié.",
                ));
            }
        }
    }
    Ok(HttpResponse::Ok().json(staff::decide(&state.ctx, staff.staff_id, &body.decisions).await?))
}

/// Réserver ou annuler pour le compte d'une famille, sans fenêtre ni délai ; `force` dépasse la
/// capacité et s'inscrit au journal d'audit.
#[utoipa::path(
    tag = "Planning (personnel)", security(("jeton" = [])), request_body = StaffBookingRequest,
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses((status = 200, description = "Le résultat de la ligne.", body = BookingBatchResponse), (status = 404, description = "Famille inconnue.", body = Problem, content_type = "application/problem+json"))
)]
#[post("/staff/families/{family_id}/bookings")]
pub async fn create_staff_booking(
    StaffUser(staff): StaffUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: web::Json<StaffBookingRequest>,
) -> Result<HttpResponse, ApiError> {
    let family_id = path.into_inner();
    require_service(&state, &staff, service_of_unit(&state, body.unit_id).await?).await?;
    if portail_entity::family::Entity::find_by_id(family_id)
        .one(&state.ctx.db)
        .await
        .map_err(anyhow::Error::new)?
        .is_none()
    {
        return Err(ApiError::not_found());
    }
    let request = BookingBatchRequest {
        lines: vec![BookingLine {
            child_id: body.child_id,
            unit_id: body.unit_id,
            date: body.date,
            action: body.action,
        }],
    };
    let response = portail_service::planning::submit::submit(
        &state.ctx,
        family_id,
        &request,
        None,
        Some((staff.staff_id, body.force)),
    )
    .await
    .map_err(super::family::submit_error)?;
    if response.accepted > 0 {
        let detail = format!(
            "{} {} {}{}",
            body.action.as_str(),
            body.unit_id,
            body.date,
            if body.force {
                " (au-delà de la capacité)"
            } else {
                ""
            }
        );
        portail_service::family::audit::record(
            &state.ctx.db,
            staff.staff_id,
            "staff_booking",
            Some(family_id),
            Some(body.child_id),
            Some(detail),
            state.ctx.clock.now(),
        )
        .await?;
    }
    Ok(HttpResponse::Ok().json(response))
}
