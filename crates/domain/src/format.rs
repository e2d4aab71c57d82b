//! French formatting shared by e-mails (server) and screens (browser).

use chrono::{Datelike as _, NaiveDate};

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// « mardi 7 juillet 2027 », « jeudi 1er juillet 2027 ».
pub fn date_fr(date: NaiveDate) -> String {
    format!("{} {}", day_fr(date), date.year())
}

/// « mardi 7 juillet », « jeudi 1er juillet »: a day without its year.
pub fn day_fr(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        weekday_fr(date),
        day_of_month_fr(date),
        month_fr(date.month())
    )
}

/// « 1er » or the day's number, as French writes a day of the month.
pub fn day_of_month_fr(date: NaiveDate) -> String {
    if date.day() == 1 {
        "1er".to_owned()
    } else {
        date.day().to_string()
    }
}

/// « lundi ».
pub fn weekday_fr(date: NaiveDate) -> &'static str {
    WEEKDAYS[date.weekday().num_days_from_monday() as usize]
}

/// « juillet » (1 to 12).
pub fn month_fr(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// « 12,50 € » from cents: a non-breaking space before the sign, and the minus sign (U+2212),
/// never a hyphen, for a negative amount.
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "\u{2212}" } else { "" };
    let cents = cents.unsigned_abs();
    // Thousands grouped by a non-breaking space: « 3 000,00 € ».
    let units = (cents / 100).to_string();
    let mut grouped = String::with_capacity(units.len() + units.len() / 3);
    for (i, digit) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped},{:02}\u{a0}€", cents % 100)
}

/// « 2026-11 » → « novembre 2026 » (anything else as it is).
pub fn month_label(year_month: &str) -> String {
    match year_month.split_once('-') {
        Some((year, month)) => match month.parse::<u32>() {
            Ok(m @ 1..=12) if year.len() == 4 => format!("{} {year}", month_fr(m)),
            _ => year_month.to_owned(),
        },
        None => year_month.to_owned(),
    }
}

/// A count and its noun, agreed: « 0 souhait », « 1 souhait », « 2 souhaits » (French puts 0
/// and 1 in the singular). Never « souhait(s) ».
pub fn count(n: impl Into<u64>, singular: &str, plural: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n < 2 { singular } else { plural })
}

/// The singular or the plural of a word for `n` (an agreeing adjective or verb).
pub fn agree<'a>(n: impl Into<u64>, singular: &'a str, plural: &'a str) -> &'a str {
    if n.into() < 2 { singular } else { plural }
}

/// Whether French elides « de », « que » before this word: a vowel (accented or not) or a mute
/// « h » (« Hérisson »), a « y » sounding as a vowel (« Yzeure »).
fn elides(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| "aàâäeéèêëiîïoôöuùûüyhAÀÂÄEÉÈÊËIÎÏOÔÖUÙÛÜYH".contains(c))
}

