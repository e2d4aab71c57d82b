//! « Mes préinscriptions en crèche » (the family), the crèche's commission (staff), and the
//! « aide aux démarches » at the counter (staff).

use portail_domain::api::{
    ActingResponse, AssistedFamilyRequest, AssistedFamilyResponse, DecidePreRegistrationsRequest,
    DecidePreRegistrationsResponse, PlaceOfferAnswer, PreRegistrationListResponse,
    PreRegistrationQuery, PreRegistrationRequest, PreRegistrationResponse,
    ReorderWaitingListRequest, StaffPreRegistrationListResponse,
};
use uuid::Uuid;

use super::{ApiError, Session};

pub async fn list_my_preregistrations(
    session: Session,
) -> Result<PreRegistrationListResponse, ApiError> {
    session.get("/api/v1/preregistrations").await
}

/// Saves a draft (`id` none: a new one).
pub async fn save_preregistration(
    session: Session,
    id: Option<Uuid>,
    request: &PreRegistrationRequest,
) -> Result<PreRegistrationResponse, ApiError> {
    match id {
        Some(id) => {
            session
                .call(
                    gloo_net::http::Method::PUT,
                    &format!("/api/v1/preregistrations/{id}"),
                    Some(request),
                )
                .await
        }
        None => session.post("/api/v1/preregistrations", request).await,
    }
}

/// `submit`, `cancel`: a request's own action.
pub async fn preregistration_action(
    session: Session,
    id: Uuid,
    action: &str,
) -> Result<PreRegistrationResponse, ApiError> {
    session
        .post(&format!("/api/v1/preregistrations/{id}/{action}"), &())
        .await
}

pub async fn answer_place_offer(
    session: Session,
    id: Uuid,
    accept: bool,
) -> Result<PreRegistrationResponse, ApiError> {
    session
        .post(
            &format!("/api/v1/preregistrations/{id}/answer"),
            &PlaceOfferAnswer { accept },
        )
        .await
}

pub async fn list_preregistrations(
    session: Session,
    query: &PreRegistrationQuery,
) -> Result<StaffPreRegistrationListResponse, ApiError> {
    let mut parts: Vec<String> = Vec::new();
    if let Some(s) = query.status {
        parts.push(format!("status={}", s.as_str()));
    }
    if let Some(d) = query.start_from {
        parts.push(format!("start_from={d}"));
    }
    if let Some(d) = query.start_to {
        parts.push(format!("start_to={d}"));
    }
    if let Some(m) = query.max_age_months {
        parts.push(format!("max_age_months={m}"));
    }
    if let Some(w) = query.weekday {
        parts.push(format!("weekday={w}"));
    }
    if let Some(h) = query.max_weekly_hours {
        parts.push(format!("max_weekly_hours={h}"));
    }
    let query = if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    };
    session
        .get(&format!("/api/v1/staff/preregistrations{query}"))
        .await
}

pub async fn decide_preregistrations(
    session: Session,
    request: &DecidePreRegistrationsRequest,
) -> Result<DecidePreRegistrationsResponse, ApiError> {
    session
        .post("/api/v1/staff/preregistrations/decisions", request)
        .await
}

pub async fn reorder_waiting_list(
    session: Session,
    request: &ReorderWaitingListRequest,
) -> Result<StaffPreRegistrationListResponse, ApiError> {
    session
        .call(
            gloo_net::http::Method::PUT,
            "/api/v1/staff/preregistrations/waiting-list",
            Some(request),
        )
        .await
}

pub async fn create_family_assisted(
    session: Session,
    request: &AssistedFamilyRequest,
) -> Result<AssistedFamilyResponse, ApiError> {
    session.post("/api/v1/staff/families", request).await
}

pub async fn start_acting_as_family(
    session: Session,
    family_id: Uuid,
) -> Result<ActingResponse, ApiError> {
    session
        .post(&format!("/api/v1/staff/families/{family_id}/acting"), &())
        .await
}

/// Gives a family created without an address its parent's e-mail (the account follows).
pub async fn set_family_email(
    session: Session,
    family_id: Uuid,
    email: &str,
) -> Result<AssistedFamilyResponse, ApiError> {
    session
        .call(
            gloo_net::http::Method::PUT,
            &format!("/api/v1/staff/families/{family_id}/email"),
            Some(&portail_domain::api::EmailRequest {
                email: email.to_owned(),
            }),
        )
        .await
}
