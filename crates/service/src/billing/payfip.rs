//! The real PayFiP adapter (the DGFiP's online payment service for public bodies), behind
//! `PaymentProvider`: `creerPaiementSecurise` creates the payment and answers an operation id
//! (`idOp`), the parent is sent to PayFiP's page with it, and `recupererDetailPaiementSecurise`
//! tells the result (`resultrans`: `P`/`V` paid, `R`/`Z` refused, `A` abandoned) and the
//! amount. Both are SOAP 1.1 calls to the web service, answered in XML.
//!
//! Configuration (`PORTAIL_PAYFIP_*`): the commune's `numcli` (its PayFiP client number, six
//! digits), the mode (`T` test, `X` activation, `W` production), and the service's and page's
//! addresses (the DGFiP's by default). The envelopes follow PayFiP's published contract; they
//! are checked here against a FAKE web service (tests), and must be tried in the DGFiP's
//! activation mode (`X`) before production: these machines cannot reach PayFiP.

use anyhow::{Context as _, bail, ensure};

pub use super::provider::PayfipConfig;
use super::provider::{NewOperation, ProviderResult};

/// PayFiP's web service, by default.
pub const SERVICE_URL: &str = "https://www.tipi.budget.gouv.fr/tpa/services/securite";
/// PayFiP's payment page, by default (`?idop=…`).
pub const PAGE_URL: &str = "https://www.payfip.gouv.fr/tpa/paiementws.web";

const NAMESPACE: &str = "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn envelope(operation: &str, fields: &[(&str, &str)]) -> String {
    let arguments: String = fields
        .iter()
        .map(|(name, value)| format!("<{name}>{}</{name}>", escape(value)))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:pai=\"{NAMESPACE}\"><soapenv:Header/><soapenv:Body><pai:{operation}><arg0>{arguments}</arg0></pai:{operation}></soapenv:Body></soapenv:Envelope>"
    )
}

/// `creerPaiementSecurise`'s envelope.
pub fn create_envelope(config: &PayfipConfig, operation: &NewOperation<'_>, year: i32) -> String {
    let amount = operation.amount_cents.to_string();
    let year = year.to_string();
    envelope(
        "creerPaiementSecurise",
        &[
            ("exer", &year),
            ("mel", operation.email),
            ("montant", &amount),
            ("numcli", &config.numcli),
            ("objet", "Portail Famille"),
            ("refdet", operation.reference),
            ("saisie", &config.mode),
            ("urlnotif", &config.notification_url),
            ("urlredirect", operation.return_url),
        ],
    )
}

/// `recupererDetailPaiementSecurise`'s envelope.
pub fn result_envelope(operation_id: &str) -> String {
    envelope("recupererDetailPaiementSecurise", &[("idOp", operation_id)])
}

/// The text of the first `<name>` element of an answer (namespaces ignored).
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = xml;
    while let Some((_, after)) = rest.split_once('<') {
        let (tag, body) = after.split_once('>')?;
        let local = tag.rsplit(':').next().unwrap_or(tag);
        if local == name {
            return body.split_once("</").map(|(text, _)| text.trim());
        }
        rest = body;
    }
    None
}

/// The operation id of `creerPaiementSecurise`'s answer, or the fault it says.
pub fn read_created(xml: &str) -> anyhow::Result<String> {
    if let Some(fault) = element(xml, "faultstring") {
        bail!("PayFiP refused the payment: {fault}");
    }
    let id = element(xml, "idOp").context("PayFiP's answer has no idOp")?;
    ensure!(
        !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric()),
        "PayFiP's idOp is not an identifier"
    );
    Ok(id.to_owned())
}

/// The result of `recupererDetailPaiementSecurise`'s answer (`None`: not known yet).
pub fn read_result(xml: &str) -> anyhow::Result<Option<ProviderResult>> {
    if element(xml, "faultstring").is_some() {
        // PayFiP answers a fault for an operation not finished yet.
        return Ok(None);
    }
    let amount: i64 = element(xml, "montant")
        .context("PayFiP's answer has no montant")?
        .parse()
        .context("PayFiP's montant is not a number of cents")?;
    Ok(Some(ProviderResult::from_code(
        element(xml, "resultrans"),
        amount,
    )))
}

