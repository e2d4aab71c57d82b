//! The audit log in French: each recorded action (a stable code, stored) and its detail become
//! a sentence that follows the staff member's name (« Camille Martin a accepté la pièce
//! «&nbsp;Attestation d'assurance&nbsp;» »). Never a raw code on screen.

use chrono::NaiveDate;

use crate::dossier::DocumentType;
use crate::format::{count, date_fr, quoted};
use crate::service_code::ServiceCode;

/// What a staff member (or the portal itself) did, as recorded: a stable code in the
/// database, one variant here, and its French sentence in [`describe`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    ViewFamily,
    ViewDocument,
    ValidateFamily,
    RequestFamilyInfo,
    ReviewDocument,
    SetStaffServices,
    ViewAttendance,
    DecideBookingRequest,
    SaveUnit,
    SetCapacity,
    SavePeriod,
    SetServiceRules,
    StaffBooking,
    CreateDocumentRequirement,
    DeleteDocumentRequirement,
    UpdateCommuneSettings,
    SetServiceContact,
    SaveAnnouncement,
    DeleteAnnouncement,
    SetPsuParameters,
    SaveTariff,
    MarkAttendance,
    SetHouseholdResources,
    SetBillingSettings,
    IssueInvoiceRun,
    CancelInvoice,
    RecordPayment,
    DecidePreregistration,
    ReorderWaitingList,
    CreateFamilyAssisted,
    StartActing,
    StopActing,
    ActingRequest,
    AddFamilyEmail,
    CreateApiKey,
    RevokeApiKey,
    ApiKeyCall,
    CreateWebhook,
    DeleteWebhook,
    DeactivateStaff,
    ReactivateStaff,
    EraseFamily,
    RetentionRun,
    SetLegalPage,
    AnswerMessage,
    SetConversationStatus,
    RecordMandate,
    IssueDebitFile,
    ReturnDebit,
    SettleDebits,
}

impl AuditAction {
    pub const ALL: [Self; 50] = [
        Self::ViewFamily,
        Self::ViewDocument,
        Self::ValidateFamily,
        Self::RequestFamilyInfo,
        Self::ReviewDocument,
        Self::SetStaffServices,
        Self::ViewAttendance,
        Self::DecideBookingRequest,
        Self::SaveUnit,
        Self::SetCapacity,
        Self::SavePeriod,
        Self::SetServiceRules,
        Self::StaffBooking,
        Self::CreateDocumentRequirement,
        Self::DeleteDocumentRequirement,
        Self::UpdateCommuneSettings,
        Self::SetServiceContact,
        Self::SaveAnnouncement,
        Self::DeleteAnnouncement,
        Self::SetPsuParameters,
        Self::SaveTariff,
        Self::MarkAttendance,
        Self::SetHouseholdResources,
        Self::SetBillingSettings,
        Self::IssueInvoiceRun,
        Self::CancelInvoice,
        Self::RecordPayment,
        Self::DecidePreregistration,
        Self::ReorderWaitingList,
        Self::CreateFamilyAssisted,
        Self::StartActing,
        Self::StopActing,
        Self::ActingRequest,
        Self::AddFamilyEmail,
        Self::CreateApiKey,
        Self::RevokeApiKey,
        Self::ApiKeyCall,
        Self::CreateWebhook,
        Self::DeleteWebhook,
        Self::DeactivateStaff,
        Self::ReactivateStaff,
        Self::EraseFamily,
        Self::RetentionRun,
        Self::SetLegalPage,
        Self::AnswerMessage,
        Self::SetConversationStatus,
        Self::RecordMandate,
        Self::IssueDebitFile,
        Self::ReturnDebit,
        Self::SettleDebits,
    ];

