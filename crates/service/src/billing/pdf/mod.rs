//! Invoice PDFs, in French, generated on the server with krilla and the DejaVu Sans font
//! embedded (subset): accents, « » and the euro sign render, and the text can be extracted
//! (searchable, readable by a screen reader's PDF mode). A4, lines grouped by child and
//! service, totals, due date, number, how to pay. Generated on demand from the stored
//! invoice (never stored: an issued invoice does not change, so neither does its PDF, except
//! for « déjà réglé », which is the point of generating it when asked).

use portail_domain::api::{InvoiceKind, InvoiceResponse, PaymentResponse};
use portail_domain::format::{euros, numeric_date};

mod certificate;
mod layout;

pub use certificate::{render_attendance, render_fiscal, render_mandate};

use layout::*;

const WIDTH: f32 = 595.28;

const HEIGHT: f32 = 841.89;

const MARGIN: f32 = 42.0;

const BOTTOM: f32 = HEIGHT - 60.0;

const BLUE: (u8, u8, u8) = (29, 78, 137);

/// What the PDF says besides the invoice: the commune, its address, how to pay.
pub struct Letterhead<'a> {
    pub commune: &'a str,
    pub address: &'a str,
    pub online_payment: bool,
    /// The commune's SIRET, the account to pay by transfer, whom to ask: each printed when set.
    pub siret: &'a str,
    pub iban: &'a str,
    pub bic: &'a str,
    pub contact: &'a str,
}

const COL_DATE: f32 = MARGIN;

const COL_UNIT: f32 = MARGIN + 62.0;

const COL_RULE: f32 = MARGIN + 190.0;

const RULE_WIDTH: f32 = 185.0;

const COL_QTY_R: f32 = MARGIN + 418.0;

const COL_PRICE_R: f32 = MARGIN + 468.0;

const COL_AMOUNT_R: f32 = WIDTH - MARGIN;

fn table_header(l: &mut Layout) {
    l.band(16.0);
    l.y += 11.0;
    for (x, text) in [
        (COL_DATE + 3.0, "Date"),
        (COL_UNIT, "Prestation"),
        (COL_RULE, "Tarif appliqué"),
    ] {
        l.text(x, 8.0, true, text);
    }
    l.right(COL_QTY_R, 8.0, true, "Qté");
    l.right(COL_PRICE_R, 8.0, true, "P.U.");
    l.right(COL_AMOUNT_R - 3.0, 8.0, true, "Montant");
    l.y += 9.0;
}

/// « 1 », « 3,5 »: a quantity in hundredths.
fn quantity(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "\u{2212}" } else { "" };
    let h = hundredths.unsigned_abs();
    match h % 100 {
        0 => format!("{sign}{}", h / 100),
        r if r % 10 == 0 => format!("{sign}{},{}", h / 100, r / 10),
        r => format!("{sign}{},{r:02}", h / 100),
    }
}

/// The commune and its address on the left; the document's title and reference on the right.
fn top(l: &mut Layout, head: &Letterhead<'_>, title: &str, reference: &str) {
    l.y += 14.0;
    l.colored(
        MARGIN,
        15.0,
        true,
        BLUE,
        &format!("Commune {}", portail_domain::format::of_place(head.commune)),
    );
    l.right(WIDTH - MARGIN, 15.0, true, title);
    l.y += 14.0;
    l.text(
        MARGIN,
        9.0,
        false,
        "Portail Famille — services de l'enfance",
    );
    l.right(WIDTH - MARGIN, 9.5, true, reference);
    l.y += 12.0;
    if !head.address.is_empty() {
        l.text(MARGIN, 9.0, false, head.address);
    }
    if !head.siret.is_empty() {
        l.y += 11.0;
        l.text(
            MARGIN,
            8.0,
            false,
            format!("SIRET {}", portail_domain::parse::siret_grouped(head.siret)),
        );
    }
    if !head.contact.is_empty() {
        l.y += 11.0;
        l.text(MARGIN, 8.0, false, format!("Contact : {}", head.contact));
    }
}

