//! What one run of the retention job did, and its one French line for the audit log.

/// What one run of the retention job did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub unconfirmed_erased: u64,
    pub inactive_erased: u64,
    /// Inactive families kept because they owe money or have a request open.
    pub inactive_kept: u64,
    pub documents_deleted: u64,
    pub audit_rows_deleted: u64,
    pub invoices_anonymised: u64,
    pub payments_anonymised: u64,
    pub orphan_files_removed: u64,
    /// Appointments (a caller's name, phone, reason) of days long past, and their slots.
    pub appointments_deleted: u64,
    /// Conversations with a service whose last message is past the duration (files too).
    pub conversations_deleted: u64,
}

impl Report {
    /// One line for the audit log and the command line.
    pub fn summary_fr(&self) -> String {
        use portail_domain::format::count;
        format!(
            "{} ; {} ; {} (dettes ou demandes en cours) ; {} ; {} ; {} et {} anonymisés ; {} ; {} ; {}",
            count(
                self.unconfirmed_erased,
                "compte jamais confirmé supprimé",
                "comptes jamais confirmés supprimés"
            ),
            count(
                self.inactive_erased,
                "famille inactive supprimée",
                "familles inactives supprimées"
            ),
            count(
                self.inactive_kept,
                "famille inactive gardée",
                "familles inactives gardées"
            ),
            count(
                self.documents_deleted,
                "document refusé ou remplacé supprimé",
                "documents refusés ou remplacés supprimés"
            ),
            count(
                self.audit_rows_deleted,
                "ligne du journal d'audit supprimée",
                "lignes du journal d'audit supprimées"
            ),
            count(self.invoices_anonymised, "facture", "factures"),
            count(self.payments_anonymised, "paiement", "paiements"),
            count(
                self.orphan_files_removed,
                "fichier orphelin retiré",
                "fichiers orphelins retirés"
            ),
            count(
                self.appointments_deleted,
                "rendez-vous passé supprimé",
                "rendez-vous passés supprimés"
            ),
            count(
                self.conversations_deleted,
                "conversation ancienne supprimée",
                "conversations anciennes supprimées"
            ),
        )
    }
}
