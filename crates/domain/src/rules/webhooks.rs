//! Webhooks (issue 14), pure: the events a subscription may ask for, the retry schedule, and
//! which addresses a delivery may reach (never the portal's own network: a subscription is
//! an outgoing request the server makes on an admin's word, the classic server-side request
//! forgery).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use chrono::{DateTime, Duration, Utc};

use crate::string_enum;

string_enum! {
    /// Un événement auquel un webhook peut s'abonner.
    pub enum WebhookEvent {
        DossierValidated => ("dossier.validated", "Dossier validé"),
        DossierInfoRequested => ("dossier.info_requested", "Compléments demandés sur un dossier"),
        BookingCreated => ("booking.created", "Réservation créée"),
        BookingCancelled => ("booking.cancelled", "Réservation annulée"),
        BookingRequestDecided => ("booking_request.decided", "Souhait de réservation traité"),
        InvoiceIssued => ("invoice.issued", "Facture émise"),
        PaymentReceived => ("payment.received", "Paiement reçu"),
    }
}

string_enum! {
    /// L'état d'un envoi de webhook.
    pub enum DeliveryStatus {
        Pending => ("pending", "En attente"),
        Delivered => ("delivered", "Remis"),
        Failed => ("failed", "Échec"),
    }
}

/// How long a delivery is retried before it is marked failed.
pub const RETRY_FOR_HOURS: i64 = 24;
/// How long the receiver has to answer.
pub const TIMEOUT_SECS: u64 = 10;

/// When to try again after `attempts` failed ones: 30 s, 1 min, 2 min… doubling up to an
/// hour; `None` once the next try would fall more than 24 hours after the event (failed).
pub fn next_attempt(
    created_at: DateTime<Utc>,
    attempts: i32,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let exponent = u32::try_from(attempts.clamp(1, 8).saturating_sub(1)).unwrap_or(7);
    let wait = Duration::seconds(
        30_i64
            .saturating_mul(2_i64.saturating_pow(exponent))
            .min(3600),
    );
    let next = now.checked_add_signed(wait)?;
    let deadline = created_at.checked_add_signed(Duration::hours(RETRY_FOR_HOURS))?;
    (next <= deadline).then_some(next)
}

/// May a delivery connect to this address? Only public unicast addresses: no loopback,
/// private, shared (CGNAT), link-local, unique-local, multicast, documentation, benchmark or
/// reserved range, and IPv6 forms of IPv4 addresses are judged as the IPv4 address.
pub fn is_public_address(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..=127).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..=19).contains(&b))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let segments = ip.segments();
    // NAT64 (64:ff9b::/96) and the deprecated IPv4-compatible form carry an IPv4 address.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] || segments[..6] == [0, 0, 0, 0, 0, 0] {
        let [a, b] = segments[6].to_be_bytes();
        let [c, d] = segments[7].to_be_bytes();
        return !ip.is_unspecified()
            && !ip.is_loopback()
            && is_public_v4(Ipv4Addr::new(a, b, c, d));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (segments[0] & 0xfe00) == 0xfc00
        || (segments[0] & 0xffc0) == 0xfe80
        || (segments[0] == 0x2001 && segments[1] == 0x0db8)
        || (segments[0] == 0x2001 && segments[1] < 0x0200))
}

/// Where a webhook may point: `https://`, or `http://` to this machine in a test build;
/// no credentials in the address; an address given as an IP must be a public one (names are
/// resolved and checked at each delivery, since what they point to can change).
pub fn check_url(raw: &str, allow_private: bool) -> Result<url::Url, crate::parse::InvalidValue> {
    let invalid =
        |message: &str| crate::parse::InvalidValue::new("invalid_url", message.to_owned());
    let raw = raw.trim();
    if raw.len() > 2000 {
        return Err(crate::parse::InvalidValue::new(
            "too_long",
            "2 000 caractères au plus.",
        ));
    }
    let url = url::Url::parse(raw)
        .map_err(|_| invalid("Indiquez une adresse complète, commençant par https://."))?;
    let local_host = matches!(
        url.host(),
        Some(url::Host::Domain("localhost"))
            | Some(url::Host::Ipv4(std::net::Ipv4Addr::LOCALHOST))
            | Some(url::Host::Ipv6(std::net::Ipv6Addr::LOCALHOST))
    );
    match url.scheme() {
        "https" => {}
        "http" if allow_private && local_host => {}
        _ => return Err(invalid("L'adresse doit commencer par https://.")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "L'adresse ne doit pas contenir d'identifiant ni de mot de passe.",
        ));
    }
    let literal = match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        Some(url::Host::Domain(_)) => None,
        None => return Err(invalid("Indiquez le nom du serveur.")),
    };
    if let Some(ip) = literal
        && !allow_private
        && !is_public_address(ip)
    {
        return Err(invalid(
            "Cette adresse est celle d'un réseau privé : les webhooks ne partent que vers Internet.",
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> bool {
        is_public_address(text.parse().expect("an address"))
    }

    #[test]
    fn the_portals_own_networks_are_never_reached() {
        for private in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.10",
            "198.18.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "::127.0.0.1",
        ] {
            assert!(!public(private), "{private} must be refused");
        }
        for open in [
            "8.8.8.8",
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "2a00:1450:4007::1",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(public(open), "{open} is public");
        }
    }

    #[test]
    fn retries_double_and_stop_after_a_day() {
        let start = DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z")
            .expect("a date")
            .with_timezone(&Utc);
        let waits: Vec<i64> = (1..=9)
            .map(|attempts| {
                next_attempt(start, attempts, start)
                    .map(|t| (t - start).num_seconds())
                    .unwrap_or(-1)
            })
            .collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        let late = start + Duration::hours(23) + Duration::minutes(30);
        assert_eq!(next_attempt(start, 9, late), None);
        let mut now = start;
        let mut attempts = 0;
        while let Some(next) = next_attempt(start, attempts + 1, now) {
            attempts += 1;
            now = next;
        }
        assert!(
            attempts > 20 && attempts < 40,
            "{attempts} attempts in a day"
        );
        assert!(now - start <= Duration::hours(24));
    }

    #[test]
    fn every_event_has_its_code() {
        assert_eq!(
            WebhookEvent::parse("booking.created"),
            Some(WebhookEvent::BookingCreated)
        );
        assert_eq!(WebhookEvent::ALL.len(), 7);
    }

    #[test]
    fn only_https_to_public_hosts() {
        assert!(check_url("https://compta.example.fr/hooks", false).is_ok());
        for refused in [
            "http://compta.example.fr/hooks",
            "https://127.0.0.1/x",
            "https://10.0.0.8/x",
            "https://[::1]/x",
            "https://user:pass@compta.example.fr/",
            "ftp://compta.example.fr/",
            "compta.example.fr",
            "https://169.254.169.254/latest/meta-data",
        ] {
            assert!(check_url(refused, false).is_err(), "{refused}");
        }
        assert!(check_url("http://localhost:8080/x", true).is_ok());
        assert!(check_url("http://127.0.0.1:8080/x", true).is_ok());
        assert!(check_url("http://example.fr/x", true).is_err());
    }
}
