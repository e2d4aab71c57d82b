//! The family file's endpoints, typed.

use portail_domain::api::{
    AccountResponse, ChangeEmailRequest, ChildListResponse, ChildRequest, ChildResponse,
    DocumentListResponse, DocumentResponse, DossierResponse, Household, MessageResponse,
    TokenRequest, UpdateAccountRequest,
};
use portail_domain::dossier::DocumentType;
use uuid::Uuid;

use super::{ApiError, Session, post_json};

pub async fn get_dossier(session: Session) -> Result<DossierResponse, ApiError> {
    session.get("/api/v1/dossier").await
}

pub async fn submit_dossier(session: Session) -> Result<DossierResponse, ApiError> {
    session.post("/api/v1/dossier/submit", &()).await
}

pub async fn confirm_reverification(session: Session) -> Result<DossierResponse, ApiError> {
    session
        .post("/api/v1/dossier/confirm-reverification", &())
        .await
}

pub async fn get_household(session: Session) -> Result<Household, ApiError> {
    session.get("/api/v1/household").await
}

pub async fn update_household(
    session: Session,
    household: &Household,
) -> Result<Household, ApiError> {
    session
        .call(
            gloo_net::http::Method::PUT,
            "/api/v1/household",
            Some(household),
        )
        .await
}

pub async fn list_children(session: Session) -> Result<ChildListResponse, ApiError> {
    session.get("/api/v1/children").await
}

pub async fn get_child(session: Session, id: Uuid) -> Result<ChildResponse, ApiError> {
    session.get(&format!("/api/v1/children/{id}")).await
}

pub async fn save_child(
    session: Session,
    id: Option<Uuid>,
    child: &ChildRequest,
) -> Result<ChildResponse, ApiError> {
    match id {
        Some(id) => {
            session
                .call(
                    gloo_net::http::Method::PUT,
                    &format!("/api/v1/children/{id}"),
                    Some(child),
                )
                .await
        }
        None => session.post("/api/v1/children", child).await,
    }
}

pub async fn delete_child(session: Session, id: Uuid) -> Result<(), ApiError> {
    session
        .call::<(), ()>(
            gloo_net::http::Method::DELETE,
            &format!("/api/v1/children/{id}"),
            None,
        )
        .await
}

pub async fn list_documents(session: Session) -> Result<DocumentListResponse, ApiError> {
    session.get("/api/v1/documents").await
}

pub async fn delete_document(session: Session, id: Uuid) -> Result<(), ApiError> {
    session
        .call::<(), ()>(
            gloo_net::http::Method::DELETE,
            &format!("/api/v1/documents/{id}"),
            None,
        )
        .await
}

/// Sends the file as the request's body; its type is recognised by the server.
pub async fn upload_document(
    session: Session,
    document_type: DocumentType,
    child_id: Option<Uuid>,
    file: &web_sys::File,
) -> Result<DocumentResponse, ApiError> {
    let mut url = format!(
        "/api/v1/documents?document_type={}&filename={}",
        document_type.as_str(),
        js_sys::encode_uri_component(&file.name())
    );
    if let Some(child_id) = child_id {
        url.push_str(&format!("&child_id={child_id}"));
    }
    session
        .send_raw(gloo_net::http::Method::POST, &url, file.as_ref())
        .await
}

/// Fetches a file with the access token and returns a `blob:` URL for it.
pub async fn document_blob_url(session: Session, path: &str) -> Result<String, ApiError> {
    session.blob_url(path).await
}

pub async fn update_account(
    session: Session,
    form: &UpdateAccountRequest,
) -> Result<AccountResponse, ApiError> {
    session
        .call(gloo_net::http::Method::PUT, "/api/v1/account", Some(form))
        .await
}

pub async fn request_email_change(
    session: Session,
    form: &ChangeEmailRequest,
) -> Result<MessageResponse, ApiError> {
    session.post("/api/v1/account/email", form).await
}

pub async fn confirm_email_change(token: &str) -> Result<MessageResponse, ApiError> {
    post_json(
        "/api/v1/auth/email-change/confirm",
        &TokenRequest {
            token: token.to_owned(),
        },
    )
    .await
}

pub async fn request_deletion(session: Session) -> Result<MessageResponse, ApiError> {
    session.post("/api/v1/account/deletion-request", &()).await
}

// ---- Staff ----

use portail_domain::api::{
    AuditEventListResponse, CommuneSettings, DocumentDecision, DossierStatus, FamilyDetailResponse,
    FamilyListResponse, RequestInfoRequest, ReviewDocumentRequest, StaffServicesRequest,
};