    /// The code stored in the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ViewFamily => "view_family",
            Self::ViewDocument => "view_document",
            Self::ValidateFamily => "validate_family",
            Self::RequestFamilyInfo => "request_family_info",
            Self::ReviewDocument => "review_document",
            Self::SetStaffServices => "set_staff_services",
            Self::ViewAttendance => "view_attendance",
            Self::DecideBookingRequest => "decide_booking_request",
            Self::SaveUnit => "save_unit",
            Self::SetCapacity => "set_capacity",
            Self::SavePeriod => "save_period",
            Self::SetServiceRules => "set_service_rules",
            Self::StaffBooking => "staff_booking",
            Self::CreateDocumentRequirement => "create_document_requirement",
            Self::DeleteDocumentRequirement => "delete_document_requirement",
            Self::UpdateCommuneSettings => "update_commune_settings",
            Self::SetServiceContact => "set_service_contact",
            Self::SaveAnnouncement => "save_announcement",
            Self::DeleteAnnouncement => "delete_announcement",
            Self::SetPsuParameters => "set_psu_parameters",
            Self::SaveTariff => "save_tariff",
            Self::MarkAttendance => "mark_attendance",
            Self::SetHouseholdResources => "set_household_resources",
            Self::SetBillingSettings => "set_billing_settings",
            Self::IssueInvoiceRun => "issue_invoice_run",
            Self::CancelInvoice => "cancel_invoice",
            Self::RecordPayment => "record_payment",
            Self::DecidePreregistration => "decide_preregistration",
            Self::ReorderWaitingList => "reorder_waiting_list",
            Self::CreateFamilyAssisted => "create_family_assisted",
            Self::StartActing => "start_acting",
            Self::StopActing => "stop_acting",
            Self::ActingRequest => "acting_request",
            Self::AddFamilyEmail => "add_family_email",
            Self::CreateApiKey => "create_api_key",
            Self::RevokeApiKey => "revoke_api_key",
            Self::ApiKeyCall => "api_key_call",
            Self::CreateWebhook => "create_webhook",
            Self::DeleteWebhook => "delete_webhook",
            Self::DeactivateStaff => "deactivate_staff",
            Self::ReactivateStaff => "reactivate_staff",
            Self::EraseFamily => "erase_family",
            Self::RetentionRun => "retention_run",
            Self::SetLegalPage => "set_legal_page",
            Self::AnswerMessage => "answer_message",
            Self::SetConversationStatus => "set_conversation_status",
            Self::RecordMandate => "record_mandate",
            Self::IssueDebitFile => "issue_debit_file",
            Self::ReturnDebit => "return_debit",
            Self::SettleDebits => "settle_debits",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == code)
    }
}

/// The actions under their historical names (`action::VIEW_FAMILY`), for the call sites.
pub mod action {
    use super::AuditAction;

