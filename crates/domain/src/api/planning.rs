//! Mon planning: the month grid, the recap submitted at once, bookings; and the staff's
//! periods, units, capacities, attendance and request queue.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ServiceCode;
use crate::rules::planning::{BookingMode, RefusalCode, WeekdayRule};
use crate::string_enum;

string_enum! {
    /// Ce que l'équipe a noté pour un enfant sur la feuille de présence.
    pub enum AttendanceMarkCode {
        Present => ("present", "Présent"),
        Absent => ("absent", "Absent"),
        Excused => ("excused", "Absent, certificat médical"),
    }
}

string_enum! {
    /// The state of a booking.
    pub enum BookingStatus {
        Booked => ("booked", "Réservé"),
        Requested => ("requested", "Demandé"),
        Declined => ("declined", "Refusé"),
        Cancelled => ("cancelled", "Annulé"),
    }
}

string_enum! {
    /// The state of a date and unit for a child, as the grid shows it.
    pub enum CellState {
        Booked => ("booked", "Réservé"),
        Requested => ("requested", "Demandé"),
        Declined => ("declined", "Refusé"),
        Free => ("free", "Libre"),
        Full => ("full", "Complet"),
        Closed => ("closed", "Fermé"),
        OutOfPeriod => ("out_of_period", "Hors période"),
        CutoffPassed => ("cutoff_passed", "Délai dépassé"),
        NotBookable => ("not_bookable", "Non réservable"),
        Waiting => ("waiting", "Liste d'attente"),
    }
}

/// Un service ouvert aux réservations, et ses prestations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookableService {
    pub code: ServiceCode,
    pub name: String,
    pub mode: BookingMode,
    /// Âges accueillis, en mois (pour ne proposer que les services d'un enfant).
    pub min_age_months: Option<u32>,
    pub max_age_months: Option<u32>,
    pub units: Vec<UnitSummary>,
    /// Le mois (`AAAA-MM`) où ouvrir le calendrier : le premier où une période est ouverte
    /// aux réservations, sinon celui de la prochaine période à ouvrir ; absent quand aucune
    /// période n'est à venir.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$")
    )]
    pub first_month: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookableServiceList {
    pub items: Vec<BookableService>,
    pub total: u64,
}

/// Planning d'un enfant pour un service et un mois.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PlanningQuery {
    pub child_id: Uuid,
    pub service: ServiceCode,
    /// `AAAA-MM`.
    #[cfg_attr(
        feature = "openapi",
        param(pattern = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$")
    )]
    pub month: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitSummary {
    pub id: Uuid,
    pub name: String,
    /// Le prix estimé d'une ligne pour cette famille (centimes), d'après le tarif en vigueur
    /// le premier jour du mois (tranche de quotient familial, hors commune ; pour la crèche,
    /// le tarif horaire PSU × les heures) ; à défaut de tarif, le prix indicatif de la
    /// prestation.
    pub price_cents: Option<i64>,
    /// Les autres prestations du service qu'un enfant ne peut pas tenir le même jour que
    /// celle-ci (leurs heures se chevauchent).
    #[serde(default)]
    pub overlaps: Vec<Uuid>,
}

/// Une case de la grille : un jour et une prestation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanningCell {
    pub unit_id: Uuid,
    pub state: CellState,
    /// Places restantes (pour une case libre ou réservée).
    pub places_left: Option<u32>,
    pub can_book: bool,
    pub can_cancel: bool,
    /// Pourquoi la case n'est pas réservable, en français.
    pub reason: Option<String>,
    /// Le jour est complet et le service tient une liste d'attente : l'enfant peut s'y
    /// inscrire (`join_waiting_list`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub can_wait: bool,
    /// L'enfant est en liste d'attente (état `waiting`) : son rang.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_rank: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanningDay {
    /// `AAAA-MM-JJ`.
    pub date: NaiveDate,
    pub cells: Vec<PlanningCell>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanningResponse {
    pub child_id: Uuid,
    pub service: ServiceCode,
    pub mode: BookingMode,
    /// `AAAA-MM`.
    pub month: String,
    pub units: Vec<UnitSummary>,
    pub days: Vec<PlanningDay>,
    /// Une règle du service à dire une fois, au-dessus du calendrier, avec ses dates (la
    /// crèche : « Les souhaits pour la semaine du 14 au 18 décembre se saisissent le lundi
    /// 7 décembre. »).
    #[serde(default)]
    pub notice: Option<String>,
    /// Les réservations sont suspendues (factures échues impayées au-delà du seuil de la
    /// commune) : pourquoi, et quoi faire.
    #[serde(default)]
    pub blocked: Option<String>,
}

string_enum! {
    /// Réserver ou annuler.
    pub enum LineAction {
        Book => ("book", "Réserver"),
        Cancel => ("cancel", "Annuler"),
    }
}

