//! « Mon planning » and the staff's planning endpoints, typed.

use chrono::NaiveDate;
use portail_domain::ServiceCode;
use portail_domain::api::{
    AttendanceResponse, BookableServiceList, BookingBatchRequest, BookingBatchResponse,
    BookingListResponse, BookingRequestListResponse, CapacityRequest, CapacityResponse,
    DecideBookingRequestsRequest, DecideBookingRequestsResponse, PeriodListResponse, PeriodRequest,
    PeriodResponse, PlanningResponse, SavedWeekPatternList, ServiceRulesDto, UnitListResponse,
    UnitRequest, UnitResponse, WeekPatternRequest, WeekPatternResponse,
};
use uuid::Uuid;

use super::{ApiError, Session, get_json};

pub async fn list_services() -> Result<BookableServiceList, ApiError> {
    get_json("/api/v1/services").await
}

pub async fn get_planning(
    session: Session,
    child_id: Uuid,
    service: ServiceCode,
    month: &str,
) -> Result<PlanningResponse, ApiError> {
    session
        .get(&format!(
            "/api/v1/planning?child_id={child_id}&service={}&month={month}",
            service.as_str()
        ))
        .await
}

/// The recap, sent once: `key` stays the same for the retries of this recap.
pub async fn submit_booking_batch(
    session: Session,
    request: &BookingBatchRequest,
    key: &str,
) -> Result<BookingBatchResponse, ApiError> {
    session
        .post_with_key("/api/v1/bookings/batch", request, key)
        .await
}

/// What a typical week would book or cancel, date by date (nothing is recorded).
pub async fn preview_week_pattern(
    session: Session,
    request: &WeekPatternRequest,
) -> Result<WeekPatternResponse, ApiError> {
    session
        .post("/api/v1/bookings/pattern/preview", request)
        .await
}

/// A typical week, sent: `key` stays the same for the retries of this sending.
pub async fn submit_week_pattern(
    session: Session,
    request: &WeekPatternRequest,
    key: &str,
) -> Result<WeekPatternResponse, ApiError> {
    session
        .post_with_key("/api/v1/bookings/pattern", request, key)
        .await
}

/// « Ma semaine type »: the typical weeks last sent, a child and a service each.
pub async fn list_week_patterns(session: Session) -> Result<SavedWeekPatternList, ApiError> {
    session.get("/api/v1/bookings/patterns").await
}

pub async fn list_my_bookings(session: Session) -> Result<BookingListResponse, ApiError> {
    session.get("/api/v1/bookings").await
}

/// « Mes dernières demandes »: recent recaps that refused lines, with the reasons.
pub async fn list_recent_answers(
    session: Session,
) -> Result<portail_domain::api::RecapAnswerListResponse, ApiError> {
    session.get("/api/v1/bookings/answers").await
}

// Staff

pub async fn list_periods(
    session: Session,
    service: ServiceCode,
) -> Result<PeriodListResponse, ApiError> {
    session
        .get(&format!(
            "/api/v1/staff/periods?service={}",
            service.as_str()
        ))
        .await
}

pub async fn save_period(
    session: Session,
    id: Option<Uuid>,
    period: &PeriodRequest,
) -> Result<PeriodResponse, ApiError> {
    match id {
        Some(id) => {
            session
                .call(
                    gloo_net::http::Method::PUT,
                    &format!("/api/v1/staff/periods/{id}"),
                    Some(period),
                )
                .await
        }
        None => session.post("/api/v1/staff/periods", period).await,
    }
}

pub async fn list_units(
    session: Session,
    service: ServiceCode,
) -> Result<UnitListResponse, ApiError> {
    session
        .get(&format!("/api/v1/staff/units?service={}", service.as_str()))
        .await
}

pub async fn save_unit(
    session: Session,
    id: Option<Uuid>,
    unit: &UnitRequest,
) -> Result<UnitResponse, ApiError> {
    match id {
        Some(id) => {
            session
                .call(
                    gloo_net::http::Method::PUT,
                    &format!("/api/v1/staff/units/{id}"),
                    Some(unit),
                )
                .await
        }
        None => session.post("/api/v1/staff/units", unit).await,
    }
}

pub async fn set_capacity(
    session: Session,
    unit_id: Uuid,
    request: &CapacityRequest,
) -> Result<CapacityResponse, ApiError> {
    session
        .call(
            gloo_net::http::Method::PUT,
            &format!("/api/v1/staff/units/{unit_id}/capacity"),
            Some(request),
        )
        .await
}

pub async fn get_service_rules(
    session: Session,
    service: ServiceCode,
) -> Result<ServiceRulesDto, ApiError> {
    session
        .get(&format!(
            "/api/v1/staff/services/{}/rules",
            service.as_str()
        ))
        .await
}

pub async fn update_service_rules(
    session: Session,
    service: ServiceCode,
    rules: &ServiceRulesDto,
) -> Result<ServiceRulesDto, ApiError> {
    session
        .call(
            gloo_net::http::Method::PUT,
            &format!("/api/v1/staff/services/{}/rules", service.as_str()),
            Some(rules),
        )
        .await
}

pub fn attendance_path(unit_id: Uuid, date: NaiveDate, csv: bool) -> String {
    format!(
        "/api/v1/staff/attendance{}?unit_id={unit_id}&date={date}",
        if csv { ".csv" } else { "" }
    )
}

pub async fn get_attendance(
    session: Session,
    unit_id: Uuid,
    date: NaiveDate,
) -> Result<AttendanceResponse, ApiError> {
    session.get(&attendance_path(unit_id, date, false)).await
}

pub async fn list_booking_requests(
    session: Session,
    service: ServiceCode,
    week_of: Option<NaiveDate>,
) -> Result<BookingRequestListResponse, ApiError> {
    let mut path = format!(
        "/api/v1/staff/booking-requests?service={}",
        service.as_str()
    );
    if let Some(day) = week_of {
        path.push_str(&format!("&week_of={day}"));
    }
    session.get(&path).await
}

pub async fn decide_booking_requests(
    session: Session,
    request: &DecideBookingRequestsRequest,
) -> Result<DecideBookingRequestsResponse, ApiError> {
    session
        .post("/api/v1/staff/booking-requests/decisions", request)
        .await
}

/// Staff book or cancel for a family (no window, no cut-off; `force` goes past the capacity).
pub async fn create_staff_booking(
    session: Session,
    family_id: Uuid,
    request: &portail_domain::api::StaffBookingRequest,
) -> Result<BookingBatchResponse, ApiError> {
    session
        .post(
            &format!("/api/v1/staff/families/{family_id}/bookings"),
            request,
        )
        .await
}

/// « Liste d'attente » on a full day (`join`), or leaving it; the grid, read again, shows the
/// rank.
pub async fn waiting_list(
    session: Session,
    request: &portail_domain::api::WaitingListRequest,
    join: bool,
) -> Result<(), ApiError> {
    if join {
        session
            .send_only(
                gloo_net::http::Method::POST,
                "/api/v1/planning/waiting-list",
                Some(request),
            )
            .await
    } else {
        session
            .send_only::<()>(
                gloo_net::http::Method::DELETE,
                &format!(
                    "/api/v1/planning/waiting-list?child_id={}&unit_id={}&date={}",
                    request.child_id, request.unit_id, request.date
                ),
                None,
            )
            .await
    }
}