    pub const VIEW_FAMILY: AuditAction = AuditAction::ViewFamily;
    pub const VIEW_DOCUMENT: AuditAction = AuditAction::ViewDocument;
    pub const VALIDATE_FAMILY: AuditAction = AuditAction::ValidateFamily;
    pub const REQUEST_FAMILY_INFO: AuditAction = AuditAction::RequestFamilyInfo;
    pub const REVIEW_DOCUMENT: AuditAction = AuditAction::ReviewDocument;
    pub const SET_STAFF_SERVICES: AuditAction = AuditAction::SetStaffServices;
    pub const VIEW_ATTENDANCE: AuditAction = AuditAction::ViewAttendance;
    pub const DECIDE_BOOKING_REQUEST: AuditAction = AuditAction::DecideBookingRequest;
    pub const SAVE_UNIT: AuditAction = AuditAction::SaveUnit;
    pub const SET_CAPACITY: AuditAction = AuditAction::SetCapacity;
    pub const SAVE_PERIOD: AuditAction = AuditAction::SavePeriod;
    pub const SET_SERVICE_RULES: AuditAction = AuditAction::SetServiceRules;
    pub const STAFF_BOOKING: AuditAction = AuditAction::StaffBooking;
    pub const CREATE_DOCUMENT_REQUIREMENT: AuditAction = AuditAction::CreateDocumentRequirement;
    pub const DELETE_DOCUMENT_REQUIREMENT: AuditAction = AuditAction::DeleteDocumentRequirement;
    pub const UPDATE_COMMUNE_SETTINGS: AuditAction = AuditAction::UpdateCommuneSettings;
    pub const SET_SERVICE_CONTACT: AuditAction = AuditAction::SetServiceContact;
    pub const SAVE_ANNOUNCEMENT: AuditAction = AuditAction::SaveAnnouncement;
    pub const DELETE_ANNOUNCEMENT: AuditAction = AuditAction::DeleteAnnouncement;
    pub const SET_PSU_PARAMETERS: AuditAction = AuditAction::SetPsuParameters;
    pub const SAVE_TARIFF: AuditAction = AuditAction::SaveTariff;
    pub const MARK_ATTENDANCE: AuditAction = AuditAction::MarkAttendance;
    pub const SET_HOUSEHOLD_RESOURCES: AuditAction = AuditAction::SetHouseholdResources;
    pub const SET_BILLING_SETTINGS: AuditAction = AuditAction::SetBillingSettings;
    pub const ISSUE_INVOICE_RUN: AuditAction = AuditAction::IssueInvoiceRun;
    pub const CANCEL_INVOICE: AuditAction = AuditAction::CancelInvoice;
    pub const RECORD_PAYMENT: AuditAction = AuditAction::RecordPayment;
    pub const DECIDE_PREREGISTRATION: AuditAction = AuditAction::DecidePreregistration;
    pub const REORDER_WAITING_LIST: AuditAction = AuditAction::ReorderWaitingList;
    pub const CREATE_FAMILY_ASSISTED: AuditAction = AuditAction::CreateFamilyAssisted;
    pub const START_ACTING: AuditAction = AuditAction::StartActing;
    pub const STOP_ACTING: AuditAction = AuditAction::StopActing;
    pub const ACTING_REQUEST: AuditAction = AuditAction::ActingRequest;
    pub const ADD_FAMILY_EMAIL: AuditAction = AuditAction::AddFamilyEmail;
    pub const CREATE_API_KEY: AuditAction = AuditAction::CreateApiKey;
    pub const REVOKE_API_KEY: AuditAction = AuditAction::RevokeApiKey;
    pub const API_KEY_CALL: AuditAction = AuditAction::ApiKeyCall;
    pub const CREATE_WEBHOOK: AuditAction = AuditAction::CreateWebhook;
    pub const DELETE_WEBHOOK: AuditAction = AuditAction::DeleteWebhook;
    pub const DEACTIVATE_STAFF: AuditAction = AuditAction::DeactivateStaff;
    pub const REACTIVATE_STAFF: AuditAction = AuditAction::ReactivateStaff;
    pub const ERASE_FAMILY: AuditAction = AuditAction::EraseFamily;
    pub const RETENTION_RUN: AuditAction = AuditAction::RetentionRun;
    pub const SET_LEGAL_PAGE: AuditAction = AuditAction::SetLegalPage;
    pub const ANSWER_MESSAGE: AuditAction = AuditAction::AnswerMessage;
    pub const SET_CONVERSATION_STATUS: AuditAction = AuditAction::SetConversationStatus;
    pub const RECORD_MANDATE: AuditAction = AuditAction::RecordMandate;
    pub const ISSUE_DEBIT_FILE: AuditAction = AuditAction::IssueDebitFile;
    pub const RETURN_DEBIT: AuditAction = AuditAction::ReturnDebit;
    pub const SETTLE_DEBITS: AuditAction = AuditAction::SettleDebits;
}

/// The detail of a staff booking: what, when, past the capacity or not, and the unit's name.
pub fn staff_booking_detail(book: bool, date: NaiveDate, forced: bool, unit: &str) -> String {
    format!(
        "{};{date};{};{unit}",
        if book { "book" } else { "cancel" },
        u8::from(forced)
    )
}

/// The detail of a capacity change: the day and the number of places.
pub fn capacity_detail(date: NaiveDate, capacity: u32) -> String {
    format!("{date}: {capacity}")
}