/// Une ligne de l'état récapitulatif.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingLine {
    pub child_id: Uuid,
    pub unit_id: Uuid,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub date: NaiveDate,
    pub action: LineAction,
}

/// L'état récapitulatif, envoyé en une fois (avec l'en-tête `Idempotency-Key`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"lines": [
    {"child_id": "0193f3c2-7a1e-7b3c-9d2e-5f6a7b8c9d0e", "unit_id": "0193f3c2-7a1e-7b3c-9d2e-5f6a7b8c9d0f", "date": "2027-07-07", "action": "book"}
]})))]
pub struct BookingBatchRequest {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 400))]
    pub lines: Vec<BookingLine>,
}

string_enum! {
    /// Un jour de la semaine.
    pub enum WeekdayCode {
        Monday => ("monday", "lundi"),
        Tuesday => ("tuesday", "mardi"),
        Wednesday => ("wednesday", "mercredi"),
        Thursday => ("thursday", "jeudi"),
        Friday => ("friday", "vendredi"),
        Saturday => ("saturday", "samedi"),
        Sunday => ("sunday", "dimanche"),
    }
}

/// Les prestations voulues un jour de la semaine type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekPatternDay {
    pub weekday: WeekdayCode,
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub unit_ids: Vec<Uuid>,
}

/// « Réserver chaque semaine » : pour un enfant et un service, les prestations voulues chaque
/// jour de la semaine, appliquées à chaque date de `from` à `to` (400 jours au plus, 800
/// lignes au plus). `action` : réserver ou annuler ces jours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "child_id": "0193f3c2-7a1e-7b3c-9d2e-5f6a7b8c9d0e", "service": "restauration", "action": "book",
    "from": "2027-01-04", "to": "2027-04-02",
    "days": [{"weekday": "monday", "unit_ids": ["0193f3c2-7a1e-7b3c-9d2e-5f6a7b8c9d0f"]},
             {"weekday": "thursday", "unit_ids": ["0193f3c2-7a1e-7b3c-9d2e-5f6a7b8c9d0f"]}]
})))]
pub struct WeekPatternRequest {
    pub child_id: Uuid,
    pub service: ServiceCode,
    pub action: LineAction,
    /// Le premier jour ; absent : aujourd'hui, ou le début de la période ouverte.
    #[serde(default, deserialize_with = "crate::api::wire::option_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub from: Option<NaiveDate>,
    /// Le dernier jour ; absent : la fin des périodes ouvertes aux réservations.
    #[serde(default, deserialize_with = "crate::api::wire::option_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub to: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 7))]
    pub days: Vec<WeekPatternDay>,
}

/// « Ma semaine type » : la dernière semaine type envoyée pour un enfant et un service, à
/// appliquer de nouveau à la période suivante.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedWeekPattern {
    pub child_id: Uuid,
    pub service: ServiceCode,
    pub days: Vec<WeekPatternDay>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedWeekPatternList {
    pub items: Vec<SavedWeekPattern>,
}

string_enum! {
    /// Ce que devient une date de la semaine type.
    pub enum PatternOutcome {
        Booked => ("booked", "Réservé"),
        Requested => ("requested", "Souhait envoyé"),
        Cancelled => ("cancelled", "Annulé"),
        Unchanged => ("unchanged", "Déjà fait"),
        Refused => ("refused", "Refusé"),
    }
}

/// Une date et une prestation de la semaine type, et ce qu'elle devient (ou deviendrait).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatternLine {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub date: NaiveDate,
    pub unit_id: Uuid,
    pub outcome: PatternOutcome,
    /// Pourquoi la ligne est refusée (ou déjà faite), en français.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// L'aperçu (`sent` faux : rien n'est enregistré) ou la réponse de l'envoi d'une semaine type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekPatternResponse {
    pub sent: bool,
    /// Les dates couvertes (celles de la demande, ou la période ouverte).
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub from: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub to: NaiveDate,
    pub lines: Vec<PatternLine>,
    pub changed: u32,
    pub unchanged: u32,
    pub refused: u32,
    /// « 138 jours réservés, 4 refusés ».
    pub summary: String,
}

