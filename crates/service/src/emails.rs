//! The portal's e-mails, in French, as text and HTML. Whatever comes from a user is escaped
//! in the HTML part.

use crate::mailer::OutgoingEmail;

/// Who the e-mail is for and where the commune's portal lives.
pub struct Recipient<'a> {
    pub to: &'a str,
    pub first_name: &'a str,
    pub commune: &'a str,
}

fn escape(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Paragraphs of text, a button-like link, and a closing line, in both formats.
fn compose(
    to: &Recipient<'_>,
    subject: String,
    paragraphs: &[String],
    link: Option<(&str, &str)>,
    after: &[String],
) -> OutgoingEmail {
    let greeting = if to.first_name.is_empty() {
        "Bonjour,".to_owned()
    } else {
        format!("Bonjour {},", to.first_name)
    };
    let signature = format!(
        "Le Portail Famille de la commune {}",
        portail_domain::format::of_place(to.commune)
    );
    let mut text = format!("{greeting}\n\n");
    let mut html = format!(
        "<!doctype html><html lang=\"fr\"><body style=\"font-family:Arial,sans-serif;color:#1f2933;line-height:1.5\"><p>{}</p>",
        escape(&greeting)
    );
    for paragraph in paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(paragraph)));
    }
    if let Some((label, url)) = link {
        text.push_str(url);
        text.push_str("\n\n");
        html.push_str(&format!(
            "<p><a href=\"{url}\" style=\"display:inline-block;background:#1d4e89;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:bold\">{}</a></p><p style=\"font-size:13px;color:#4b5563\">Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :<br>{}</p>",
            escape(label),
            escape(url)
        ));
    }
    for paragraph in after {
        text.push_str(paragraph);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(paragraph)));
    }
    text.push_str(&signature);
    text.push('\n');
    html.push_str(&format!("<p>{}</p></body></html>", escape(&signature)));
    OutgoingEmail {
        to: to.to.to_owned(),
        subject,
        text,
        html: Some(html),
    }
}

pub fn verify_email(to: &Recipient<'_>, link: &str) -> OutgoingEmail {
    compose(
        to,
        "Confirmez votre adresse e-mail — Portail Famille".to_owned(),
        &[format!(
            "Merci d'avoir créé votre compte sur le Portail Famille de la commune {}. Pour confirmer votre adresse e-mail, ouvrez le lien ci-dessous (il est valable 48 heures et ne sert qu'une fois) :",
            portail_domain::format::of_place(to.commune)
        )],
        Some(("Confirmer mon adresse e-mail", link)),
        &[
            "Si vous n'êtes pas à l'origine de cette inscription, ignorez simplement ce message."
                .to_owned(),
        ],
    )
}

pub fn account_already_exists(
    to: &Recipient<'_>,
    login_link: &str,
    reset_link: &str,
) -> OutgoingEmail {
    compose(
        to,
        "Votre compte existe déjà — Portail Famille".to_owned(),
        &[
            "Quelqu'un, peut-être vous, a voulu créer un compte sur le Portail Famille avec cette adresse e-mail. Un compte existe déjà pour cette adresse : une seule inscription par famille suffit.".to_owned(),
            format!("Pour vous connecter : {login_link}"),
        ],
        Some(("J'ai oublié mon mot de passe", reset_link)),
        &["Si vous n'êtes pas à l'origine de cette demande, vous pouvez ignorer ce message : votre compte n'a pas été modifié.".to_owned()],
    )
}

pub fn reset_password(to: &Recipient<'_>, link: &str) -> OutgoingEmail {
    compose(
        to,
        "Réinitialisation de votre mot de passe — Portail Famille".to_owned(),
        &["Vous avez demandé à changer le mot de passe de votre compte. Ouvrez le lien ci-dessous pour en choisir un nouveau (il est valable 1 heure et ne sert qu'une fois) :".to_owned()],
        Some(("Choisir un nouveau mot de passe", link)),
        &["Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.".to_owned()],
    )
}

pub fn password_changed(to: &Recipient<'_>, reset_link: &str) -> OutgoingEmail {
    compose(
        to,
        "Votre mot de passe a été modifié — Portail Famille".to_owned(),
        &["Le mot de passe de votre compte vient d'être modifié, et toutes vos sessions ouvertes ont été fermées.".to_owned()],
        Some(("Ce n'était pas moi : réinitialiser le mot de passe", reset_link)),
        &[],
    )
}