/// The detail of a document decision: `accept` or `refuse`, and the document's type.
pub fn review_detail(accept: bool, document_type: DocumentType) -> String {
    format!(
        "{};{}",
        if accept { "accept" } else { "refuse" },
        document_type.as_str()
    )
}

fn day(text: &str) -> Option<String> {
    crate::api::wire::parse_date(text.trim()).map(date_fr)
}

fn service_name(code: &str) -> String {
    ServiceCode::parse(code).map_or_else(|| code.to_owned(), |s| s.label_fr().to_owned())
}

fn mark_fr(code: &str) -> &'static str {
    crate::api::AttendanceMarkCode::parse(code).map_or("noté", |m| m.label_fr())
}

fn document_name(code: &str) -> Option<String> {
    DocumentType::parse(code).map(|t| quoted(t.label_fr()))
}

/// The detail of a request made while acting for a family: method, route, answer status.
pub fn acting_request_detail(method: &str, route: &str, status: u16) -> String {
    format!("{method} {route} {status}")
}

/// An acting request's detail in French: what the page did, and whether it was refused.
fn acting_request_fr(detail: &str) -> String {
    let mut parts = detail.split(' ');
    let (method, route, status) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts
            .next()
            .and_then(|s| s.parse::<u16>().ok())
            .unwrap_or(0),
    );
    let route = route.strip_prefix("/api/v1").unwrap_or(route);
    let what = match (method, route) {
        ("PUT", "/household") => "«\u{a0}Mon foyer\u{a0}» enregistré",
        ("POST", "/children") => "enfant ajouté dans «\u{a0}Mes enfants\u{a0}»",
        ("PUT", "/children/{child_id}") => "fiche d'un enfant enregistrée",
        ("POST", "/documents") => "pièce déposée dans «\u{a0}Mes documents\u{a0}»",
        ("DELETE", "/documents/{document_id}") => "pièce retirée de «\u{a0}Mes documents\u{a0}»",
        ("POST", "/dossier/submit") => "dossier envoyé",
        ("POST", "/bookings/batch") => "réservations envoyées depuis «\u{a0}Mon planning\u{a0}»",
        ("POST", p) if p.starts_with("/planning/waiting-list") => "inscription en liste d'attente",
        ("DELETE", p) if p.starts_with("/planning/waiting-list") => "sortie d'une liste d'attente",
        ("POST" | "PUT", p) if p.starts_with("/preregistrations") => "préinscription en crèche",
        _ => "modification de son espace",
    };
    if status == 0 {
        format!("{what} (réponse non enregistrée)")
    } else if (200..400).contains(&status) {
        what.to_owned()
    } else {
        format!("{what} (refusé)")
    }
}