async fn call(config: &PayfipConfig, body: String) -> anyhow::Result<String> {
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .context("an HTTP client")?;
    client
        .post(&config.service_url)
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", "")
        .body(body)
        .send()
        .await
        .context("PayFiP's web service did not answer")?
        .text()
        .await
        .context("PayFiP's answer could not be read")
}

/// Creates the payment: the operation id and the page to send the parent to.
pub async fn create(
    config: &PayfipConfig,
    operation: &NewOperation<'_>,
    year: i32,
) -> anyhow::Result<(String, String)> {
    let id = read_created(&call(config, create_envelope(config, operation, year)).await?)?;
    let page = format!("{}?idop={id}", config.page_url);
    Ok((id, page))
}

/// The operation's result at PayFiP.
pub async fn result(
    config: &PayfipConfig,
    operation_id: &str,
) -> anyhow::Result<Option<ProviderResult>> {
    read_result(&call(config, result_envelope(operation_id)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> PayfipConfig {
        PayfipConfig {
            numcli: "012345".to_owned(),
            mode: "T".to_owned(),
            service_url: SERVICE_URL.to_owned(),
            page_url: PAGE_URL.to_owned(),
            notification_url: "https://portail.example/api/v1/payments/notification".to_owned(),
        }
    }

    #[test]
    fn the_envelopes_carry_the_contracts_fields_escaped() {
        let xml = create_envelope(
            &config(),
            &NewOperation {
                amount_cents: 4204,
                reference: "2026000004",
                email: "a&b@example.fr",
                return_url: "https://portail.example/mes-factures/1",
            },
            2026,
        );
        for field in [
            "<exer>2026</exer>",
            "<montant>4204</montant>",
            "<numcli>012345</numcli>",
            "<refdet>2026000004</refdet>",
            "<saisie>T</saisie>",
            "<mel>a&amp;b@example.fr</mel>",
            "<urlnotif>https://portail.example/api/v1/payments/notification</urlnotif>",
        ] {
            assert!(xml.contains(field), "{field} in {xml}");
        }
        assert!(result_envelope("abc123").contains("<idOp>abc123</idOp>"));
    }

    #[test]
    fn answers_are_read_and_faults_said() {
        let created = "<S:Envelope xmlns:S=\"x\"><S:Body><ns2:creerPaiementSecuriseResponse xmlns:ns2=\"y\"><return><idOp>a1B2c3</idOp></return></ns2:creerPaiementSecuriseResponse></S:Body></S:Envelope>";
        assert_eq!(read_created(created).ok().as_deref(), Some("a1B2c3"));
        let fault = "<S:Envelope><S:Body><S:Fault><faultstring>numcli inconnu</faultstring></S:Fault></S:Body></S:Envelope>";
        assert!(read_created(fault).is_err());
        let paid = "<r><return><montant>4204</montant><resultrans>P</resultrans></return></r>";
        assert_eq!(
            read_result(paid).ok().flatten(),
            Some(ProviderResult::Paid { amount_cents: 4204 })
        );
        let refused = "<r><montant>4204</montant><resultrans>Z</resultrans></r>";
        assert_eq!(
            read_result(refused).ok().flatten(),
            Some(ProviderResult::Refused)
        );
        assert_eq!(read_result(fault).ok().flatten(), None);
        assert!(read_created("<idOp>../x</idOp>").is_err());
    }

    #[test]
    fn settings_are_checked() {
        assert!(config().check().is_ok());
        assert!(
            PayfipConfig {
                numcli: "12".to_owned(),
                ..config()
            }
            .check()
            .is_err()
        );
        assert!(
            PayfipConfig {
                mode: "P".to_owned(),
                ..config()
            }
            .check()
            .is_err()
        );
        assert!(
            PayfipConfig {
                service_url: "http://evil.example".to_owned(),
                ..config()
            }
            .check()
            .is_err()
        );
    }
}