/// « de » and a place's name, as French says it: « d'Avermes », « de Moulins », « du Mans »
/// (Le Mans), « des Sables-d'Olonne » (Les Sables-d'Olonne), « de La Rochelle ».
pub fn of_place(name: &str) -> String {
    let name = name.trim();
    if let Some(rest) = name.strip_prefix("Le ") {
        format!("du {rest}")
    } else if let Some(rest) = name.strip_prefix("Les ") {
        format!("des {rest}")
    } else if elides(name) {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// « de » and the word, elided before a vowel or a mute « h »: « d'Emma », « d'octobre 2026 »,
/// « de Léa », « de mars ». For first names, months and nouns; a place's name goes through
/// `of_place` (« du Mans »).
pub fn de(word: &str) -> String {
    let word = word.trim();
    if elides(word) {
        format!("d'{word}")
    } else {
        format!("de {word}")
    }
}

/// « que » and the word, elided before a vowel: « en tant qu'administrateur ».
pub fn que(word: &str) -> String {
    if elides(word) {
        format!("qu'{word}")
    } else {
        format!("que {word}")
    }
}

/// « 14/05/2019 » (written by hand: chrono's `format` machinery would weigh on the web app).
pub fn numeric_date(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

/// « 2027-07 »: the month in the API's `AAAA-MM` form.
pub fn year_month(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// « Née le 14/05/2019 », « Né le … », or « Date de naissance : … » when the sex is not given.
pub fn born_on(sex: Option<crate::dossier::Sex>, date: NaiveDate) -> String {
    let date = numeric_date(date);
    match sex {
        Some(crate::dossier::Sex::Girl) => format!("Née le {date}"),
        Some(crate::dossier::Sex::Boy) => format!("Né le {date}"),
        None => format!("Date de naissance : {date}"),
    }
}

/// Text between French quotation marks, with the non-breaking spaces that keep them on the
/// line of their words: « Mon planning ».
pub fn quoted(text: &str) -> String {
    format!("«\u{a0}{text}\u{a0}»")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn de_is_elided_before_a_vowel_or_a_mute_h() {
        assert_eq!(de("Emma"), "d'Emma");
        assert_eq!(de("Inès"), "d'Inès");
        assert_eq!(de("octobre 2026"), "d'octobre 2026");
        assert_eq!(de("avril"), "d'avril");
        assert_eq!(de("Hugo"), "d'Hugo");
        assert_eq!(de("Léa"), "de Léa");
        assert_eq!(de("mars"), "de mars");
    }

    #[test]
    fn the_first_of_a_month_is_written_1er() {
        let first = NaiveDate::from_ymd_opt(2027, 7, 1).expect("date");
        assert_eq!(date_fr(first), "jeudi 1er juillet 2027");
        assert_eq!(day_fr(first), "jeudi 1er juillet");
        let second = NaiveDate::from_ymd_opt(2027, 7, 2).expect("date");
        assert_eq!(date_fr(second), "vendredi 2 juillet 2027");
        assert_eq!(day_of_month_fr(second), "2");
    }

    #[test]
    fn numeric_dates_and_months_pad_as_chrono_would() {
        for (y, m, d) in [(2019, 5, 4), (1905, 12, 31), (2100, 1, 1)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("date");
            assert_eq!(numeric_date(date), date.format("%d/%m/%Y").to_string());
            assert_eq!(year_month(date), date.format("%Y-%m").to_string());
        }
    }

    #[test]
    fn dates_and_amounts_read_the_french_way() {
        assert_eq!(
            date_fr(NaiveDate::from_ymd_opt(2027, 7, 6).expect("date")),
            "mardi 6 juillet 2027"
        );
        assert_eq!(euros(1250), "12,50\u{a0}€");
        assert_eq!(euros(5), "0,05\u{a0}€");
        assert_eq!(euros(-300), "\u{2212}3,00\u{a0}€");
        assert_eq!(euros(300_000), "3\u{a0}000,00\u{a0}€");
        assert_eq!(month_label("2026-11"), "novembre 2026");
        assert_eq!(month_label("2026-13"), "2026-13");
        assert_eq!(euros(-100_000_000), "\u{2212}1\u{a0}000\u{a0}000,00\u{a0}€");
        assert_eq!(euros(99_999), "999,99\u{a0}€");
    }

    #[test]
    fn counts_agree_without_brackets() {
        assert_eq!(count(0_u32, "souhait", "souhaits"), "0 souhait");
        assert_eq!(count(1_u32, "souhait", "souhaits"), "1 souhait");
        assert_eq!(count(2_u32, "souhait", "souhaits"), "2 souhaits");
        assert_eq!(agree(3_u32, "refusé", "refusés"), "refusés");
    }

    #[test]
    fn place_names_take_their_elision_and_article() {
        assert_eq!(of_place("Avermes"), "d'Avermes");
        assert_eq!(of_place("Yzeure"), "d'Yzeure");
        assert_eq!(of_place("Hérisson"), "d'Hérisson");
        assert_eq!(of_place("Moulins"), "de Moulins");
        assert_eq!(of_place("Le Mans"), "du Mans");
        assert_eq!(of_place("Les Sables-d'Olonne"), "des Sables-d'Olonne");
        assert_eq!(of_place("La Rochelle"), "de La Rochelle");
        assert_eq!(of_place("Écully"), "d'Écully");
        assert_eq!(que("administrateur"), "qu'administrateur");
        assert_eq!(que("agent"), "qu'agent");
        assert_eq!(que("responsable"), "que responsable");
    }

    #[test]
    fn birth_dates_agree_with_the_child() {
        let day = NaiveDate::from_ymd_opt(2019, 5, 14).expect("date");
        assert_eq!(
            born_on(Some(crate::dossier::Sex::Girl), day),
            "Née le 14/05/2019"
        );
        assert_eq!(
            born_on(Some(crate::dossier::Sex::Boy), day),
            "Né le 14/05/2019"
        );
        assert_eq!(born_on(None, day), "Date de naissance : 14/05/2019");
        assert_eq!(quoted("Mon planning"), "«\u{a0}Mon planning\u{a0}»");
    }
}
