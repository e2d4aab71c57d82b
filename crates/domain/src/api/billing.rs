//! Billing's request and response bodies (issue « Mes factures »), as they are routed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ServiceCode;
use crate::rules::billing::invoice::InvoiceStatus;
use crate::rules::billing::psu::PsuParameters;
use crate::rules::billing::tariff::{Bracket, SiblingRate, Tariff};
use crate::string_enum;

use super::planning::AttendanceMarkCode;

/// Les paramètres PSU de la crèche en vigueur à partir d'une date : plancher et plafond des
/// ressources mensuelles (centimes), taux d'effort horaires en millionièmes (0,0619 % = 619)
/// pour 1, 2, 3, 4 à 7, 8 enfants ou plus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PsuParametersRequest {
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub valid_from: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub floor_cents: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub ceiling_cents: i64,
    #[cfg_attr(feature = "openapi", schema(min_items = 5, max_items = 5))]
    pub rates_ppm: [i64; 5],
}

impl PsuParametersRequest {
    /// The domain's figures, checked (`PsuParameters::check`) and within 1,000,000 €.
    pub fn validate(&self) -> Result<PsuParameters, crate::parse::FieldErrors> {
        let parameters = PsuParameters {
            valid_from: self.valid_from,
            floor_cents: self.floor_cents,
            ceiling_cents: self.ceiling_cents,
            rates_ppm: self.rates_ppm,
        };
        parameters.check()?;
        if self.ceiling_cents > 100_000_000 {
            let mut e = crate::parse::FieldErrors::default();
            e.push(
                "ceiling_cents",
                crate::parse::InvalidValue::new(
                    "out_of_range",
                    "Le plafond ne dépasse pas 1 000 000 €.",
                ),
            );
            return Err(e);
        }
        Ok(parameters)
    }
}

impl From<&PsuParameters> for PsuParametersRequest {
    fn from(p: &PsuParameters) -> Self {
        Self {
            valid_from: p.valid_from,
            floor_cents: p.floor_cents,
            ceiling_cents: p.ceiling_cents,
            rates_ppm: p.rates_ppm,
        }
    }
}

/// Tous les paramètres PSU, du plus récent au plus ancien.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PsuParametersListResponse {
    pub items: Vec<PsuParametersRequest>,
    pub total: u64,
}

string_enum! {
    /// Le tarif fratrie : une réduction en pourcentage ou un prix fixe.
    pub enum SiblingKind {
        PercentOff => ("percent_off", "Réduction en pourcentage"),
        Fixed => ("fixed", "Prix fixe"),
    }
}

string_enum! {
    /// Une facture, ou un avoir qui en réduit une.
    pub enum InvoiceKind {
        Invoice => ("invoice", "Facture"),
        CreditNote => ("credit_note", "Avoir"),
    }
}

string_enum! {
    /// Comment une famille a payé.
    pub enum PaymentMethod {
        Cheque => ("cheque", "Chèque"),
        Cash => ("cash", "Espèces"),
        Cesu => ("cesu", "CESU"),
        Transfer => ("transfer", "Virement"),
        DirectDebit => ("direct_debit", "Prélèvement"),
        Online => ("online", "Paiement en ligne"),
    }
}

string_enum! {
    /// Où en est un paiement en ligne.
    pub enum OnlinePaymentStatus {
        Pending => ("pending", "En attente"),
        Paid => ("paid", "Payé"),
        Refused => ("refused", "Refusé"),
        Abandoned => ("abandoned", "Abandonné"),
    }
}

/// Une tranche de quotient familial : jusqu'à `up_to` inclus (la dernière n'a pas de plafond).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BracketBody {
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000))]
    pub up_to: Option<u32>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000))]
    pub price_cents: i64,
}

/// Le tarif fratrie, à partir du deuxième enfant le même jour dans le même service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiblingBody {
    pub kind: SiblingKind,
    /// Un pourcentage (0 à 100) ou un prix en centimes.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000))]
    pub value: i64,
}

