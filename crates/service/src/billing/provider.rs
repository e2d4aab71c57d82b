//! What the rest of the portal knows of the online-payment provider: which one is
//! configured (`Provider`, held by the context), PayFiP's settings, and the shapes a provider
//! is called with and answers. Nothing here calls a provider (`online.rs`, `payfip.rs` do).

use anyhow::ensure;

/// What the provider says of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderResult {
    /// Not finished at the provider yet.
    Pending,
    /// PayFiP's `P` or `V`: paid.
    Paid { amount_cents: i64 },
    /// `R` or `Z`: refused.
    Refused,
    /// `A`: abandoned by the payer.
    Abandoned,
}

impl ProviderResult {
    /// From PayFiP's `resultrans` code.
    pub fn from_code(code: Option<&str>, amount_cents: i64) -> Self {
        match code {
            Some("P" | "V") => Self::Paid { amount_cents },
            Some("R" | "Z") => Self::Refused,
            Some("A") => Self::Abandoned,
            _ => Self::Pending,
        }
    }
}

/// A payment to create at the provider.
pub struct NewOperation<'a> {
    pub amount_cents: i64,
    /// At most 30 letters and digits (PayFiP's `refdet`).
    pub reference: &'a str,
    pub email: &'a str,
    /// Where the provider sends the parent back.
    pub return_url: &'a str,
}

/// Which provider this deployment uses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Provider {
    /// No online payment: « Payer en ligne » is not offered.
    #[default]
    Off,
    /// The FAKE provider (demo and tests only).
    Fake,
    /// The DGFiP's PayFiP (`billing::payfip`).
    Payfip(std::sync::Arc<PayfipConfig>),
}

impl Provider {
    /// From `PORTAIL_PAYMENT_PROVIDER`: empty or `off`, `fake`, or `payfip` (with its
    /// settings, checked).
    pub fn parse(text: &str, payfip: impl FnOnce() -> PayfipConfig) -> anyhow::Result<Self> {
        match text.trim() {
            "" | "off" => Ok(Self::Off),
            "fake" => Ok(Self::Fake),
            "payfip" => {
                let config = payfip();
                config.check()?;
                Ok(Self::Payfip(std::sync::Arc::new(config)))
            }
            other => anyhow::bail!(
                "PORTAIL_PAYMENT_PROVIDER vaut «\u{a0}off\u{a0}», «\u{a0}fake\u{a0}» ou «\u{a0}payfip\u{a0}» (reçu : «\u{a0}{other}\u{a0}»)"
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayfipConfig {
    pub numcli: String,
    /// `T` (test), `X` (activation) or `W` (production).
    pub mode: String,
    pub service_url: String,
    pub page_url: String,
    /// Where PayFiP calls back (`…/api/v1/payments/notification`).
    pub notification_url: String,
}

impl PayfipConfig {
    /// Checks the settings, in French for the administrator who sets them.
    pub fn check(&self) -> anyhow::Result<()> {
        ensure!(
            self.numcli.len() == 6 && self.numcli.bytes().all(|b| b.is_ascii_digit()),
            "PORTAIL_PAYFIP_NUMCLI : le numéro client PayFiP de la commune, six chiffres (reçu : «\u{a0}{}\u{a0}»)",
            self.numcli
        );
        ensure!(
            matches!(self.mode.as_str(), "T" | "X" | "W"),
            "PORTAIL_PAYFIP_MODE vaut T (test), X (activation) ou W (production) (reçu : «\u{a0}{}\u{a0}»)",
            self.mode
        );
        for (name, url) in [
            ("PORTAIL_PAYFIP_SERVICE_URL", &self.service_url),
            ("PORTAIL_PAYFIP_PAGE_URL", &self.page_url),
        ] {
            ensure!(
                url.starts_with("https://") || url.starts_with("http://127.0.0.1"),
                "{name} doit commencer par https:// (reçu : «\u{a0}{url}\u{a0}»)"
            );
        }
        Ok(())
    }
}