pub fn staff_invitation(to: &Recipient<'_>, link: &str) -> OutgoingEmail {
    compose(
        to,
        "Votre accès à l'espace du personnel — Portail Famille".to_owned(),
        &[format!(
            "Un compte vous a été créé dans l'espace du personnel du Portail Famille de la commune {}. Ouvrez le lien ci-dessous pour choisir votre mot de passe (il est valable 7 jours) :",
            portail_domain::format::of_place(to.commune)
        )],
        Some(("Choisir mon mot de passe", link)),
        &[],
    )
}

/// A place freed on a full day: the waiting child has it, or it is kept for them.
pub fn waiting_list_served(to: &Recipient<'_>, what: &str) -> OutgoingEmail {
    compose(
        to,
        "Une place s'est libérée — Portail Famille".to_owned(),
        &[what.to_owned()],
        None,
        &[],
    )
}

/// A family created at the counter, with an address: the parent chooses their password.
pub fn family_invitation(to: &Recipient<'_>, link: &str) -> OutgoingEmail {
    compose(
        to,
        "Votre compte Portail Famille a été créé — choisissez votre mot de passe".to_owned(),
        &[format!(
            "La mairie a créé avec vous le compte de votre famille sur le Portail Famille de la commune {}. Ouvrez le lien ci-dessous pour choisir votre mot de passe (il est valable 7 jours) : personne d'autre ne le connaîtra.",
            portail_domain::format::of_place(to.commune)
        )],
        Some(("Choisir mon mot de passe", link)),
        &["Si vous n'avez pas demandé ce compte en mairie, ignorez ce message.".to_owned()],
    )
}

pub fn dossier_submitted(to: &Recipient<'_>, link: &str) -> OutgoingEmail {
    compose(
        to,
        "Votre dossier a bien été envoyé — Portail Famille".to_owned(),
        &["Votre dossier famille a bien été envoyé aux services de la mairie. Ils vont le vérifier, et un e-mail vous dira leur décision. Vous ne pourrez accéder aux inscriptions que lorsque cette validation sera effectuée.".to_owned()],
        Some(("Voir mon dossier", link)),
        &[],
    )
}

pub fn dossier_validated(to: &Recipient<'_>, link: &str) -> OutgoingEmail {
    compose(
        to,
        "Votre dossier est validé — Portail Famille".to_owned(),
        &["Bonne nouvelle : les services de la mairie ont validé votre dossier famille. Vous pouvez maintenant réserver et vous inscrire aux services depuis «\u{a0}Mon planning\u{a0}».".to_owned()],
        Some(("Accéder à mon espace", link)),
        &[],
    )
}

pub fn dossier_info_requested(to: &Recipient<'_>, message: &str, link: &str) -> OutgoingEmail {
    compose(
        to,
        "Complément d'information demandé pour votre dossier — Portail Famille".to_owned(),
        &[
            "Les services de la mairie ont examiné votre dossier et vous demandent un complément d'information :".to_owned(),
            format!("«\u{a0}{message}\u{a0}»"),
            "Complétez votre dossier puis renvoyez-le depuis votre espace.".to_owned(),
        ],
        Some(("Compléter mon dossier", link)),
        &[],
    )
}

/// A document of the family's file was refused: which one and why, and where to send another.
pub fn document_refused(
    to: &Recipient<'_>,
    document: &str,
    reason: &str,
    link: &str,
) -> OutgoingEmail {
    compose(
        to,
        "Un document de votre dossier a été refusé — Portail Famille".to_owned(),
        &[
            format!(
                "Les services de la mairie n'ont pas pu accepter le document «\u{a0}{document}\u{a0}» de votre dossier, pour ce motif :"
            ),
            format!("«\u{a0}{reason}\u{a0}»"),
            "Déposez un autre document depuis «\u{a0}Mes documents\u{a0}».".to_owned(),
        ],
        Some(("Déposer un document", link)),
        &[],
    )
}

pub fn reverification_requested(to: &Recipient<'_>, link: &str) -> OutgoingEmail {
    compose(
        to,
        "Vérifiez votre dossier pour la nouvelle année — Portail Famille".to_owned(),
        &["Comme chaque année, nous vous demandons de vérifier les informations de votre dossier famille (coordonnées, foyer, enfants, documents) et de confirmer qu'elles sont exactes. D'ici là, aucune nouvelle réservation ne peut être enregistrée.".to_owned()],
        Some(("Vérifier mon dossier", link)),
        &[],
    )
}

pub fn email_change(to: &Recipient<'_>, link: &str) -> OutgoingEmail {
    compose(
        to,
        "Confirmez votre nouvelle adresse e-mail — Portail Famille".to_owned(),
        &["Vous avez demandé à utiliser cette adresse pour votre compte du Portail Famille. Ouvrez le lien ci-dessous pour confirmer le changement (il est valable 48 heures) :".to_owned()],
        Some(("Confirmer ma nouvelle adresse", link)),
        &["Si vous n'avez rien demandé, ignorez ce message : rien ne change.".to_owned()],
    )
}

