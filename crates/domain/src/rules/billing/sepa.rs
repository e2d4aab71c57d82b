//! SEPA direct debit (issue 24, point 4), pure: the commune's creditor identifier (ICS), the
//! mandate's reference (RUM), an IBAN as a family sees it, the sequence of a debit (first or
//! recurrent), the bank's return codes in French, and the `pain.008.001.02` file (SEPA Core)
//! the town hall sends its bank. `docs/billing.md` (« Direct debit ») tells the whole flow.

use chrono::{DateTime, NaiveDate, Utc};

use crate::parse::InvalidValue;
use crate::string_enum;

string_enum! {
    /// Le type de séquence d'un prélèvement : le premier sur un mandat, ou un suivant.
    pub enum SequenceType {
        First => ("FRST", "Premier prélèvement"),
        Recurrent => ("RCUR", "Prélèvement récurrent"),
    }
}

/// A mandate's first debit is `FRST`, every later one `RCUR` (a mandate that was only ever
/// returned starts again at `FRST`: the caller counts settled debits).
pub fn sequence_type(settled_before: bool) -> SequenceType {
    if settled_before {
        SequenceType::Recurrent
    } else {
        SequenceType::First
    }
}

string_enum! {
    /// Où en est un mandat.
    pub enum MandateStatus {
        Active => ("active", "Actif"),
        Revoked => ("revoked", "Révoqué"),
    }
}

string_enum! {
    /// Où en est un prélèvement.
    pub enum DebitStatus {
        Pending => ("pending", "Prélèvement en cours"),
        Settled => ("settled", "Prélevé"),
        Returned => ("returned", "Rejeté"),
    }
}

string_enum! {
    /// Les motifs de rejet ou de retour (R-transactions) les plus courants, code ISO 20022.
    pub enum ReturnReason {
        Ac01 => ("AC01", "Numéro de compte incorrect"),
        Ac04 => ("AC04", "Compte clôturé"),
        Ac06 => ("AC06", "Compte bloqué"),
        Ag01 => ("AG01", "Prélèvement interdit sur ce compte"),
        Am04 => ("AM04", "Provision insuffisante"),
        Md01 => ("MD01", "Pas de mandat valide"),
        Md06 => ("MD06", "Contestation du débiteur"),
        Md07 => ("MD07", "Débiteur décédé"),
        Ms02 => ("MS02", "Refus du débiteur"),
        Ms03 => ("MS03", "Raison non communiquée"),
        Sl01 => ("SL01", "Service spécifique de la banque du débiteur"),
    }
}

/// The commune's SEPA creditor identifier (ICS, « identifiant créancier SEPA »): country,
/// two check digits, a three-character business code (not checked), the national identifier;
/// the check digits are ISO 7064 mod 97-10 over the national identifier and the country.
/// `Ok(None)` when empty.
pub fn creditor_id(raw: &str) -> Result<Option<String>, InvalidValue> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if compact.is_empty() {
        return Ok(None);
    }
    let invalid = || {
        InvalidValue::new(
            "invalid_creditor_id",
            "Cet identifiant créancier SEPA (ICS) n'est pas valide : par exemple FR12ZZZ123456.",
        )
    };
    if !(8..=35).contains(&compact.len()) || !compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(invalid());
    }
    let (country, rest) = compact.split_at(2);
    let (check, rest) = rest.split_at(2);
    let national = &rest[3..];
    if !country.bytes().all(|b| b.is_ascii_uppercase())
        || !check.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(invalid());
    }
    if national.is_empty() || mod97(&format!("{national}{country}{check}")) != Some(1) {
        return Err(invalid());
    }
    Ok(Some(compact))
}

/// ISO 7064 mod 97-10 of letters (A = 10 … Z = 35) and digits, or `None` on another character.
fn mod97(text: &str) -> Option<u32> {
    let mut rest = 0_u32;
    for c in text.chars() {
        let value = c.to_digit(36)?;
        for digit in value.to_string().chars() {
            rest = (rest * 10 + digit.to_digit(10)?) % 97;
        }
    }
    Some(rest)
}

/// A mandate's unique reference (RUM, 35 characters at most): the portal's prefix, the
/// family's first eight hexadecimal digits and the signature's date and number in the day.
pub fn mandate_reference(family_id: uuid::Uuid, signed_on: NaiveDate, number: u32) -> String {
    let family = family_id.simple().to_string().to_uppercase();
    format!(
        "PF-{}-{}-{number}",
        &family[..8],
        signed_on.format("%Y%m%d")
    )
}