/// What the staff member did, as a French sentence starting with the verb.
pub fn describe(action: &str, detail: Option<&str>) -> String {
    let detail = detail.unwrap_or_default();
    let Some(action) = AuditAction::parse(action) else {
        return "a effectué une opération".to_owned();
    };
    match action {
        action::VIEW_FAMILY => "a consulté le dossier de la famille".to_owned(),
        action::VIEW_DOCUMENT => "a consulté une pièce du dossier".to_owned(),
        action::VALIDATE_FAMILY => "a validé le dossier de la famille".to_owned(),
        action::REQUEST_FAMILY_INFO if detail.is_empty() => {
            "a demandé un complément à la famille".to_owned()
        }
        action::REQUEST_FAMILY_INFO => {
            format!("a demandé un complément à la famille : {}", quoted(detail))
        }
        action::REVIEW_DOCUMENT => {
            let (decision, kind) = detail.split_once(';').unwrap_or((detail, ""));
            let verb = if decision == "refuse" {
                "a refusé"
            } else {
                "a accepté"
            };
            match document_name(kind) {
                Some(name) => format!("{verb} la pièce {name}"),
                None => format!("{verb} une pièce"),
            }
        }
        action::SET_STAFF_SERVICES if detail.is_empty() => {
            "a retiré tous ses services à un agent".to_owned()
        }
        action::SET_STAFF_SERVICES => {
            let names: Vec<String> = detail.split(',').map(service_name).collect();
            format!("a confié à un agent : {}", names.join(", "))
        }
        action::VIEW_ATTENDANCE => match day(detail) {
            Some(date) => format!("a consulté la feuille de présence du {date}"),
            None => "a consulté une feuille de présence".to_owned(),
        },
        action::DECIDE_BOOKING_REQUEST => match detail {
            "declined" => "a refusé un souhait de réservation".to_owned(),
            _ => "a accepté un souhait de réservation".to_owned(),
        },
        action::SAVE_UNIT => format!("a enregistré la prestation {}", quoted(detail)),
        action::SAVE_PERIOD => format!("a enregistré la période {}", quoted(detail)),
        action::SET_CAPACITY => {
            let (date, places) = detail.split_once(": ").unwrap_or((detail, ""));
            match (day(date), places.trim().parse::<u32>()) {
                (Some(date), Ok(places)) => format!(
                    "a fixé la capacité du {date} à {}",
                    count(places, "place", "places")
                ),
                _ => "a modifié une capacité".to_owned(),
            }
        }
        action::SET_SERVICE_CONTACT => format!(
            "a modifié les coordonnées du service {}",
            quoted(&service_name(detail))
        ),
        action::SET_PSU_PARAMETERS => match day(detail) {
            Some(date) => format!("a fixé les paramètres PSU de la crèche à partir du {date}"),
            None => "a fixé des paramètres PSU de la crèche".to_owned(),
        },
        action::SAVE_TARIFF => format!("a enregistré le tarif {}", quoted(detail)),
        action::MARK_ATTENDANCE => match detail.split_once(';') {
            Some((date, mark)) => match day(date) {
                Some(date) => format!("a noté un enfant {} le {date}", quoted(mark_fr(mark))),
                None => "a noté un enfant sur une feuille de présence".to_owned(),
            },
            None => "a noté un enfant sur une feuille de présence".to_owned(),
        },
        action::SET_HOUSEHOLD_RESOURCES => {
            "a saisi les ressources du foyer de la famille".to_owned()
        }
        action::SET_BILLING_SETTINGS => "a modifié les réglages de facturation".to_owned(),
        action::ISSUE_INVOICE_RUN => format!(
            "a émis les factures {}",
            crate::format::de(&crate::format::month_label(detail.trim()))
        ),
        action::CANCEL_INVOICE => format!("a annulé par un avoir la facture {detail}"),
        action::RECORD_PAYMENT => format!("a enregistré un paiement de {detail}"),
        action::SAVE_ANNOUNCEMENT => format!("a enregistré l'annonce {}", quoted(detail)),
        action::DELETE_ANNOUNCEMENT => format!("a retiré l'annonce {}", quoted(detail)),
        action::SET_SERVICE_RULES => format!(
            "a modifié les règles de réservation du service {}",
            quoted(&service_name(detail))
        ),
        action::STAFF_BOOKING => {
            let parts: Vec<&str> = detail.splitn(4, ';').collect();
            match parts.as_slice() {
                [what, date, forced, unit] => {
                    let date = day(date).unwrap_or_else(|| (*date).to_owned());
                    let verb = if *what == "cancel" {
                        "a annulé pour la famille"
                    } else {
                        "a réservé pour la famille"
                    };
                    let past = if *forced == "1" {
                        ", au-delà de la capacité"
                    } else {
                        ""
                    };
                    format!("{verb} {} le {date}{past}", quoted(unit))
                }
                _ => "a modifié les réservations de la famille".to_owned(),
            }
        }
        action::CREATE_DOCUMENT_REQUIREMENT => match document_name(detail) {
            Some(name) => format!("a ajouté la pièce exigée {name}"),
            None => "a ajouté une pièce exigée".to_owned(),
        },
        action::DELETE_DOCUMENT_REQUIREMENT => "a retiré une pièce exigée".to_owned(),
        action::UPDATE_COMMUNE_SETTINGS => "a modifié les réglages de la commune".to_owned(),
        action::DECIDE_PREREGISTRATION => {
            let to = detail.rsplit(';').next().unwrap_or_default();
            match crate::rules::preregistration::PreRegistrationStatus::parse(to) {
                Some(status) => format!(
                    "a passé une préinscription en crèche à {}",
                    quoted(status.label_fr())
                ),
                None => "a décidé d'une préinscription en crèche".to_owned(),
            }
        }
        action::REORDER_WAITING_LIST => match detail.split_once(';') {
            Some((rank, reason)) if rank.parse::<u32>().is_ok() => format!(
                "a placé une préinscription au rang {rank} de la liste d'attente, motif : {}",
                quoted(reason)
            ),
            _ => "a changé l'ordre de la liste d'attente de la crèche".to_owned(),
        },
        action::CREATE_FAMILY_ASSISTED if detail.is_empty() => {
            "a créé en mairie le compte d'une famille, sans adresse e-mail, après lui avoir lu la protection des données".to_owned()
        }
        action::CREATE_FAMILY_ASSISTED => format!(
            "a créé en mairie le compte d'une famille ({detail}), après lui avoir lu la protection des données"
        ),
        action::ADD_FAMILY_EMAIL => {
            "a ajouté l'adresse e-mail de la famille, qui choisit son mot de passe".to_owned()
        }
        action::START_ACTING => "a commencé à agir pour la famille (aide aux démarches)".to_owned(),
        action::STOP_ACTING => "a terminé d'agir pour la famille".to_owned(),
        action::ACTING_REQUEST => format!(
            "a agi pour la famille : {}",
            acting_request_fr(detail)
        ),
        action::CREATE_API_KEY => format!("a créé la clé d'API {}", quoted(detail)),
        action::REVOKE_API_KEY => format!("a révoqué la clé d'API {}", quoted(detail)),
        action::API_KEY_CALL => api_call_fr(detail),
        action::CREATE_WEBHOOK => format!("a abonné l'adresse {} à des événements", quoted(detail)),
        action::DELETE_WEBHOOK => format!("a supprimé l'abonnement de l'adresse {}", quoted(detail)),
        action::DEACTIVATE_STAFF => match detail.split_once(';') {
            Some((email, "cli")) => format!(
                "a été désactivé ({}) depuis la ligne de commande",
                quoted(email)
            ),
            _ => format!("a désactivé le compte du personnel {}", quoted(detail)),
        },
        action::ERASE_FAMILY => match detail {
            "inactive" => "a supprimé les données d'une famille inactive depuis des années".to_owned(),
            "unconfirmed" => {
                "a supprimé un compte dont l'adresse n'a jamais été confirmée".to_owned()
            }
            _ => "a supprimé les données de la famille, à sa demande".to_owned(),
        },
        action::ANSWER_MESSAGE => format!(
            "a répondu à un message adressé au service {}",
            quoted(&service_name(detail))
        ),
        action::SET_CONVERSATION_STATUS => match detail {
            "open" => "a rouvert une conversation".to_owned(),
            _ => "a clos une conversation".to_owned(),
        },
        action::RECORD_MANDATE => format!("a enregistré le mandat de prélèvement {}", quoted(detail)),
        action::ISSUE_DEBIT_FILE => format!("a émis le fichier de prélèvement {}", quoted(detail)),
        action::RETURN_DEBIT => format!("a enregistré le rejet d'un prélèvement ({detail})"),
        action::SETTLE_DEBITS => format!("a constaté les prélèvements du fichier {}", quoted(detail)),
        action::SET_LEGAL_PAGE => format!(
            "a modifié la page {}",
            quoted(&crate::legal::LegalPage::parse(detail).map_or_else(
                || detail.to_owned(),
                |page| page.title().to_owned()
            ))
        ),
        action::RETENTION_RUN => format!("a appliqué les durées de conservation : {detail}"),
        action::REACTIVATE_STAFF => {
            format!("a réactivé le compte du personnel {}", quoted(detail))
        }
    }
}