/// An invoice was issued: its number, month, amount and due date, and a link to « Mes
/// factures » (behind the login: the PDF is not attached, docs/billing.md).
pub fn invoice_issued(
    to: &Recipient<'_>,
    month_fr: &str,
    number: &str,
    total_cents: i64,
    due_on: chrono::NaiveDate,
    link: &str,
) -> OutgoingEmail {
    use portail_domain::format::{de, euros, numeric_date};
    let of_month = de(month_fr);
    compose(
        to,
        format!("Votre facture {of_month} — Portail Famille"),
        &[format!(
            "Votre facture n°\u{a0}{number} {of_month} est disponible dans «\u{a0}Mes factures\u{a0}» : {}, à régler avant le {}. Vous pouvez la télécharger et la payer en ligne.",
            euros(total_cents),
            numeric_date(due_on)
        )],
        Some(("Voir mes factures", link)),
        &[],
    )
}

/// A pre-registration moved: what happened, in one sentence, and a link to « Mes
/// préinscriptions ».
pub fn preregistration_changed(to: &Recipient<'_>, what: &str, link: &str) -> OutgoingEmail {
    compose(
        to,
        "Votre préinscription en crèche — Portail Famille".to_owned(),
        &[what.to_owned()],
        Some(("Voir mes préinscriptions", link)),
        &[],
    )
}

/// « Votre rendez-vous en mairie »: confirmed (`reminder` false) or tomorrow's (`true`).
pub fn appointment(
    to: &Recipient<'_>,
    when: &str,
    desk: &str,
    reason: &str,
    reminder: bool,
) -> OutgoingEmail {
    let (subject, opening) = if reminder {
        (
            format!("Rappel : votre rendez-vous en mairie demain — {desk}"),
            format!("Nous vous rappelons votre rendez-vous en mairie ({desk}) {when}."),
        )
    } else {
        (
            format!("Votre rendez-vous en mairie est confirmé — {desk}"),
            format!("Votre rendez-vous en mairie ({desk}) est confirmé {when}."),
        )
    };
    compose(
        to,
        subject,
        &[
            opening,
            format!("Motif indiqué : «\u{a0}{reason}\u{a0}»"),
            "Apportez les papiers utiles à votre démarche. Si vous ne pouvez pas venir, prévenez la mairie par téléphone.".to_owned(),
        ],
        None,
        &[],
    )
}

/// The bank returned a direct debit: the invoice is to pay again, and why.
pub fn debit_returned(
    to: &Recipient<'_>,
    number: &str,
    amount: &str,
    reason: &str,
    link: &str,
) -> OutgoingEmail {
    compose(
        to,
        format!("Le prélèvement de votre facture {number} a été rejeté — Portail Famille"),
        &[
            format!("Votre banque a rejeté le prélèvement de {amount} de la facture n°\u{a0}{number}, pour ce motif : {reason}."),
            "La facture est de nouveau à régler : payez-la en ligne ou auprès de la mairie, et vérifiez votre mandat de prélèvement si votre compte a changé.".to_owned(),
        ],
        Some(("Voir la facture", link)),
        &[],
    )
}

/// A service answered the family: a message waits in its space. The e-mail never carries the
/// message itself (it may be about a child's health; the space is behind a password).
pub fn message_waiting(to: &Recipient<'_>, service: &str, link: &str) -> OutgoingEmail {
    compose(
        to,
        format!("Un message vous attend — {service}"),
        &[
            format!("Le service «\u{a0}{service}\u{a0}» vous a répondu sur le Portail Famille."),
            "Pour le lire et lui répondre, connectez-vous à votre espace.".to_owned(),
        ],
        Some(("Lire le message", link)),
        &[],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_in_html_but_not_in_text() {
        let to = Recipient {
            to: "x@exemple.fr",
            first_name: "<b>Marie</b>",
            commune: "Avermes",
        };
        let email = verify_email(&to, "https://portail.example/confirmer-email#jeton=abc");
        assert!(email.text.starts_with("Bonjour <b>Marie</b>,"));
        let html = email.html.expect("html");
        assert!(html.contains("&lt;b&gt;Marie&lt;/b&gt;"));
        assert!(!html.contains("<b>Marie"));
        assert!(
            email
                .text
                .contains("https://portail.example/confirmer-email#jeton=abc\n")
        );
    }
}