/// Un tarif daté d'une prestation : tranches de quotient familial, tarif hors commune, tarif
/// fratrie, repas pris sans réservation. Montants en centimes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TariffRequest {
    pub unit_id: uuid::Uuid,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub valid_from: NaiveDate,
    #[serde(default, deserialize_with = "crate::api::wire::option_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub valid_to: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 20))]
    pub brackets: Vec<BracketBody>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000))]
    pub non_resident_cents: Option<i64>,
    #[serde(default)]
    pub sibling: Option<SiblingBody>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000))]
    pub unbooked_cents: Option<i64>,
}

impl TariffRequest {
    /// The domain's tariff, checked (`Tariff::check`); at most 20 brackets.
    pub fn validate(&self) -> Result<Tariff, crate::parse::FieldErrors> {
        let mut e = crate::parse::FieldErrors::default();
        if self
            .brackets
            .iter()
            .any(|b| b.up_to.is_some_and(|q| q > 100_000))
        {
            e.push(
                "brackets",
                crate::parse::InvalidValue::new(
                    "out_of_range",
                    "Un plafond de tranche va jusqu'à un quotient familial de 100 000.",
                ),
            );
        }
        if self.brackets.is_empty() || self.brackets.len() > 20 {
            e.push(
                "brackets",
                crate::parse::InvalidValue::new("out_of_range", "Un tarif a de 1 à 20 tranches."),
            );
        }
        let sibling = match self.sibling {
            None => None,
            Some(SiblingBody {
                kind: SiblingKind::PercentOff,
                value,
            }) => match u8::try_from(value) {
                Ok(off) if off <= 100 => Some(SiblingRate::PercentOff(off)),
                _ => {
                    e.push(
                        "sibling",
                        crate::parse::InvalidValue::new(
                            "out_of_range",
                            "Une réduction va de 0 à 100 %.",
                        ),
                    );
                    None
                }
            },
            Some(SiblingBody {
                kind: SiblingKind::Fixed,
                value,
            }) => Some(SiblingRate::Fixed(value)),
        };
        let tariff = Tariff {
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            brackets: self
                .brackets
                .iter()
                .map(|b| Bracket {
                    up_to: b.up_to,
                    price_cents: b.price_cents,
                })
                .collect(),
            non_resident_cents: self.non_resident_cents,
            sibling,
            unbooked_cents: self.unbooked_cents,
        };
        if let Err(more) = tariff.check() {
            e.extend(more);
        }
        e.into_result(tariff)
    }
}

/// Un tarif enregistré, avec sa prestation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TariffResponse {
    pub id: uuid::Uuid,
    pub service: ServiceCode,
    pub unit_name: String,
    #[serde(flatten)]
    pub tariff: TariffRequest,
}

/// Les tarifs des services que l'agent gère, par prestation puis date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TariffListResponse {
    pub items: Vec<TariffResponse>,
    pub total: u64,
}

/// Noter un enfant présent, absent, ou absent avec un certificat médical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceMarkRequest {
    pub mark: AttendanceMarkCode,
}

/// Les ressources mensuelles du foyer (revenus N-2 divisés par 12), saisies par l'équipe
/// pour la crèche, et l'AEEH d'un enfant de la famille.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdResourcesRequest {
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub resources_cents: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(minimum = 2000, maximum = 2100))]
    pub resources_year: Option<i32>,
    #[serde(default)]
    pub aeeh: bool,
}

impl HouseholdResourcesRequest {
    pub fn validate(&self) -> Result<(), crate::parse::FieldErrors> {
        let mut e = crate::parse::FieldErrors::default();
        if self
            .resources_cents
            .is_some_and(|r| !(0..=100_000_000).contains(&r))
        {
            e.push(
                "resources_cents",
                crate::parse::InvalidValue::new(
                    "out_of_range",
                    "Les ressources mensuelles vont de 0 à 1 000 000 €.",
                ),
            );
        }
        if self
            .resources_year
            .is_some_and(|y| !(2000..=2100).contains(&y))
        {
            e.push(
                "resources_year",
                crate::parse::InvalidValue::new(
                    "out_of_range",
                    "L'année des revenus va de 2000 à 2100.",
                ),
            );
        }
        e.into_result(())
    }
}

