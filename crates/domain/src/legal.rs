//! The legal pages every page's footer links: « Mentions légales », « Données personnelles »
//! and « Déclaration d'accessibilité ». Each is written from the commune's settings (its name
//! and address, the retention durations) until an administrator replaces its text.
//!
//! A text is plain: paragraphs separated by a blank line, a line starting with `## ` is a
//! heading, a line starting with `- ` an item of a list.

use crate::format::count;
use crate::rules::retention::RetentionPolicy;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalPage {
    Notice,
    Privacy,
    Accessibility,
}

impl LegalPage {
    pub const ALL: [Self; 3] = [Self::Notice, Self::Privacy, Self::Accessibility];

    /// The page's address (`/mentions-legales`…) and its key in the API.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Notice => "mentions-legales",
            Self::Privacy => "donnees-personnelles",
            Self::Accessibility => "accessibilite",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Notice => "Mentions légales",
            Self::Privacy => "Données personnelles",
            Self::Accessibility => "Déclaration d'accessibilité",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.slug() == slug)
    }
}

/// What the generated texts are written from.
#[derive(Debug, Clone)]
pub struct LegalFacts<'a> {
    pub commune: &'a str,
    pub address: &'a str,
    pub public_url: &'a str,
    pub retention: RetentionPolicy,
}

/// The text of a page as the portal writes it from the commune's settings.
pub fn generated(page: LegalPage, facts: &LegalFacts<'_>) -> String {
    let commune = crate::format::of_place(facts.commune);
    let mairie = if facts.address.trim().is_empty() {
        format!("Mairie {commune}")
    } else {
        format!("Mairie {commune}, {}", facts.address.trim())
    };
    let r = facts.retention;
    match page {
        LegalPage::Notice => format!(
            "## Éditeur\n\n\
             Le Portail Famille ({url}) est édité par la commune {name}, {mairie}.\n\n\
             Directeur de la publication : le maire de la commune {name}.\n\n\
             ## Hébergement\n\n\
             Le portail est hébergé par la commune ou par le prestataire qu'elle a choisi ; \
             ses coordonnées sont disponibles en mairie.\n\n\
             ## Logiciel\n\n\
             Le Portail Famille est un logiciel libre. Les textes et les données publiées \
             appartiennent à la commune.",
            url = facts.public_url,
            name = commune,
        ),
        LegalPage::Privacy => format!(
            "## Responsable du traitement\n\n\
             La commune {name} ({mairie}) traite vos données pour gérer les services à \
             l'enfance : inscription de la famille, réservations (accueil de loisirs, \
             restauration scolaire, crèche), préinscriptions en crèche, facturation et \
             paiements, messages aux familles.\n\n\
             Base légale : la mission de service public de la commune et, pour la \
             facturation, ses obligations comptables.\n\n\
             ## Délégué à la protection des données\n\n\
             Écrivez au délégué à la protection des données de la commune : {mairie}.\n\n\
             ## Durées de conservation\n\n\
             - Un compte dont l'adresse e-mail n'a jamais été confirmée est supprimé après {unconfirmed}.\n\
             - Les données d'une famille qui ne s'est pas connectée depuis {inactive} sont supprimées, sauf si des factures restent à payer ou si une demande est en cours.\n\
             - Un document refusé, ou remplacé par un document accepté, est supprimé {documents} mois plus tard.\n\
             - Une conversation avec un service (et ses fichiers joints) est supprimée {messages} mois après son dernier message.\n\
             - Les factures et les paiements sont gardés {accounting} (comptabilité publique), puis le nom et l'adresse du payeur en sont retirés.\n\
             - Le journal des accès aux dossiers par les agents est gardé {audit}.\n\n\
             ## Vos droits\n\n\
             Vous pouvez consulter et corriger vos données dans votre espace, les télécharger \
             («\u{a0}Mon compte\u{a0}», export de mes données) et demander la suppression de votre \
             compte. Vous pouvez aussi vous opposer à un traitement ou en demander la \
             limitation en écrivant au délégué à la protection des données. Si vous estimez \
             que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la \
             CNIL (www.cnil.fr).",
            name = commune,
            unconfirmed = count(r.unconfirmed_days, "jour", "jours"),
            inactive = count(r.inactive_family_years, "an", "ans"),
            documents = r.document_months,
            messages = r.message_months,
            accounting = count(r.accounting_years, "an", "ans"),
            audit = count(r.audit_years, "an", "ans"),
        ),
        LegalPage::Accessibility => format!(
            "## État de conformité\n\n\
             La commune {name} s'engage à rendre le Portail Famille accessible (article 47 de \
             la loi du 11 février 2005). Le portail est partiellement conforme au \
             référentiel général d'amélioration de l'accessibilité (RGAA 4.1) : aucun audit \
             complet n'a encore été réalisé.\n\n\
             ## Résultats des contrôles\n\n\
             - Contrôles automatiques : chaque parcours testé (inscription, dossier, \
             réservations, factures, espace du personnel) passe les règles d'axe-core sans \
             erreur grave ou critique, sur ordinateur et sur un téléphone de 360 pixels.\n\
             - Contrôles manuels : navigation complète au clavier, lien d'évitement, titres et \
             libellés lus par un lecteur d'écran sur les parcours principaux.\n\n\
             ## Contenus non accessibles\n\n\
             - Les factures et reçus au format PDF n'ont pas été vérifiés avec un lecteur d'écran.\n\
             - Les documents déposés par les familles (photos, PDF) ne sont pas rendus accessibles.\n\n\
             ## Retour d'information et contact\n\n\
             Si vous ne pouvez pas accéder à un contenu ou à un service, écrivez à la mairie \
             ({mairie}) : une alternative accessible vous sera proposée.\n\n\
             ## Voies de recours\n\n\
             Si vous n'obtenez pas de réponse satisfaisante, vous pouvez saisir le Défenseur \
             des droits : par le formulaire en ligne (formulaire.defenseurdesdroits.fr), \
             auprès de son délégué dans votre région, ou par courrier gratuit, sans \
             affranchissement : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.",
            name = commune,
        ),
    }
}

