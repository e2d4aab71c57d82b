//! The family file (dossier): the vocabulary of its sections, and its rules
//! (`rules/dossier.rs`).

use crate::string_enum;

string_enum! {
    /// Situation familiale.
    pub enum FamilySituation {
        Married => ("marie", "Marié ou mariée"),
        CivilUnion => ("pacs", "Pacsé ou pacsée"),
        Cohabiting => ("union_libre", "Union libre"),
        Single => ("celibataire", "Célibataire"),
        Separated => ("separe", "Séparé ou séparée"),
        Divorced => ("divorce", "Divorcé ou divorcée"),
        Widowed => ("veuf", "Veuf ou veuve"),
    }
}

string_enum! {
    /// Régime d'allocations familiales.
    pub enum AllocationRegime {
        Caf => ("caf", "CAF"),
        Msa => ("msa", "MSA"),
        Other => ("autre", "Autre"),
    }
}

string_enum! {
    /// Qui paie les factures.
    pub enum InvoicePayer {
        AccountHolder => ("titulaire", "Le titulaire du compte"),
        SecondGuardian => ("second_responsable", "Le second responsable légal"),
        Both => ("les_deux", "Les deux responsables"),
    }
}

string_enum! {
    /// Sexe de l'enfant.
    pub enum Sex {
        Girl => ("fille", "Fille"),
        Boy => ("garcon", "Garçon"),
    }
}

string_enum! {
    /// Régime alimentaire.
    pub enum Diet {
        Standard => ("aucun", "Aucun régime particulier"),
        NoPork => ("sans_porc", "Sans porc"),
        Vegetarian => ("vegetarien", "Végétarien"),
        PaiPackedLunch => ("panier_repas_pai", "Panier-repas (PAI)"),
    }
}

string_enum! {
    /// Type de pièce justificative.
    pub enum DocumentType {
        ProofOfAddress => ("justificatif_domicile", "Justificatif de domicile"),
        CafCertificate => ("attestation_caf_qf", "Attestation CAF / quotient familial"),
        TaxNotice => ("avis_imposition", "Avis d'imposition"),
        VaccinationRecord => ("carnet_vaccination", "Carnet de vaccination"),
        InsuranceCertificate => ("attestation_assurance", "Attestation d'assurance"),
        CustodyJudgement => ("jugement_garde", "Jugement de garde"),
        Pai => ("pai", "Projet d'accueil individualisé (PAI)"),
        Other => ("autre", "Autre document"),
    }
}

string_enum! {
    /// État d'une pièce justificative.
    pub enum DocumentStatus {
        Pending => ("en_attente", "En attente de vérification"),
        Accepted => ("accepte", "Acceptée"),
        Refused => ("refuse", "Refusée"),
    }
}

string_enum! {
    /// Ce qui arrive à un dossier (son historique).
    pub enum DossierEventKind {
        Submitted => ("submitted", "Dossier envoyé"),
        Resubmitted => ("resubmitted", "Dossier renvoyé après complément"),
        Validated => ("validated", "Dossier validé"),
        InfoRequested => ("info_requested", "Complément d'information demandé"),
        ReverificationStarted => ("reverification_started", "Vérification annuelle demandée"),
        ReverificationConfirmed => ("reverification_confirmed", "Informations confirmées pour la nouvelle année"),
        DocumentAccepted => ("document_accepted", "Pièce acceptée"),
        DocumentRefused => ("document_refused", "Pièce refusée"),
        DeletionRequested => ("deletion_requested", "Suppression du compte demandée"),
        PreRegistration => ("preregistration", "Préinscription en crèche"),
        ActingStarted => ("acting_started", "Un agent agit pour la famille (aide aux démarches)"),
    }
}