/// Les réglages de facturation de la commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingSettings {
    /// Les codes postaux de la commune (tarif résident).
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub postal_codes: Vec<String>,
    /// L'adresse de la mairie, imprimée sur les factures.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub address: String,
    /// Les factures sont dues ce jour du mois suivant (1 à 28).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 28))]
    pub invoice_due_day: u32,
    /// Les nouvelles réservations sont refusées quand les factures échues impayées dépassent
    /// ce montant (centimes ; absent : jamais).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10_000_000))]
    pub blocking_threshold_cents: Option<i64>,
    /// Le SIRET de la commune (14 chiffres), imprimé sur les factures ; vide : non imprimé.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    pub siret: String,
    /// Le compte où payer par virement (IBAN, contrôlé selon la norme ISO 13616) et son BIC.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub iban: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 11))]
    pub bic: String,
    /// L'identifiant créancier SEPA (ICS) de la commune, pour le prélèvement automatique ;
    /// vide : pas de prélèvement.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 35))]
    pub creditor_id: String,
    /// Qui joindre pour une question sur une facture (téléphone, adresse e-mail), sur une ligne.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub contact: String,
}

impl BillingSettings {
    /// The settings as stored: SIRET, IBAN and BIC in their compact form (the fields are
    /// checked by `validate` first).
    pub fn normalized(&self) -> Self {
        let mut clean = self.clone();
        clean.siret = crate::parse::siret(&self.siret)
            .ok()
            .flatten()
            .unwrap_or_default();
        clean.iban = crate::parse::iban(&self.iban)
            .ok()
            .flatten()
            .unwrap_or_default();
        clean.bic = crate::parse::bic(&self.bic)
            .ok()
            .flatten()
            .unwrap_or_default();
        clean.creditor_id = crate::rules::billing::sepa::creditor_id(&self.creditor_id)
            .ok()
            .flatten()
            .unwrap_or_default();
        clean.contact = self.contact.trim().to_owned();
        clean
    }

    pub fn validate(&self) -> Result<(), crate::parse::FieldErrors> {
        let mut e = crate::parse::FieldErrors::default();
        if self.postal_codes.len() > 20
            || self
                .postal_codes
                .iter()
                .any(|c| c.len() != 5 || !c.bytes().all(|b| b.is_ascii_digit()))
        {
            e.push(
                "postal_codes",
                crate::parse::InvalidValue::new(
                    "invalid_format",
                    "Chaque code postal a cinq chiffres (20 au plus).",
                ),
            );
        }
        if self.address.chars().count() > 200 || self.address.chars().any(char::is_control) {
            e.push(
                "address",
                crate::parse::InvalidValue::new(
                    "invalid_format",
                    "L'adresse tient sur une ligne de 200 caractères au plus.",
                ),
            );
        }
        if !(1..=28).contains(&self.invoice_due_day) {
            e.push(
                "invoice_due_day",
                crate::parse::InvalidValue::new(
                    "out_of_range",
                    "Le jour d'échéance va du 1er au 28.",
                ),
            );
        }
        if self
            .blocking_threshold_cents
            .is_some_and(|t| !(0..=10_000_000).contains(&t))
        {
            e.push(
                "blocking_threshold_cents",
                crate::parse::InvalidValue::new("out_of_range", "Le seuil va de 0 à 100 000 €."),
            );
        }
        e.check("siret", crate::parse::siret(&self.siret));
        e.check("iban", crate::parse::iban(&self.iban));
        e.check("bic", crate::parse::bic(&self.bic));
        e.check(
            "creditor_id",
            crate::rules::billing::sepa::creditor_id(&self.creditor_id),
        );
        if self.contact.chars().count() > 200 || self.contact.chars().any(char::is_control) {
            e.push(
                "contact",
                crate::parse::InvalidValue::new(
                    "invalid_format",
                    "Le contact tient sur une ligne de 200 caractères au plus.",
                ),
            );
        }
        e.into_result(())
    }
}

