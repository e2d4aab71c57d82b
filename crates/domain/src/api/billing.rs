//! Billing's request and response bodies (issue « Mes factures »), as they are routed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::rules::billing::psu::PsuParameters;

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