/// One block of a page's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
}

/// Reads a page's plain text into blocks (headings, paragraphs, lists).
pub fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    for chunk in text.replace("\r\n", "\n").split("\n\n") {
        let chunk = chunk.trim();
        if chunk.is_empty() {
            continue;
        }
        if let Some(heading) = chunk.strip_prefix("## ") {
            blocks.push(Block::Heading(heading.trim().to_owned()));
        } else if chunk.starts_with("- ") {
            let items = chunk
                .lines()
                .filter_map(|l| l.trim().strip_prefix("- "))
                .map(|l| l.trim().to_owned())
                .collect();
            blocks.push(Block::List(items));
        } else {
            blocks.push(Block::Paragraph(
                chunk.split_whitespace().collect::<Vec<_>>().join(" "),
            ));
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> LegalFacts<'static> {
        LegalFacts {
            commune: "Avermes",
            address: "Place de la Mairie, 03000 Avermes",
            public_url: "https://portail.avermes.fr",
            retention: RetentionPolicy {
                inactive_family_years: 4,
                ..RetentionPolicy::default()
            },
        }
    }

    #[test]
    fn the_privacy_page_states_the_durations_the_portal_applies() {
        let text = generated(LegalPage::Privacy, &facts());
        assert!(text.contains("depuis 4 ans"), "{text}");
        assert!(text.contains("après 30 jours"), "{text}");
        assert!(text.contains("gardés 10 ans"), "{text}");
        assert!(
            text.contains("Mairie d'Avermes, Place de la Mairie"),
            "{text}"
        );
        assert!(text.contains("CNIL"));
    }

    #[test]
    fn the_accessibility_statement_names_its_level_its_gaps_and_the_defenseur() {
        let text = generated(LegalPage::Accessibility, &facts());
        for needed in [
            "partiellement conforme",
            "RGAA",
            "Contenus non accessibles",
            "Défenseur des droits",
        ] {
            assert!(text.contains(needed), "{needed}");
        }
    }

    #[test]
    fn a_text_reads_as_headings_paragraphs_and_lists() {
        let blocks = blocks("## Titre\n\nUne phrase\nsur deux lignes.\n\n- un\n- deux\n\n");
        assert_eq!(
            blocks,
            [
                Block::Heading("Titre".into()),
                Block::Paragraph("Une phrase sur deux lignes.".into()),
                Block::List(vec!["un".into(), "deux".into()]),
            ]
        );
        assert_eq!(
            LegalPage::parse("accessibilite"),
            Some(LegalPage::Accessibility)
        );
        assert_eq!(LegalPage::parse("autre"), None);
    }
}
