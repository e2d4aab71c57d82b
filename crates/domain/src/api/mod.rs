//! Request and response bodies of the REST API, shared by the server and the browser app.

mod appointments;
mod assisted;
mod auth;
mod billing;
mod certificate;
mod commune;
mod direct_debit;
mod family;
mod health;
mod integrations;
mod messages;
mod planning;
mod preregistration;
mod problem;
mod review;
pub mod wire;

pub use crate::rules::appointments::{AppointmentDesk, AppointmentStatus};
pub use crate::rules::billing::sepa::{DebitStatus, MandateStatus, ReturnReason, SequenceType};
pub use crate::rules::messages::ConversationStatus;
pub use appointments::*;
pub use assisted::*;
pub use auth::{
    AccountResponse, AssistedFamilyRequest, AssistedRegistration, ChangePasswordRequest,
    CreateStaffRequest, DossierStatus, EmailRequest, HolderDetails, LoginRequest, MessageResponse,
    PasswordCheckRequest, Person, REGISTRATION_STEPS, RegisterFamilyRequest, Registration,
    ResetPasswordRequest, SessionResponse, StaffDeactivationResponse, StaffListResponse,
    StaffResponse, TakenOverWebhook, TokenRequest, registration_step_of,
};
pub use billing::*;
pub use certificate::*;
pub use commune::{
    AnnouncementListResponse, AnnouncementRequest, AnnouncementResponse, CommuneResponse,
    LegalPageRequest, LegalPageResponse, ServiceContactRequest, ServiceSummary, TileCode,
};
pub use direct_debit::*;
pub use family::{
    ChangeEmailRequest, ChildListResponse, ChildRequest, ChildResponse, ContactPerson, DataExport,
    DocumentListResponse, DocumentResponse, DossierEvent, DossierResponse, DossierSection,
    ErasurePreview, Household, KeptData, MissingItem, SecondGuardian, ToDoItem, ToDoKind, ToDoList,
    UpdateAccountRequest, UploadDocumentQuery,
};
pub use health::{ComponentStatus, HealthResponse, HealthStatus};
pub use integrations::*;
pub use messages::*;
pub use planning::*;
pub use preregistration::*;
pub use problem::{FieldError, Problem};
pub use review::{
    AuditEventListResponse, AuditEventQuery, AuditEventResponse, CommuneSettings,
    CreateDocumentRequirementRequest, DocumentDecision, DocumentRequirement,
    DocumentRequirementListResponse, FamilyDetailResponse, FamilyListQuery, FamilyListResponse,
    FamilySummary, RequestInfoRequest, ReviewDocumentRequest, StaffServicesRequest, StatusCounts,
};