/// The detail of a call made with an API key: the key's name, the operation, the method and
/// route, the answer's status.
pub fn api_call_detail(
    key: &str,
    operation: &str,
    method: &str,
    route: &str,
    status: u16,
) -> String {
    format!("{status};{method};{route};{operation};{key}")
}

fn api_call_fr(detail: &str) -> String {
    let mut parts = detail.splitn(5, ';');
    let status = parts.next().unwrap_or_default();
    let method = parts.next().unwrap_or_default();
    let route = parts.next().unwrap_or_default();
    let _operation = parts.next();
    let key = parts.next().unwrap_or_default();
    // `{family_id}` and the like read as « … » (the ids are in the row, not in the sentence).
    let mut shown = String::with_capacity(route.len());
    let mut in_brace = false;
    for c in route.strip_prefix("/api/v1").unwrap_or(route).chars() {
        match c {
            '{' => {
                in_brace = true;
                shown.push('…');
            }
            '}' => in_brace = false,
            _ if !in_brace => shown.push(c),
            _ => {}
        }
    }
    let status = if status == "0" {
        "réponse non enregistrée"
    } else {
        status
    };
    format!(
        "a appelé l'API avec la clé {} : {method} {shown} ({status})",
        quoted(key)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn every_action_reads_as_french_without_codes() {
        for code in AuditAction::ALL.map(AuditAction::as_str) {
            for detail in [None, Some(""), Some("x")] {
                let said = describe(code, detail);
                assert!(said.starts_with("a "), "{code}: {said}");
                assert!(!said.contains('_'), "{code}: {said}");
                assert!(
                    !said.contains("(accept)") && !said.contains("(refuse)"),
                    "{said}"
                );
            }
        }
    }

    #[test]
    fn an_api_call_names_the_key_the_route_and_the_answer() {
        let detail = api_call_detail(
            "Compta",
            "get_family",
            "GET",
            "/api/v1/staff/families/{family_id}",
            403,
        );
        assert_eq!(
            describe(action::API_KEY_CALL.as_str(), Some(&detail)),
            "a appelé l'API avec la clé «\u{a0}Compta\u{a0}» : GET /staff/families/… (403)"
        );
    }

    #[test]
    fn details_become_words() {
        assert_eq!(
            describe(action::VIEW_ATTENDANCE.as_str(), Some("2026-12-02")),
            "a consulté la feuille de présence du mercredi 2 décembre 2026"
        );
        assert_eq!(
            describe(
                action::REVIEW_DOCUMENT.as_str(),
                Some(&review_detail(true, DocumentType::InsuranceCertificate))
            ),
            "a accepté la pièce «\u{a0}Attestation d'assurance\u{a0}»"
        );
        assert_eq!(
            describe(action::REVIEW_DOCUMENT.as_str(), Some("refuse")),
            "a refusé une pièce"
        );
        assert_eq!(
            describe(
                action::SET_CAPACITY.as_str(),
                Some(&capacity_detail(d(2027, 7, 5), 1))
            ),
            "a fixé la capacité du lundi 5 juillet 2027 à 1 place"
        );
        assert_eq!(
            describe(
                action::STAFF_BOOKING.as_str(),
                Some(&staff_booking_detail(true, d(2027, 7, 5), true, "Matin"))
            ),
            "a réservé pour la famille «\u{a0}Matin\u{a0}» le lundi 5 juillet 2027, au-delà de la capacité"
        );
        assert_eq!(
            describe(
                action::SET_STAFF_SERVICES.as_str(),
                Some("alja,restauration")
            ),
            "a confié à un agent : Accueil de loisirs, Restauration scolaire"
        );
        assert_eq!(
            describe(action::DECIDE_BOOKING_REQUEST.as_str(), Some("declined")),
            "a refusé un souhait de réservation"
        );
    }
}
