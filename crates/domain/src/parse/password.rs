use super::InvalidValue;

/// A new password, checked exactly as typed (no trimming, any characters): 12 to 128
/// characters and, on the server, not too guessable (zxcvbn score ≥ 3, with the user's own
/// details and common French words counted as guessable).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Words a French family might build a password from, which zxcvbn's English dictionaries
/// do not know. Counted like the user's own name.
#[cfg(feature = "password-strength")]
const FRENCH_GUESSABLE: &[&str] = &[
    "azerty",
    "azertyuiop",
    "motdepasse",
    "mot de passe",
    "bonjour",
    "soleil",
    "doudou",
    "loulou",
    "chouchou",
    "nounours",
    "coucou",
    "amour",
    "jetaime",
    "jtm",
    "bisous",
    "chaton",
    "princesse",
    "marseille",
    "paris",
    "lyon",
    "toulouse",
    "bordeaux",
    "nantes",
    "avermes",
    "moulins",
    "allier",
    "famille",
    "portail",
    "enfant",
    "enfants",
    "maman",
    "papa",
    "bebe",
    "bébé",
    "france",
    "liberte",
    "egalite",
    "fraternite",
    "vacances",
    "creche",
    "ecole",
    "cantine",
    "loisirs",
    "mairie",
    "commune",
    "printemps",
    "automne",
    "hiver",
    "ete",
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "football",
    "olympique",
    "psg",
    "chocolat",
    "fromage",
    "baguette",
    "nicolas",
    "camille",
    "lea",
    "manon",
    "emma",
    "chloe",
    "ines",
    "sarah",
    "lucas",
    "hugo",
    "louis",
    "gabriel",
    "jules",
    "arthur",
    "raphael",
    "thomas",
    "julien",
    "sophie",
    "nathalie",
    "isabelle",
    "sylvie",
    "christophe",
    "stephane",
    "sebastien",
    "pierre",
    "marie",
    "jean",
];

impl Password {
    pub const MIN_LEN: usize = 12;
    pub const MAX_LEN: usize = 128;

    /// `user_inputs`: the e-mail, names… of the account, which make a password guessable.
    pub fn parse(raw: &str, user_inputs: &[&str]) -> Result<Self, InvalidValue> {
        let length = raw.chars().count();
        if length == 0 {
            return Err(InvalidValue::required());
        }
        if length < Self::MIN_LEN {
            return Err(InvalidValue::new(
                "too_short",
                format!(
                    "Le mot de passe doit compter au moins {} caractères (il en compte {length}).",
                    Self::MIN_LEN
                ),
            ));
        }
        if length > Self::MAX_LEN {
            return Err(InvalidValue::too_long(Self::MAX_LEN));
        }
        #[cfg(feature = "password-strength")]
        check_strength(raw, user_inputs)?;
        #[cfg(not(feature = "password-strength"))]
        let _ = user_inputs;
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(feature = "password-strength")]
fn check_strength(raw: &str, user_inputs: &[&str]) -> Result<(), InvalidValue> {
    // The parts of an e-mail address are guessable on their own.
    let mut inputs: Vec<&str> = Vec::with_capacity(user_inputs.len() * 3 + FRENCH_GUESSABLE.len());
    for input in user_inputs {
        inputs.push(input);
        inputs.extend(
            input
                .split(['@', '.', '-', '_', ' '])
                .filter(|p| p.len() >= 3),
        );
    }
    // zxcvbn rates « marie.durand2026 » as strong even when told the names: also refuse a
    // password that is little more than the account's own details.
    let mut rest = raw.to_lowercase();
    for input in inputs.iter().filter(|i| i.chars().count() >= 3) {
        rest = rest.replace(&input.to_lowercase(), "");
    }
    let mostly_personal = rest.chars().count() < 8;
    inputs.extend_from_slice(FRENCH_GUESSABLE);
    let entropy = zxcvbn::zxcvbn(raw, &inputs);
    if mostly_personal || u8::from(entropy.score()) < 3 {
        return Err(InvalidValue::new(
            "too_weak",
            "Ce mot de passe est trop facile à deviner. Choisissez plusieurs mots sans rapport entre eux, ou une phrase, sans votre nom ni votre adresse e-mail.",
        ));
    }
    Ok(())
}

/// The confirmation must repeat the password exactly.
pub fn passwords_match(password: &str, confirmation: &str) -> Result<(), InvalidValue> {
    if confirmation.is_empty() {
        return Err(InvalidValue::required());
    }
    if password != confirmation {
        return Err(InvalidValue::new(
            "mismatch",
            "Les deux mots de passe ne sont pas identiques.",
        ));
    }
    Ok(())
}

/// A new password and its confirmation (« Mot de passe oublié », « Modifier mon mot de
/// passe »), checked on the fields `new_password` and `new_password_confirmation`.
pub fn new_password(
    account_email: &str,
    new: &str,
    confirmation: &str,
) -> Result<Password, super::FieldErrors> {
    let mut errors = super::FieldErrors::default();
    let password = errors.check("new_password", Password::parse(new, &[account_email]));
    errors.check(
        "new_password_confirmation",
        passwords_match(new, confirmation),
    );
    match password {
        Some(password) if errors.is_empty() => Ok(password),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_counted_in_characters_exactly_as_typed() {
        assert_eq!(
            Password::parse("ééééééééééé", &[]).expect_err("11").code,
            "too_short"
        );
        assert_eq!(
            Password::parse(&"x".repeat(129), &[])
                .expect_err("129")
                .code,
            "too_long"
        );
        assert_eq!(
            Password::parse("", &[]).expect_err("empty").code,
            "required"
        );
        let spaced = "  trois   espaces  Gâteau-Lune-Radis ";
        assert_eq!(
            Password::parse(spaced, &[]).map(|p| p.expose().to_owned()),
            Ok(spaced.to_owned())
        );
    }

    #[test]
    fn the_debug_form_hides_the_password() {
        let password = Password::parse("Gâteau-Lune-Radis-Orage", &[]).expect("valid");
        assert_eq!(format!("{password:?}"), "Password(***)");
    }

    #[test]
    fn the_confirmation_must_match() {
        assert!(passwords_match("abc", "abc").is_ok());
        assert_eq!(
            passwords_match("abc", "abd").expect_err("x").code,
            "mismatch"
        );
        assert_eq!(passwords_match("abc", "").expect_err("x").code, "required");
    }

    #[cfg(feature = "password-strength")]
    #[test]
    fn common_and_personal_passwords_are_too_weak() {
        for weak in [
            "123456789012",
            "motdepasse123",
            "azertyuiop123",
            "password1234",
            "Avermes2026!",
            "aaaaaaaaaaaa",
        ] {
            assert_eq!(
                Password::parse(weak, &["marie.durand@exemple.fr"])
                    .expect_err(weak)
                    .code,
                "too_weak",
                "{weak}"
            );
        }
        assert_eq!(
            Password::parse("marie.durand2026", &["marie.durand@exemple.fr", "Durand"])
                .expect_err("personal")
                .code,
            "too_weak"
        );
    }

    #[cfg(feature = "password-strength")]
    #[test]
    fn long_unrelated_words_are_strong_enough() {
        for strong in [
            "cheval agrafe batterie correcte",
            "Gâteau-Lune-Radis-Orage",
            "9#tK!vq2Lp@xW7",
        ] {
            assert!(
                Password::parse(strong, &["marie.durand@exemple.fr"]).is_ok(),
                "{strong}"
            );
        }
    }
}
