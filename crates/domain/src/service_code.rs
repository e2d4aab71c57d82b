//! The five services of the commune's note. Their rules (windows, cut-offs, capacities) are
//! data set by staff; only their identity is code, because screens and emails name them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceCode {
    /// Multi-accueil « La Souris Verte » (crèche).
    Creche,
    /// Relais petite enfance.
    Rpe,
    /// Accueil de loisirs (ALJA).
    Alja,
    /// Restauration scolaire.
    Restauration,
    /// Affaires scolaires.
    Scolaire,
}

impl ServiceCode {
    pub const ALL: [ServiceCode; 5] = [
        Self::Creche,
        Self::Rpe,
        Self::Alja,
        Self::Restauration,
        Self::Scolaire,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Creche => "creche",
            Self::Rpe => "rpe",
            Self::Alja => "alja",
            Self::Restauration => "restauration",
            Self::Scolaire => "scolaire",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// A generic French name, when the commune's own name for the service is not at hand
    /// (the audit log).
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Creche => "Crèche",
            Self::Rpe => "Relais petite enfance",
            Self::Alja => "Accueil de loisirs",
            Self::Restauration => "Restauration scolaire",
            Self::Scolaire => "Affaires scolaires",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_is_the_inverse_of_as_str() {
        for code in ServiceCode::ALL {
            assert_eq!(ServiceCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(ServiceCode::parse("piscine"), None);
    }
}