/// An IBAN as a family or an agent who does not bill reads it: the country and check digits,
/// and the last four characters (« FR76 •••• •••• •••• •••• •••• 0189 »).
pub fn masked_iban(iban: &str) -> String {
    let chars: Vec<char> = iban.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() < 8 {
        return "••••".to_owned();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head} •••• •••• •••• •••• {tail}")
}

/// Text in the SEPA character set (Latin letters, digits, `/ - ? : ( ) . , ' +` and space):
/// French accents lose their accent, anything else becomes a space; cut to `max` characters.
pub fn sepa_text(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let plain: &str = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => "a",
            'À' | 'Â' | 'Ä' | 'Á' | 'Ã' => "A",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'É' | 'È' | 'Ê' | 'Ë' => "E",
            'î' | 'ï' | 'í' => "i",
            'Î' | 'Ï' | 'Í' => "I",
            'ô' | 'ö' | 'ó' | 'õ' => "o",
            'Ô' | 'Ö' | 'Ó' | 'Õ' => "O",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'Ù' | 'Û' | 'Ü' | 'Ú' => "U",
            'ç' => "c",
            'Ç' => "C",
            'ñ' => "n",
            'Ñ' => "N",
            'œ' => "oe",
            'Œ' => "OE",
            'æ' => "ae",
            'Æ' => "AE",
            'ÿ' => "y",
            '’' | '‘' => "'",
            c if c.is_ascii_alphanumeric() || "/-?:().,'+ ".contains(c) => {
                out.push(c);
                continue;
            }
            _ => " ",
        };
        out.push_str(plain);
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .chars()
        .take(max)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Whether the banks collect on `day`: a TARGET2 business day (not a weekend, 1 January, Good
/// Friday, Easter Monday, 1 May, 25 or 26 December).
pub fn is_collection_day(day: NaiveDate) -> bool {
    use chrono::Datelike as _;
    if matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
        return false;
    }
    let easter = crate::rules::planning::calendar::easter_sunday(day.year());
    let closed = [(1, 1), (5, 1), (12, 25), (12, 26)];
    !(closed.contains(&(day.month(), day.day()))
        || Some(day) == easter.checked_sub_days(chrono::Days::new(2))
        || Some(day) == easter.checked_add_days(chrono::Days::new(1)))
}

/// A file's collection day: a banks' business day, 2 to 60 days after `today` (the banks'
/// delay for a first debit, and no further than a bank takes a file ahead).
pub fn collection_date_check(day: NaiveDate, today: NaiveDate) -> Result<(), InvalidValue> {
    if !is_collection_day(day) {
        return Err(InvalidValue::new(
            "not_a_business_day",
            format!(
                "Les banques ne prélèvent pas ce jour-là (week-end ou jour férié bancaire) : choisissez le {} par exemple.",
                crate::format::date_fr(next_collection_day(day))
            ),
        ));
    }
    let ahead = (day - today).num_days();
    if !(2..=60).contains(&ahead) {
        return Err(InvalidValue::new(
            "out_of_range",
            "Le jour du prélèvement est entre 2 et 60 jours à venir (le délai de la banque).",
        ));
    }
    Ok(())
}

/// The first collection day on or after `from`.
pub fn next_collection_day(from: NaiveDate) -> NaiveDate {
    let mut day = from;
    for _ in 0..10 {
        if is_collection_day(day) {
            return day;
        }
        day = day.succ_opt().unwrap_or(day);
    }
    day
}

/// Cents as the file writes an amount: « 12.34 ».
pub fn amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

/// The creditor: the commune, its account and its identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Creditor {
    pub name: String,
    pub iban: String,
    /// Absent: the bank is found from the IBAN (`NOTPROVIDED`).
    pub bic: Option<String>,
    pub creditor_id: String,
}

/// One debit: one invoice, on one mandate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebitLine {
    /// Unique in the file and beyond (35 characters at most): the bank returns it.
    pub end_to_end_id: String,
    pub amount_cents: i64,
    pub mandate_reference: String,
    pub signed_on: NaiveDate,
    pub sequence: SequenceType,
    pub debtor_name: String,
    pub debtor_iban: String,
    /// What the debtor's statement says (« Facture 2027-0042 »).
    pub remittance: String,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
        .replace('"', "&quot;")
}

