//! Sending e-mail: over SMTP when `PORTAIL_SMTP_URL` is set, otherwise as `.eml` files in the
//! outbox folder (so a demo works without any mail server).

use std::path::{Path, PathBuf};

use anyhow::Context;
use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// An e-mail to send: French text, and optionally the same as HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Files {
        transport: AsyncFileTransport<Tokio1Executor>,
        dir: PathBuf,
        from: Mailbox,
    },
}

impl Mailer {
    /// `smtp_url` like `smtp://localhost:25`, `smtp://user:pass@host:587?tls=required` or
    /// `smtps://host`; `None` writes `.eml` files under `outbox_dir`.
    pub fn new(smtp_url: Option<&str>, outbox_dir: &Path, from: &str) -> anyhow::Result<Self> {
        let from: Mailbox = from
            .parse()
            .with_context(|| format!("l'adresse d'expédition «\u{a0}{from}\u{a0}» est invalide"))?;
        match smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("PORTAIL_SMTP_URL est invalide (exemple : smtp://localhost:25)")?
                    .timeout(Some(std::time::Duration::from_secs(10)))
                    .build();
                Ok(Self::Smtp { transport, from })
            }
            None => {
                std::fs::create_dir_all(outbox_dir).with_context(|| {
                    format!("impossible de créer le dossier {}", outbox_dir.display())
                })?;
                Ok(Self::Files {
                    transport: AsyncFileTransport::<Tokio1Executor>::new(outbox_dir),
                    dir: outbox_dir.to_owned(),
                    from,
                })
            }
        }
    }

    /// Where mail goes, for the startup log line.
    pub fn describe(&self) -> String {
        match self {
            Self::Smtp { .. } => "SMTP".to_owned(),
            Self::Files { dir, .. } => format!("fichiers .eml dans {}", dir.display()),
        }
    }

    pub async fn send(&self, email: &OutgoingEmail) -> anyhow::Result<()> {
        let from = match self {
            Self::Smtp { from, .. } | Self::Files { from, .. } => from.clone(),
        };
        let message = build_message(from, email)?;
        match self {
            Self::Smtp { transport, .. } => {
                transport
                    .send(message)
                    .await
                    .context("Failed to send an e-mail over SMTP")?;
            }
            Self::Files { transport, dir, .. } => {
                let id = transport
                    .send(message)
                    .await
                    .context("Failed to write an e-mail to the outbox folder")?;
                tracing::info!(file = %dir.join(format!("{id}.eml")).display(), "e-mail written to the outbox folder");
            }
        }
        Ok(())
    }
}

fn build_message(from: Mailbox, email: &OutgoingEmail) -> anyhow::Result<Message> {
    let to: Mailbox = email
        .to
        .parse()
        .with_context(|| "Failed to parse a recipient address")?;
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.clone());
    let message = match &email.html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            html.clone(),
        )),
        None => builder
            .header(ContentType::TEXT_PLAIN)
            .body(email.text.clone()),
    };
    message.context("Failed to build an e-mail")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_has_a_text_and_an_html_part() {
        let email = OutgoingEmail {
            to: "marie@exemple.fr".into(),
            subject: "Bienvenue".into(),
            text: "Bonjour".into(),
            html: Some("<p>Bonjour</p>".into()),
        };
        let from: Mailbox = "Portail <portail@exemple.fr>".parse().expect("mailbox");
        let raw = String::from_utf8(build_message(from, &email).expect("built").formatted())
            .expect("utf8");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("text/html"), "{raw}");
        assert!(raw.contains("To: marie@exemple.fr"), "{raw}");
    }

    #[test]
    fn a_malformed_smtp_url_is_refused_with_the_variable_name() {
        let dir = std::env::temp_dir();
        let error = Mailer::new(Some("ftp://nope"), &dir, "p@exemple.fr")
            .err()
            .expect("refused");
        assert!(format!("{error:#}").contains("PORTAIL_SMTP_URL"));
    }
}