pub async fn list_families(
    session: Session,
    status: Option<DossierStatus>,
    q: &str,
) -> Result<FamilyListResponse, ApiError> {
    let mut url = "/api/v1/staff/families?per_page=100".to_owned();
    if let Some(status) = status {
        url.push_str(&format!("&status={}", status.as_str()));
    }
    if !q.trim().is_empty() {
        url.push_str(&format!("&q={}", js_sys::encode_uri_component(q.trim())));
    }
    session.get(&url).await
}

pub async fn get_family(session: Session, id: Uuid) -> Result<FamilyDetailResponse, ApiError> {
    session.get(&format!("/api/v1/staff/families/{id}")).await
}

pub async fn validate_family(session: Session, id: Uuid) -> Result<DossierStatus, ApiError> {
    session
        .post(&format!("/api/v1/staff/families/{id}/validate"), &())
        .await
}

pub async fn request_family_info(
    session: Session,
    id: Uuid,
    message: &str,
) -> Result<DossierStatus, ApiError> {
    session
        .post(
            &format!("/api/v1/staff/families/{id}/request-info"),
            &RequestInfoRequest {
                message: message.to_owned(),
            },
        )
        .await
}

pub async fn review_document(
    session: Session,
    id: Uuid,
    decision: DocumentDecision,
    reason: Option<String>,
) -> Result<DocumentResponse, ApiError> {
    session
        .post(
            &format!("/api/v1/staff/documents/{id}/review"),
            &ReviewDocumentRequest { decision, reason },
        )
        .await
}

pub async fn list_audit_events(session: Session) -> Result<AuditEventListResponse, ApiError> {
    session.get("/api/v1/staff/audit-events?per_page=200").await
}

pub async fn get_settings(session: Session) -> Result<CommuneSettings, ApiError> {
    session.get("/api/v1/staff/settings").await
}

pub async fn update_settings(
    session: Session,
    settings: &CommuneSettings,
) -> Result<CommuneSettings, ApiError> {
    session
        .call(
            gloo_net::http::Method::PUT,
            "/api/v1/staff/settings",
            Some(settings),
        )
        .await
}

pub async fn set_staff_services(
    session: Session,
    staff_id: Uuid,
    services: &StaffServicesRequest,
) -> Result<StaffServicesRequest, ApiError> {
    session
        .call(
            gloo_net::http::Method::PUT,
            &format!("/api/v1/staff/accounts/{staff_id}/services"),
            Some(services),
        )
        .await
}

pub async fn set_service_contact(
    session: Session,
    service: portail_domain::ServiceCode,
    contact: &portail_domain::api::ServiceContactRequest,
) -> Result<(), ApiError> {
    session
        .call(
            gloo_net::http::Method::PUT,
            &format!("/api/v1/staff/services/{}/contact", service.as_str()),
            Some(contact),
        )
        .await
}

pub async fn list_all_announcements(
    session: Session,
) -> Result<portail_domain::api::AnnouncementListResponse, ApiError> {
    session.get("/api/v1/staff/announcements").await
}

pub async fn save_announcement(
    session: Session,
    id: Option<Uuid>,
    announcement: &portail_domain::api::AnnouncementRequest,
) -> Result<portail_domain::api::AnnouncementResponse, ApiError> {
    match id {
        Some(id) => {
            session
                .call(
                    gloo_net::http::Method::PUT,
                    &format!("/api/v1/staff/announcements/{id}"),
                    Some(announcement),
                )
                .await
        }
        None => {
            session
                .post("/api/v1/staff/announcements", announcement)
                .await
        }
    }
}

pub async fn delete_announcement(session: Session, id: Uuid) -> Result<(), ApiError> {
    session
        .call::<(), ()>(
            gloo_net::http::Method::DELETE,
            &format!("/api/v1/staff/announcements/{id}"),
            None,
        )
        .await
}

/// What erasing a family would do now (administrators).
pub async fn erasure_preview(
    session: Session,
    id: Uuid,
) -> Result<portail_domain::api::ErasurePreview, ApiError> {
    session
        .get(&format!("/api/v1/staff/families/{id}/erasure"))
        .await
}

/// Erases a family's data, on its request (administrators).
pub async fn erase_family(
    session: Session,
    id: Uuid,
) -> Result<portail_domain::api::MessageResponse, ApiError> {
    session
        .post(&format!("/api/v1/staff/families/{id}/erasure"), &())
        .await
}