string_enum! {
    /// Ce qui est arrivé à une ligne.
    pub enum LineOutcome {
        Booked => ("booked", "Réservé"),
        Requested => ("requested", "Souhait envoyé"),
        Cancelled => ("cancelled", "Annulé"),
        Refused => ("refused", "Refusé"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingLineResult {
    #[serde(flatten)]
    pub line: BookingLine,
    pub outcome: LineOutcome,
    /// Pour une ligne refusée : le code stable et la raison en français.
    pub code: Option<RefusalCode>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingBatchResponse {
    pub results: Vec<BookingLineResult>,
    pub accepted: u32,
    pub refused: u32,
}

/// La réponse à un récapitulatif envoyé, avec ses lignes refusées et leurs raisons
/// (« Mes dernières demandes »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecapAnswer {
    pub sent_at: DateTime<Utc>,
    pub accepted: u32,
    /// Les lignes refusées seulement, chacune avec son code et sa raison.
    pub refused: Vec<BookingLineResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecapAnswerListResponse {
    pub items: Vec<RecapAnswer>,
}

/// Une réservation (ou un souhait).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingResponse {
    pub id: Uuid,
    pub child_id: Uuid,
    pub child_first_name: String,
    pub service: ServiceCode,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub date: NaiveDate,
    pub status: BookingStatus,
    pub decline_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingListResponse {
    pub items: Vec<BookingResponse>,
    pub total: u64,
}

/// Une période d'un service (« Vacances d'été 2027 »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "service": "alja", "name": "Vacances d'été 2027", "starts_on": "2027-07-05", "ends_on": "2027-08-27",
    "booking_opens_at": "2027-05-03T09:00:00", "booking_closes_at": "2027-06-30T23:59:00",
    "open_weekdays": [true, true, true, true, true, false, false], "closed_dates": ["2027-08-16"]
})))]
pub struct PeriodRequest {
    pub service: ServiceCode,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 80,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub name: String,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub starts_on: NaiveDate,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub ends_on: NaiveDate,
    /// Heure locale (Europe/Paris) d'ouverture des réservations, `AAAA-MM-JJTHH:MM:SS`.
    #[serde(deserialize_with = "crate::api::wire::local_date_time")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::LocalDateTime))]
    pub booking_opens_at: chrono::NaiveDateTime,
    /// Heure locale de clôture.
    #[serde(deserialize_with = "crate::api::wire::local_date_time")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::LocalDateTime))]
    pub booking_closes_at: chrono::NaiveDateTime,
    /// Du lundi au dimanche.
    #[cfg_attr(feature = "openapi", schema(min_items = 7, max_items = 7))]
    pub open_weekdays: [bool; 7],
    /// Au plus 366.
    #[serde(default, deserialize_with = "crate::api::wire::dates")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::api::wire::Day>, max_items = 366))]
    pub closed_dates: Vec<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodResponse {
    pub id: Uuid,
    #[serde(flatten)]
    pub period: PeriodRequest,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodListResponse {
    pub items: Vec<PeriodResponse>,
    pub total: u64,
}

/// Une prestation d'un service (« Journée avec repas »), sa capacité par défaut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"service": "alja", "name": "Journée avec repas", "default_capacity": 24, "price_cents": 1250, "position": 1, "starts_at": "08:00:00", "ends_at": "18:00:00"})))]
pub struct UnitRequest {
    pub service: ServiceCode,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 80,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub default_capacity: u32,
    /// Prix indicatif en centimes (affiché dans le récapitulatif).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub price_cents: Option<i64>,
    /// L'ordre d'affichage, de 0 à 1000.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000))]
    pub position: i32,
    /// Heure locale de début (`HH:MM:SS`) : avec `ends_at`, les heures couvertes. Deux
    /// prestations dont les heures se chevauchent ne se réservent pas ensemble le même jour ;
    /// une prestation qui en couvre d'autres (la journée, le matin) prend aussi leurs places.
    #[serde(default, deserialize_with = "crate::api::wire::option_time")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::LocalTime>))]
    pub starts_at: Option<chrono::NaiveTime>,
    /// Heure locale de fin (`HH:MM:SS`, exclue).
    #[serde(default, deserialize_with = "crate::api::wire::option_time")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::LocalTime>))]
    pub ends_at: Option<chrono::NaiveTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitResponse {
    pub id: Uuid,
    #[serde(flatten)]
    pub unit: UnitRequest,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitListResponse {
    pub items: Vec<UnitResponse>,
    pub total: u64,
}

/// La capacité d'une prestation un jour donné (remplace la capacité par défaut).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CapacityRequest {
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub date: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub capacity: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CapacityResponse {
    pub unit_id: Uuid,
    pub date: NaiveDate,
    pub capacity: u32,
    pub taken: u32,
}

/// Les règles de réservation d'un service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"mode": "instant", "cutoff_days": 2, "cutoff_time": "10:00:00", "cutoff_working_days": false, "weekday_rule": null, "min_age_months": 36, "max_age_months": 143})))]
pub struct ServiceRulesDto {
    pub mode: BookingMode,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 60))]
    pub cutoff_days: Option<u32>,
    /// Heure locale, `HH:MM:SS`.
    #[serde(default, deserialize_with = "crate::api::wire::option_time")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::LocalTime>))]
    pub cutoff_time: Option<chrono::NaiveTime>,
    #[serde(default)]
    pub cutoff_working_days: bool,
    #[serde(default)]
    pub weekday_rule: Option<WeekdayRule>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 300))]
    pub min_age_months: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 300))]
    pub max_age_months: Option<u32>,
    /// Les jours complets prennent une liste d'attente (`auto` : le premier enfant en
    /// attente est inscrit d'office quand une place se libère ; `offer` : la place lui est
    /// gardée `offer_hours` heures).
    #[serde(default = "waiting_off")]
    pub waiting_list: crate::rules::waiting_list::WaitingListMode,
    /// En mode `offer`, combien d'heures une place libérée est gardée (de 1 à 168).
    #[serde(default = "default_offer_hours")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 168))]
    pub offer_hours: u32,
}

