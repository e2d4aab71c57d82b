//! Integrators' API keys (issue 14), pure: the scopes a key may hold, and the shape of a key —
//! `pf_live_<lookup>_<secret>`, a recognisable prefix, a short public lookup id (listed, used
//! to find the row) and a secret of 256 random bits (43 base64url characters), stored only as
//! a keyed hash. A string that is not that shape is refused before any database read.

use crate::parse::InvalidValue;
use crate::string_enum;

string_enum! {
    /// Ce qu'une clé d'API permet.
    pub enum ApiScope {
        FamiliesRead => ("families:read", "Lire les dossiers des familles"),
        BookingsRead => ("bookings:read", "Lire les réservations"),
        BookingsWrite => ("bookings:write", "Réserver et annuler pour les familles"),
        AttendanceRead => ("attendance:read", "Lire les feuilles de présence"),
        InvoicesRead => ("invoices:read", "Lire les factures"),
        PaymentsWrite => ("payments:write", "Enregistrer des paiements"),
    }
}

/// Every key starts with it: a secret pasted where it should not be is recognisable (secret
/// scanners look for such prefixes).
pub const KEY_PREFIX: &str = "pf_live_";
/// The lookup id: 12 lowercase letters or digits.
pub const LOOKUP_LEN: usize = 12;
/// The secret: 32 random bytes in base64url without padding.
pub const SECRET_LEN: usize = 43;

/// A key split into its public lookup id and its secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyParts<'a> {
    pub lookup: &'a str,
    pub secret: &'a str,
}

/// The parts of a well-shaped key, or `None` (then no database is read for it).
pub fn split_key(token: &str) -> Option<KeyParts<'_>> {
    let rest = token.strip_prefix(KEY_PREFIX)?;
    let (lookup, secret) = rest.split_once('_')?;
    let lookup_ok = lookup.len() == LOOKUP_LEN
        && lookup
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let secret_ok = secret.len() == SECRET_LEN
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (lookup_ok && secret_ok).then_some(KeyParts { lookup, secret })
}

/// A key's scopes as an admin gives them: one at least, each known, none twice (sorted).
pub fn parse_scopes(raw: &[String]) -> Result<Vec<ApiScope>, InvalidValue> {
    if raw.is_empty() {
        return Err(InvalidValue::new(
            "required",
            "Choisissez au moins une permission pour la clé.",
        ));
    }
    let mut scopes = Vec::with_capacity(raw.len());
    for code in raw {
        let scope = ApiScope::parse(code.trim()).ok_or_else(|| {
            InvalidValue::new(
                "invalid_value",
                format!("Permission inconnue : «\u{a0}{}\u{a0}».", code.trim()),
            )
        })?;
        scopes.push(scope);
    }
    scopes.sort_by_key(|s| s.as_str());
    scopes.dedup();
    Ok(scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "pf_live_a1b2c3d4e5f6_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01234";

    #[test]
    fn a_well_shaped_key_splits_and_anything_else_is_refused() {
        assert_eq!(
            split_key(GOOD),
            Some(KeyParts {
                lookup: "a1b2c3d4e5f6",
                secret: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01234"
            })
        );
        for bad in [
            "",
            "pf_test_a1b2c3d4e5f6_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01234",
            "pf_live_A1B2C3D4E5F6_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01234",
            "pf_live_a1b2c3d4e5f_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01234",
            "pf_live_a1b2c3d4e5f6_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_0123",
            "pf_live_a1b2c3d4e5f6_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_012=4",
            "pf_live_a1b2c3d4e5f6",
            "eyJhbGciOiJIUzI1NiJ9.e30.x",
        ] {
            assert_eq!(split_key(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn scopes_are_known_at_least_one_and_each_once() {
        let given = |codes: &[&str]| {
            parse_scopes(&codes.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>())
        };
        assert_eq!(
            given(&["bookings:write", "families:read", "bookings:write"]),
            Ok(vec![ApiScope::BookingsWrite, ApiScope::FamiliesRead])
        );
        assert_eq!(given(&[]).map_err(|e| e.code), Err("required"));
        assert_eq!(given(&["admin"]).map_err(|e| e.code), Err("invalid_value"));
        assert_eq!(ApiScope::ALL.len(), 6);
    }
}
