//! The account endpoints, typed.

use portail_domain::api::{
    AccountResponse, ChangePasswordRequest, CreateStaffRequest, EmailRequest, LoginRequest,
    MessageResponse, RegisterFamilyRequest, ResetPasswordRequest, SessionResponse,
    StaffDeactivationResponse, StaffListResponse, StaffResponse, TokenRequest,
};

use super::{ApiError, Session, post_json};

pub async fn register(form: &RegisterFamilyRequest) -> Result<MessageResponse, ApiError> {
    post_json("/api/v1/auth/register", form).await
}

/// The server's strength check of a password (zxcvbn is not in the browser): `Err` with the
/// `password` field's error when it is too easy to guess.
pub async fn check_password(password: &str, email: &str) -> Result<(), ApiError> {
    post_json(
        "/api/v1/auth/password-check",
        &portail_domain::api::PasswordCheckRequest {
            password: password.to_owned(),
            email: email.to_owned(),
        },
    )
    .await
}

pub async fn verify_email(token: &str) -> Result<MessageResponse, ApiError> {
    post_json(
        "/api/v1/auth/verify-email",
        &TokenRequest {
            token: token.to_owned(),
        },
    )
    .await
}

pub async fn resend_verification(email: &str) -> Result<MessageResponse, ApiError> {
    post_json(
        "/api/v1/auth/verify-email/resend",
        &EmailRequest {
            email: email.to_owned(),
        },
    )
    .await
}

pub async fn login(session: Session, request: &LoginRequest) -> Result<(), ApiError> {
    let response: SessionResponse = post_json(&session.auth_path("login"), request).await?;
    session.start(response);
    Ok(())
}

pub async fn request_password_reset(
    session: Session,
    email: &str,
) -> Result<MessageResponse, ApiError> {
    post_json(
        &session.auth_path("password-reset/request"),
        &EmailRequest {
            email: email.to_owned(),
        },
    )
    .await
}

pub async fn reset_password(
    session: Session,
    request: &ResetPasswordRequest,
) -> Result<MessageResponse, ApiError> {
    post_json(&session.auth_path("password-reset"), request).await
}

pub async fn get_account(session: Session) -> Result<AccountResponse, ApiError> {
    session.get("/api/v1/account").await
}

pub async fn change_password(
    session: Session,
    request: &ChangePasswordRequest,
) -> Result<(), ApiError> {
    let path = match session.kind {
        portail_domain::auth::AccountKind::Family => "/api/v1/account/password",
        portail_domain::auth::AccountKind::Staff => "/api/v1/staff/me/password",
    };
    let response: SessionResponse = session.post(path, request).await?;
    session.start(response);
    Ok(())
}

pub async fn get_staff_me(session: Session) -> Result<StaffResponse, ApiError> {
    session.get("/api/v1/staff/me").await
}

pub async fn list_staff(session: Session) -> Result<StaffListResponse, ApiError> {
    session.get("/api/v1/staff/accounts").await
}

pub async fn create_staff(
    session: Session,
    request: &CreateStaffRequest,
) -> Result<StaffResponse, ApiError> {
    session.post("/api/v1/staff/accounts", request).await
}

/// Ends a staff member's access (their sessions, their API keys; their webhooks pass to the
/// administrator doing it).
pub async fn deactivate_staff(
    session: Session,
    staff_id: uuid::Uuid,
) -> Result<StaffDeactivationResponse, ApiError> {
    session
        .post(
            &format!("/api/v1/staff/accounts/{staff_id}/deactivate"),
            &(),
        )
        .await
}

pub async fn reactivate_staff(
    session: Session,
    staff_id: uuid::Uuid,
) -> Result<StaffResponse, ApiError> {
    session
        .post(
            &format!("/api/v1/staff/accounts/{staff_id}/reactivate"),
            &(),
        )
        .await
}

/// A legal page (public): its text, the commune's or the portal's.
pub async fn get_legal_page(
    slug: &'static str,
) -> Result<portail_domain::api::LegalPageResponse, ApiError> {
    super::get_json(&format!("/api/v1/legal/{slug}")).await
}

/// Replaces a legal page's text (`None`: back to the portal's), administrators.
pub async fn set_legal_page(
    session: Session,
    slug: &'static str,
    request: &portail_domain::api::LegalPageRequest,
) -> Result<portail_domain::api::LegalPageResponse, ApiError> {
    session
        .call(
            gloo_net::http::Method::PUT,
            &format!("/api/v1/staff/legal/{slug}"),
            Some(request),
        )
        .await
}