fn waiting_off() -> crate::rules::waiting_list::WaitingListMode {
    crate::rules::waiting_list::WaitingListMode::Off
}

fn default_offer_hours() -> u32 {
    24
}

/// Rejoindre (ou quitter) la liste d'attente d'un jour complet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct WaitingListRequest {
    pub child_id: Uuid,
    pub unit_id: Uuid,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    #[cfg_attr(feature = "openapi", param(value_type = crate::api::wire::Day))]
    pub date: NaiveDate,
}

/// La place d'un enfant dans la liste d'attente d'un jour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitingListResponse {
    pub child_id: Uuid,
    pub unit_id: Uuid,
    pub date: NaiveDate,
    /// 1 : la prochaine place libérée est pour cet enfant.
    pub rank: u32,
    /// Une place est gardée pour cet enfant jusqu'à cet instant : réservez le jour pour la
    /// prendre.
    pub offered_until: Option<DateTime<Utc>>,
}

/// Une ligne de la feuille de présence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceEntry {
    pub child_id: Uuid,
    pub family_id: Uuid,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Option<NaiveDate>,
    pub allergies: String,
    pub has_pai: Option<bool>,
    /// Un régime particulier, en mots (« Sans porc ») ; rien sans régime particulier.
    pub diet: Option<String>,
    /// Personnes autorisées à venir chercher l'enfant (« Prénom Nom (téléphone) »).
    pub pickup_persons: Vec<String>,
    pub status: BookingStatus,
    /// Réservé : faux pour un enfant noté présent sans réservation (facturé au tarif « non
    /// réservé »).
    pub booked: bool,
    /// Ce que l'équipe a noté (présent, absent, absent avec certificat médical).
    pub mark: Option<AttendanceMarkCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceResponse {
    pub service: ServiceCode,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub date: NaiveDate,
    pub capacity: u32,
    pub taken: u32,
    pub entries: Vec<AttendanceEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct AttendanceQuery {
    pub unit_id: Uuid,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", param(value_type = crate::api::wire::Day))]
    pub date: NaiveDate,
}

/// Un souhait en attente, pour le personnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingRequestItem {
    pub booking_id: Uuid,
    pub family_id: Uuid,
    pub child_id: Uuid,
    pub child_name: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub date: NaiveDate,
    pub places_left: u32,
    pub requested_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingRequestListResponse {
    pub items: Vec<BookingRequestItem>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct BookingRequestQuery {
    pub service: ServiceCode,
    /// Un jour de la semaine voulue : la liste couvre son lundi au dimanche.
    #[serde(default, deserialize_with = "crate::api::wire::option_date")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<crate::api::wire::Day>))]
    pub week_of: Option<NaiveDate>,
}

string_enum! {
    /// Accepter ou refuser un souhait.
    pub enum RequestDecision {
        Accept => ("accept", "Accepter"),
        Decline => ("decline", "Refuser"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestDecisionLine {
    pub booking_id: Uuid,
    pub decision: RequestDecision,
    /// Pour un refus, dit à la famille ; 500 caractères au plus, sans caractère de contrôle
    /// (les retours à la ligne sont permis).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 500,
            pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
        )
    )]
    pub reason: Option<String>,
}

/// Décider de souhaits, un par un ou toute une semaine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecideBookingRequestsRequest {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub decisions: Vec<RequestDecisionLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestDecisionResult {
    pub booking_id: Uuid,
    pub status: Option<BookingStatus>,
    /// Pourquoi la décision n'a pas été appliquée (complet, déjà traité…).
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecideBookingRequestsResponse {
    pub results: Vec<RequestDecisionResult>,
}

/// Réserver ou annuler pour le compte d'une famille (le personnel), sans fenêtre ni délai ;
/// `force` dépasse la capacité (inscrit au journal d'audit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffBookingRequest {
    pub child_id: Uuid,
    pub unit_id: Uuid,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub date: NaiveDate,
    pub action: LineAction,
    #[serde(default)]
    pub force: bool,
}