/// Facturer un mois (`AAAA-MM`) pour des services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceRunRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$")
    )]
    pub month: String,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 5))]
    pub services: Vec<ServiceCode>,
    /// Émettre un mois qui n'est pas terminé : sans ce drapeau, l'émission est refusée
    /// (`month_not_ended`) ; l'aperçu dit quels jours ne sont pas passés (`unfinished`).
    #[serde(default)]
    pub confirm_unfinished_month: bool,
}

impl InvoiceRunRequest {
    /// The month's first and last days, or the 422 (`rules::billing::run::check_request`).
    pub fn validate(
        &self,
    ) -> Result<(chrono::NaiveDate, chrono::NaiveDate), crate::parse::FieldErrors> {
        crate::rules::billing::run::check_request(&self.month, &self.services)
    }
}

/// Une ligne de facture : un enfant, une prestation, un jour, une quantité (en centièmes :
/// 1 repas = 100, 3 h 30 = 350), un prix unitaire, la règle appliquée, le montant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceLineBody {
    pub child_id: uuid::Uuid,
    pub child_name: String,
    pub service: ServiceCode,
    pub service_name: String,
    pub unit_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub date: NaiveDate,
    pub quantity_hundredths: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
    pub rule: String,
}

/// Ce qu'un passage de facturation émettrait (aperçu) ou a émis, pour une famille.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceDraft {
    pub family_id: uuid::Uuid,
    pub family_name: String,
    pub kind: InvoiceKind,
    /// Le numéro, une fois émise.
    pub number: Option<String>,
    pub total_cents: i64,
    pub lines: Vec<InvoiceLineBody>,
}

/// L'aperçu ou le résultat d'un passage de facturation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceRunResponse {
    pub month: String,
    pub issued: bool,
    pub invoices: Vec<InvoiceDraft>,
    pub invoices_count: u64,
    pub credit_notes_count: u64,
    pub total_cents: i64,
    /// Ce qui empêche d'émettre (un tarif manquant…), en français.
    pub problems: Vec<String>,
    /// Le mois n'est pas terminé : les jours qui ne sont pas passés, et l'avertissement à lire
    /// avant de confirmer (`confirm_unfinished_month`). Absent pour un mois terminé.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unfinished: Option<UnfinishedMonth>,
}

/// Les jours d'un mois qui ne sont pas encore passés, au moment de la facturation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnfinishedMonth {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub from: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub to: NaiveDate,
    /// L'avertissement, en français.
    pub message: String,
}

/// Une facture ou un avoir, tel que la famille et l'équipe le voient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceSummary {
    pub id: uuid::Uuid,
    pub number: String,
    pub kind: InvoiceKind,
    pub family_id: uuid::Uuid,
    pub family_name: String,
    pub month: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub issued_on: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub due_on: NaiveDate,
    pub total_cents: i64,
    /// Réglé (paiements et avoirs), et ce qui reste dû.
    pub settled_cents: i64,
    pub remaining_cents: i64,
    pub status: InvoiceStatus,
    /// Pour un avoir : le numéro de la facture qu'il réduit.
    pub corrects_number: Option<String>,
}

/// Une facture et ses lignes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceResponse {
    pub summary: InvoiceSummary,
    pub payer_name: String,
    pub reason: String,
    pub lines: Vec<InvoiceLineBody>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceListResponse {
    pub items: Vec<InvoiceSummary>,
    pub total: u64,
}

/// Annuler une facture par un avoir du même montant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelInvoiceRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub reason: String,
}

/// La part d'un paiement affectée à une facture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllocationBody {
    pub invoice_id: uuid::Uuid,
    /// Le numéro de la facture, dans les réponses ; ignoré dans une requête.
    #[serde(default)]
    pub number: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10_000_000))]
    pub amount_cents: i64,
}

/// Un paiement reçu. Sans affectation, il règle les factures les plus anciennes ; ce qui
/// dépasse reste un crédit de la famille.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRequest {
    pub family_id: uuid::Uuid,
    pub method: PaymentMethod,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10_000_000))]
    pub amount_cents: i64,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub received_on: NaiveDate,
    /// Numéro de chèque, de virement…
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 60))]
    pub reference: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 60))]
    pub bank: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub allocations: Vec<AllocationBody>,
}