/// A payment's receipt: from whom, when, how, how much, and what it settled.
pub fn render_receipt(
    payment: &PaymentResponse,
    family_name: &str,
    head: &Letterhead<'_>,
) -> anyhow::Result<Vec<u8>> {
    let reference = payment.id.simple().to_string();
    let short = reference.get(..12).unwrap_or(&reference).to_uppercase();
    let mut l = Layout::new();
    top(&mut l, head, "REÇU", &format!("Reçu n°\u{a0}{short}"));
    l.y += 34.0;
    l.text(MARGIN, 11.0, true, format!("Famille {family_name}"));
    l.y += 22.0;
    let mut rows = vec![
        ("Reçu le", numeric_date(payment.received_on)),
        ("Moyen de paiement", payment.method.label_fr().to_owned()),
        ("Montant", euros(payment.amount_cents)),
    ];
    if !payment.reference.is_empty() {
        rows.push(("Référence", payment.reference.clone()));
    }
    if !payment.bank.is_empty() {
        rows.push(("Banque", payment.bank.clone()));
    }
    for (label, value) in rows {
        l.text(MARGIN, 10.0, false, label);
        l.text(MARGIN + 150.0, 10.0, true, value);
        l.y += 16.0;
    }
    l.y += 10.0;
    l.colored(MARGIN, 10.0, true, BLUE, "Factures réglées");
    l.y += 4.0;
    l.rule();
    for a in &payment.allocations {
        l.y += 14.0;
        l.text(MARGIN, 9.5, false, format!("Facture n°\u{a0}{}", a.number));
        l.right(WIDTH - MARGIN, 9.5, false, &euros(a.amount_cents));
    }
    if payment.unallocated_cents > 0 {
        l.y += 14.0;
        l.text(
            MARGIN,
            9.5,
            false,
            "Crédit de la famille, déduit de ses prochaines factures",
        );
        l.right(
            WIDTH - MARGIN,
            9.5,
            false,
            &euros(payment.unallocated_cents),
        );
    }
    l.y += 8.0;
    l.rule();
    l.y += 24.0;
    l.text(
        MARGIN,
        9.0,
        false,
        "Ce reçu atteste le paiement reçu par la régie de la commune.",
    );
    write(
        &l,
        &format!("Reçu {short}"),
        &format!("Reçu n°\u{a0}{short}"),
    )
}