/// The `pain.008.001.02` (SEPA Core Direct Debit) file: one group header, one payment
/// information block per sequence type (first, then recurrent), one transaction per debit.
/// `lines` must not be empty.
pub fn pain008(
    message_id: &str,
    created_at: DateTime<Utc>,
    collection_date: NaiveDate,
    creditor: &Creditor,
    lines: &[DebitLine],
) -> String {
    let total: i64 = lines.iter().map(|l| l.amount_cents).sum();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.008.001.02\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n<CstmrDrctDbtInitn>\n",
    );
    let creditor_name = escape(&sepa_text(&creditor.name, 70));
    xml.push_str(&format!(
        "<GrpHdr><MsgId>{}</MsgId><CreDtTm>{}</CreDtTm><NbOfTxs>{}</NbOfTxs><CtrlSum>{}</CtrlSum><InitgPty><Nm>{creditor_name}</Nm></InitgPty></GrpHdr>\n",
        escape(message_id),
        created_at.format("%Y-%m-%dT%H:%M:%S"),
        lines.len(),
        amount(total)
    ));
    let agent = |bic: Option<&str>| match bic {
        Some(bic) => format!("<FinInstnId><BIC>{}</BIC></FinInstnId>", escape(bic)),
        None => "<FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>".to_owned(),
    };
    for sequence in [SequenceType::First, SequenceType::Recurrent] {
        let block: Vec<&DebitLine> = lines.iter().filter(|l| l.sequence == sequence).collect();
        if block.is_empty() {
            continue;
        }
        let sum: i64 = block.iter().map(|l| l.amount_cents).sum();
        xml.push_str(&format!(
            "<PmtInf><PmtInfId>{}</PmtInfId><PmtMtd>DD</PmtMtd><BtchBookg>true</BtchBookg><NbOfTxs>{}</NbOfTxs><CtrlSum>{}</CtrlSum>\
<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl><LclInstrm><Cd>CORE</Cd></LclInstrm><SeqTp>{}</SeqTp></PmtTpInf>\
<ReqdColltnDt>{}</ReqdColltnDt><Cdtr><Nm>{creditor_name}</Nm></Cdtr><CdtrAcct><Id><IBAN>{}</IBAN></Id></CdtrAcct>\
<CdtrAgt>{}</CdtrAgt><ChrgBr>SLEV</ChrgBr>\
<CdtrSchmeId><Id><PrvtId><Othr><Id>{}</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></CdtrSchmeId>\n",
            escape(&format!("{message_id}-{}", sequence.as_str())),
            block.len(),
            amount(sum),
            sequence.as_str(),
            collection_date,
            escape(&creditor.iban),
            agent(creditor.bic.as_deref()),
            escape(&creditor.creditor_id),
        ));
        for line in block {
            xml.push_str(&format!(
                "<DrctDbtTxInf><PmtId><EndToEndId>{}</EndToEndId></PmtId><InstdAmt Ccy=\"EUR\">{}</InstdAmt>\
<DrctDbtTx><MndtRltdInf><MndtId>{}</MndtId><DtOfSgntr>{}</DtOfSgntr></MndtRltdInf></DrctDbtTx>\
<DbtrAgt>{}</DbtrAgt><Dbtr><Nm>{}</Nm></Dbtr><DbtrAcct><Id><IBAN>{}</IBAN></Id></DbtrAcct>\
<RmtInf><Ustrd>{}</Ustrd></RmtInf></DrctDbtTxInf>\n",
                escape(&line.end_to_end_id),
                amount(line.amount_cents),
                escape(&line.mandate_reference),
                line.signed_on,
                agent(None),
                escape(&sepa_text(&line.debtor_name, 70)),
                escape(&line.debtor_iban),
                escape(&sepa_text(&line.remittance, 140)),
            ));
        }
        xml.push_str("</PmtInf>\n");
    }
    xml.push_str("</CstmrDrctDbtInitn>\n</Document>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_creditor_identifier_is_checked_by_its_digits() {
        // The ICS of the SEPA examples: FR72ZZZ123456 (mod 97 over « 123456FR72 »).
        assert_eq!(
            creditor_id(" fr72 zzz 123456 "),
            Ok(Some("FR72ZZZ123456".to_owned()))
        );
        assert_eq!(creditor_id(""), Ok(None));
        assert!(creditor_id("FR73ZZZ123456").is_err(), "a wrong check digit");
        assert!(creditor_id("FR72ZZZ").is_err());
        assert!(creditor_id("FR72ZZZ12345é").is_err());
    }

    #[test]
    fn banks_collect_on_target_business_days_only() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert!(is_collection_day(d(2027, 3, 15)), "a Monday");
        assert!(!is_collection_day(d(2027, 3, 13)), "a Saturday");
        assert!(!is_collection_day(d(2027, 3, 26)), "Good Friday 2027");
        assert!(!is_collection_day(d(2027, 3, 29)), "Easter Monday 2027");
        assert!(!is_collection_day(d(2026, 12, 25)));
        assert!(!is_collection_day(d(2027, 5, 8)), "a Saturday too");
        assert_eq!(next_collection_day(d(2027, 3, 13)), d(2027, 3, 15));
        assert_eq!(next_collection_day(d(2027, 3, 26)), d(2027, 3, 30));
        let today = d(2027, 3, 8);
        assert_eq!(collection_date_check(d(2027, 3, 10), today), Ok(()));
        let early = collection_date_check(d(2027, 3, 9), today).expect_err("one day");
        assert_eq!(early.code, "out_of_range");
        let weekend = collection_date_check(d(2027, 3, 13), today).expect_err("a Saturday");
        assert_eq!(weekend.code, "not_a_business_day");
        assert!(
            weekend.message.contains("lundi 15 mars 2027"),
            "{}",
            weekend.message
        );
        assert!(
            collection_date_check(d(2027, 5, 10), today).is_err(),
            "63 days ahead"
        );
    }

    #[test]
    fn the_first_debit_of_a_mandate_is_frst_and_the_next_ones_rcur() {
        assert_eq!(sequence_type(false), SequenceType::First);
        assert_eq!(sequence_type(true), SequenceType::Recurrent);
    }

    #[test]
    fn a_reference_is_short_and_an_iban_is_masked() {
        let family = uuid::Uuid::parse_str("0193f3c2-7a1e-7b3c-9d2e-5f6a7b8c9d0e").expect("uuid");
        let date = NaiveDate::from_ymd_opt(2027, 3, 8).expect("date");
        let rum = mandate_reference(family, date, 2);
        assert_eq!(rum, "PF-0193F3C2-20270308-2");
        assert!(rum.len() <= 35);
        assert_eq!(
            masked_iban("FR7630006000011234567890189"),
            "FR76 •••• •••• •••• •••• 0189"
        );
    }

    #[test]
    fn text_is_written_in_the_sepa_character_set() {
        assert_eq!(
            sepa_text("Hélène Lefèvre-Cœur & fils", 70),
            "Helene Lefevre-Coeur fils"
        );
        assert_eq!(sepa_text("Façade", 3), "Fac");
        assert_eq!(amount(1234), "12.34");
        assert_eq!(amount(5), "0.05");
    }

    #[test]
    fn the_file_groups_first_and_recurrent_debits_with_their_totals() {
        let creditor = Creditor {
            name: "Commune d'Avermes".to_owned(),
            iban: "FR7630006000011234567890189".to_owned(),
            bic: None,
            creditor_id: "FR72ZZZ123456".to_owned(),
        };
        let line = |id: &str, cents, sequence| DebitLine {
            end_to_end_id: id.to_owned(),
            amount_cents: cents,
            mandate_reference: "PF-1-20270301-1".to_owned(),
            signed_on: NaiveDate::from_ymd_opt(2027, 3, 1).expect("date"),
            sequence,
            debtor_name: "Élise Dupré".to_owned(),
            debtor_iban: "FR7630006000011234567890189".to_owned(),
            remittance: "Facture 2027-0001".to_owned(),
        };
        let xml = pain008(
            "PF-20270308-1",
            DateTime::parse_from_rfc3339("2027-03-08T07:00:00Z")
                .expect("date")
                .with_timezone(&Utc),
            NaiveDate::from_ymd_opt(2027, 3, 15).expect("date"),
            &creditor,
            &[
                line("A", 1250, SequenceType::First),
                line("B", 300, SequenceType::Recurrent),
                line("C", 5, SequenceType::Recurrent),
            ],
        );
        assert!(
            xml.contains("<NbOfTxs>3</NbOfTxs><CtrlSum>15.55</CtrlSum>"),
            "{xml}"
        );
        assert!(xml.contains("<NbOfTxs>1</NbOfTxs><CtrlSum>12.50</CtrlSum>"));
        assert!(xml.contains("<NbOfTxs>2</NbOfTxs><CtrlSum>3.05</CtrlSum>"));
        assert!(xml.contains("<Nm>Commune d&apos;Avermes</Nm>"));
        assert!(xml.contains("<Nm>Elise Dupre</Nm>"));
        assert_eq!(xml.matches("<DrctDbtTxInf>").count(), 3);
    }
}
