//! SEPA direct debit's bodies (issue 24, point 4; rules: `rules::billing::sepa`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::parse::{FieldErrors, InvalidValue, PersonName};
use crate::rules::billing::sepa::{DebitStatus, MandateStatus, ReturnReason, SequenceType};

/// The text of the mandate the family signs (the SEPA Core wording, with the commune's name
/// and identifier).
pub fn mandate_text(creditor_name: &str, creditor_id: &str) -> String {
    format!(
        "En signant ce formulaire de mandat, vous autorisez {creditor_name} (identifiant \
         créancier SEPA {creditor_id}) à envoyer des instructions à votre banque pour débiter \
         votre compte, et votre banque à débiter votre compte conformément aux instructions de \
         {creditor_name}. Vous bénéficiez du droit d'être remboursé par votre banque selon les \
         conditions décrites dans la convention que vous avez passée avec elle. Une demande de \
         remboursement doit être présentée dans les 8 semaines suivant la date de débit de \
         votre compte pour un prélèvement autorisé."
    )
}

/// Signer un mandat de prélèvement en ligne.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MandateRequest {
    /// Le titulaire du compte.
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub holder: String,
    /// L'IBAN du compte à débiter (norme ISO 13616).
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub iban: String,
    /// La famille a lu le texte du mandat et l'accepte.
    pub accept: bool,
}

impl MandateRequest {
    /// The holder and the IBAN (electronic form), checked.
    pub fn validate(&self) -> Result<(String, String), FieldErrors> {
        let mut e = FieldErrors::default();
        let holder = e.check("holder", PersonName::parse(&self.holder));
        let iban = match crate::parse::iban(&self.iban) {
            Ok(Some(iban)) => Some(iban),
            Ok(None) => {
                e.push("iban", InvalidValue::required());
                None
            }
            Err(invalid) => {
                e.push("iban", invalid);
                None
            }
        };
        if !self.accept {
            e.push(
                "accept",
                InvalidValue::new(
                    "required",
                    "Cochez la case pour signer le mandat après l'avoir lu.",
                ),
            );
        }
        match (holder, iban) {
            (Some(holder), Some(iban)) if e.is_empty() => Ok((holder.into_inner(), iban)),
            _ => Err(e),
        }
    }
}

/// Enregistrer un mandat signé sur papier (personnel de la facturation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperMandateRequest {
    pub family_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub holder: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub iban: String,
    /// Le jour de la signature (pas dans le futur).
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub signed_on: NaiveDate,
}

impl PaperMandateRequest {
    /// The holder and the IBAN (electronic form), checked; the signature's day has passed.
    pub fn validate(&self, today: NaiveDate) -> Result<(String, String), FieldErrors> {
        let as_online = MandateRequest {
            holder: self.holder.clone(),
            iban: self.iban.clone(),
            accept: true,
        };
        let checked = as_online.validate();
        let mut e = checked.clone().err().unwrap_or_default();
        if self.signed_on > today {
            e.push(
                "signed_on",
                InvalidValue::new("in_the_future", "Le jour de la signature est passé."),
            );
        }
        match checked {
            Ok(fields) if e.is_empty() => Ok(fields),
            _ => Err(e),
        }
    }
}

/// Un mandat. L'IBAN complet n'est montré qu'au personnel de la facturation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MandateResponse {
    pub id: Uuid,
    pub family_id: Uuid,
    /// La référence unique du mandat (RUM).
    pub reference: String,
    pub holder: String,
    /// « FR76 •••• •••• •••• •••• 0189 ».
    pub iban_masked: String,
    /// L'IBAN entier : pour le personnel de la facturation seulement.
    pub iban: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub signed_on: NaiveDate,
    /// Signé en ligne par la famille (sinon : mandat papier enregistré par la mairie).
    pub signed_online: bool,
    pub status: MandateStatus,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Le prélèvement de la famille : son mandat actif, s'il y en a un, et ce qu'il faut pour en
/// signer un (la commune le propose quand son identifiant créancier est réglé).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyDirectDebit {
    pub offered: bool,
    pub creditor_name: String,
    pub creditor_id: Option<String>,
    /// Le texte du mandat à lire avant de signer.
    pub mandate_text: String,
    pub mandate: Option<MandateResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MandateList {
    pub items: Vec<MandateResponse>,
}

/// Préparer le fichier de prélèvement : les factures dues des familles qui ont un mandat actif.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DebitRunRequest {
    /// Le jour où la banque prélève (dans 2 à 60 jours).
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub collection_date: NaiveDate,
}

/// Un prélèvement : une facture, sur un mandat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DebitResponse {
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub invoice_number: String,
    pub family_id: Uuid,
    pub amount_cents: i64,
    pub sequence: SequenceType,
    pub end_to_end_id: String,
    pub status: DebitStatus,
    pub return_reason: Option<ReturnReason>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub returned_on: Option<NaiveDate>,
}

/// Un fichier de prélèvement remis à la banque.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DebitBatchResponse {
    pub id: Uuid,
    /// L'identifiant du message (`MsgId`).
    pub message_id: String,
    pub created_at: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub collection_date: NaiveDate,
    pub count: u32,
    pub total_cents: i64,
    pub debits: Vec<DebitResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DebitBatchList {
    pub items: Vec<DebitBatchResponse>,
}

/// Un retour de la banque (R-transaction) : son motif et son jour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DebitReturnRequest {
    pub reason: ReturnReason,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub returned_on: NaiveDate,
}

impl DebitReturnRequest {
    /// A return the bank made: on a day passed.
    pub fn validate(&self, today: NaiveDate) -> Result<(), FieldErrors> {
        if self.returned_on > today {
            return Err(FieldErrors::one(
                "returned_on",
                InvalidValue::new("in_the_future", "Le jour du rejet est passé."),
            ));
        }
        Ok(())
    }
}