/// The PDF of an invoice or a credit note.
/// `payer_address`: where the payer lives, as the invoice recorded it when issued.
pub fn render(
    invoice: &InvoiceResponse,
    payer_address: &str,
    head: &Letterhead<'_>,
) -> anyhow::Result<Vec<u8>> {
    let s = &invoice.summary;
    let credit = s.kind == InvoiceKind::CreditNote;
    let title = if credit { "AVOIR" } else { "FACTURE" };
    let mut l = Layout::new();
    top(&mut l, head, title, &format!("N°\u{a0}{}", s.number));
    let month = portail_domain::format::month_label(&s.month);
    l.right(WIDTH - MARGIN, 9.0, false, &format!("Période : {month}"));
    l.y += 12.0;
    l.right(
        WIDTH - MARGIN,
        9.0,
        false,
        &format!("Émise le {}", numeric_date(s.issued_on)),
    );
    if !credit {
        l.y += 12.0;
        l.right(
            WIDTH - MARGIN,
            9.0,
            true,
            &format!("À payer avant le {}", numeric_date(s.due_on)),
        );
    }

    // The payer.
    l.y += 26.0;
    l.text(MARGIN, 8.0, false, "Facturé à");
    l.y += 13.0;
    l.text(MARGIN, 11.0, true, invoice.payer_name.clone());
    for line in payer_address.lines().filter(|l| !l.trim().is_empty()) {
        l.y += 12.0;
        l.text(MARGIN, 9.0, false, line.trim().to_owned());
    }
    l.y += 13.0;
    l.text(MARGIN, 9.0, false, format!("Famille {}", s.family_name));
    l.y += 20.0;
    l.text(MARGIN, 9.0, false, invoice.reason.clone());
    if let Some(number) = &s.corrects_number {
        l.y += 12.0;
        l.text(
            MARGIN,
            9.0,
            false,
            format!("Cet avoir réduit la facture n°\u{a0}{number}."),
        );
    }
    l.y += 14.0;

    // The lines, by child then service.
    table_header(&mut l);
    let mut group: Option<(String, String)> = None;
    for line in &invoice.lines {
        let key = (line.child_name.clone(), line.service_name.clone());
        if group.as_ref() != Some(&key) {
            l.down(8.0, Some(&table_header));
            l.colored(
                COL_DATE,
                9.0,
                true,
                BLUE,
                &format!("{} — {}", line.child_name, line.service_name),
            );
            l.y += 4.0;
            l.rule();
            group = Some(key);
        }
        let rule_lines = wrap(7.5, &line.rule, RULE_WIDTH);
        l.down(11.0, Some(&table_header));
        l.text(COL_DATE + 3.0, 8.0, false, numeric_date(line.date));
        l.text(COL_UNIT, 8.0, false, line.unit_name.clone());
        l.right(COL_QTY_R, 8.0, false, &quantity(line.quantity_hundredths));
        l.right(COL_PRICE_R, 8.0, false, &euros(line.unit_price_cents));
        l.right(COL_AMOUNT_R - 3.0, 8.0, false, &euros(line.amount_cents));
        for (i, text) in rule_lines.iter().enumerate() {
            if i > 0 {
                l.down(9.0, Some(&table_header));
            }
            l.text(COL_RULE, 7.5, false, text.clone());
        }
    }

    // Totals.
    l.down(10.0, None);
    l.rule();
    l.down(16.0, None);
    l.text(COL_RULE, 10.0, true, "Total");
    l.right(COL_AMOUNT_R - 3.0, 10.0, true, &euros(s.total_cents));
    if !credit {
        l.down(14.0, None);
        l.text(COL_RULE, 9.0, false, "Déjà réglé (paiements et avoirs)");
        l.right(COL_AMOUNT_R - 3.0, 9.0, false, &euros(s.settled_cents));
        l.down(16.0, None);
        l.text(COL_RULE, 10.5, true, "Reste à payer");
        l.right(COL_AMOUNT_R - 3.0, 10.5, true, &euros(s.remaining_cents));

        // How to pay.
        l.down(30.0, None);
        l.colored(MARGIN, 10.0, true, BLUE, "Comment payer");
        let mut ways = Vec::new();
        if head.online_payment {
            ways.push(
                "En ligne, sur le Portail Famille : «\u{a0}Mes factures\u{a0}», bouton «\u{a0}Payer en ligne\u{a0}»."
                    .to_owned(),
            );
        }
        ways.push(format!(
            "À la mairie : chèque à l'ordre du Trésor public (au dos, le n°\u{a0}{}), espèces, CESU, ou par virement.",
            s.number
        ));
        if !head.iban.is_empty() {
            let bic = if head.bic.is_empty() {
                String::new()
            } else {
                format!(" — BIC {}", head.bic)
            };
            ways.push(format!(
                "Par virement : IBAN {}{bic}, en indiquant le n°\u{a0}{} en référence.",
                portail_domain::parse::iban_grouped(head.iban),
                s.number
            ));
        }
        ways.push(format!(
            "Rappelez le n°\u{a0}{} pour tout règlement ou toute question.",
            s.number
        ));
        for way in ways {
            for text in wrap(9.0, &way, WIDTH - 2.0 * MARGIN) {
                l.down(13.0, None);
                l.text(MARGIN, 9.0, false, text);
            }
        }
    }

    let what = if credit { "Avoir" } else { "Facture" };
    write(
        &l,
        &format!("{what} {}", s.number),
        &format!("{what} n°\u{a0}{}", s.number),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_in_french() {
        assert_eq!(quantity(100), "1");
        assert_eq!(quantity(350), "3,5");
        assert_eq!(quantity(308), "3,08");
        assert_eq!(quantity(-100), "\u{2212}1");
    }

    #[test]
    fn wrapping_keeps_every_word() {
        let text = "Tarif horaire PSU : 3 000,00 € de ressources, 2 enfants à charge (0,0516 %)";
        let lines = wrap(7.5, text, 120.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        assert!(
            lines
                .iter()
                .all(|l| width(false, 7.5, l) <= 120.0 || !l.contains(' '))
        );
    }
}