impl PaymentRequest {
    pub fn validate(&self) -> Result<(), crate::parse::FieldErrors> {
        let mut e = crate::parse::FieldErrors::default();
        if !(1..=MAX_PAYMENT_CENTS).contains(&self.amount_cents) {
            e.push(
                "amount_cents",
                crate::parse::InvalidValue::new(
                    "out_of_range",
                    "Un paiement va de 0,01 € à 100 000 €.",
                ),
            );
        }
        for (field, text) in [("reference", &self.reference), ("bank", &self.bank)] {
            if text.chars().count() > 60 || text.chars().any(char::is_control) {
                e.push(
                    field,
                    crate::parse::InvalidValue::new(
                        "invalid_format",
                        "60 caractères au plus, sur une ligne.",
                    ),
                );
            }
        }
        if self.method == PaymentMethod::Online {
            e.push(
                "method",
                crate::parse::InvalidValue::new(
                    "invalid_value",
                    "Les paiements en ligne s'enregistrent d'eux-mêmes.",
                ),
            );
        }
        let allocated: i64 = self
            .allocations
            .iter()
            .map(|a| a.amount_cents.clamp(0, MAX_PAYMENT_CENTS))
            .sum();
        if self.allocations.len() > 100
            || self
                .allocations
                .iter()
                .any(|a| !(1..=MAX_PAYMENT_CENTS).contains(&a.amount_cents))
            || allocated > self.amount_cents
        {
            e.push(
                "allocations",
                crate::parse::InvalidValue::new(
                    "out_of_range",
                    "Les affectations sont positives et ne dépassent pas le paiement.",
                ),
            );
        }
        e.into_result(())
    }
}

/// The largest payment (100,000 €, PayFiP's limit too).
pub const MAX_PAYMENT_CENTS: i64 = 10_000_000;

/// Un paiement enregistré et ce qu'il a réglé.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentResponse {
    pub id: uuid::Uuid,
    pub family_id: uuid::Uuid,
    pub method: PaymentMethod,
    pub amount_cents: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub received_on: NaiveDate,
    pub reference: String,
    pub bank: String,
    pub allocations: Vec<AllocationBody>,
    /// Ce qui n'a réglé aucune facture : un crédit de la famille.
    pub unallocated_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentListResponse {
    pub items: Vec<PaymentResponse>,
    pub total: u64,
}

/// Le solde d'une famille : ce qu'elle doit (négatif : un crédit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BalanceResponse {
    pub invoiced_cents: i64,
    pub paid_cents: i64,
    pub balance_cents: i64,
    /// Ce qui reste dû sur des factures échues.
    pub overdue_cents: i64,
    /// Les nouvelles réservations sont bloquées (seuil d'impayés dépassé).
    pub bookings_blocked: bool,
}

/// Une facture restant due, pour la trésorerie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutstandingRow {
    pub invoice_id: uuid::Uuid,
    pub number: String,
    pub family_id: uuid::Uuid,
    pub family_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub due_on: NaiveDate,
    pub remaining_cents: i64,
    pub days_late: i64,
    /// `0-30` (pas encore dû ou jusqu'à 30 jours), `31-60`, `60+`.
    pub age: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutstandingResponse {
    pub items: Vec<OutstandingRow>,
    pub total: u64,
    pub up_to_30_cents: i64,
    pub days_31_to_60_cents: i64,
    pub over_60_cents: i64,
}

/// Payer une facture en ligne.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnlinePaymentRequest {
    pub invoice_id: uuid::Uuid,
}

/// Le paiement créé chez le prestataire : la page où envoyer le parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnlinePaymentResponse {
    pub operation_id: String,
    pub redirect_url: String,
    pub amount_cents: i64,
    pub status: OnlinePaymentStatus,
}

/// La notification du prestataire de paiement (comme PayFiP : `idop`, l'identifiant de
/// l'opération). Elle n'est jamais crue sur parole : le résultat est demandé au prestataire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentNotification {
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Za-z0-9]{1,64}$"))]
    pub idop: String,
}

/// Où en est l'opération après la notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentNotificationResponse {
    pub status: OnlinePaymentStatus,
}
