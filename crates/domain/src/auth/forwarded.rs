//! The client's address behind reverse proxies: never the caller's to choose.
//!
//! Each proxy appends the address it received the request from to `X-Forwarded-For`, so only
//! the entries on the right, added by proxies the portal trusts, are true; anything to the left
//! of them was written by the client. The client's address is the right-most entry that is not
//! a trusted proxy's. A request that does not come from a trusted proxy keeps its peer address
//! whatever header it carries.

use std::net::IpAddr;

use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` entries are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Addresses or networks separated by commas: `127.0.0.1, 10.0.0.0/8, ::1`. An error names
    /// the entry that is neither, in French.
    pub fn parse(text: &str) -> Result<Self, String> {
        text.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!(
                            "«\u{a0}{entry}\u{a0}» n'est ni une adresse IP ni un réseau (ex. 10.0.0.0/8)"
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|net| net.contains(&address))
    }
}

/// An IPv4 address written as IPv6 (`::ffff:10.0.0.1`, how a dual-stack socket reports it)
/// compares as the IPv4 address it is.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        IpAddr::V4(_) => address,
    }
}

/// The client's address: `peer` unless it is a trusted proxy; then, walking `X-Forwarded-For`
/// from the right, the first entry that is not a trusted proxy. An entry that is not an address
/// ends the walk at the last trusted hop (what lies further left was written by the client).
pub fn client_address(
    peer: IpAddr,
    forwarded_for: Option<&str>,
    trusted: &TrustedProxies,
) -> IpAddr {
    if !trusted.contains(peer) {
        return canonical(peer);
    }
    let mut client = canonical(peer);
    for entry in forwarded_for.unwrap_or_default().rsplit(',') {
        let Ok(address) = entry.trim().parse::<IpAddr>() else {
            return client;
        };
        client = canonical(address);
        if !trusted.contains(client) {
            return client;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn proxies(text: &str) -> TrustedProxies {
        TrustedProxies::parse(text).expect("valid")
    }

    #[test]
    fn the_right_most_untrusted_entry_is_the_client() {
        let trusted = proxies("127.0.0.1, 10.0.0.0/8");
        // nginx on 127.0.0.1 appended the client's address; the client wrote the first entry.
        assert_eq!(
            client_address(ip("127.0.0.1"), Some("6.6.6.6, 203.0.113.7"), &trusted),
            ip("203.0.113.7")
        );
        // Two proxies: the load balancer (10.1.1.1) and nginx.
        assert_eq!(
            client_address(
                ip("127.0.0.1"),
                Some("1.2.3.4, 203.0.113.7, 10.1.1.1"),
                &trusted
            ),
            ip("203.0.113.7")
        );
        // Rotating the forged entry changes nothing.
        for forged in ["1.1.1.1", "2.2.2.2", "127.0.0.1", "garbage", ""] {
            assert_eq!(
                client_address(
                    ip("127.0.0.1"),
                    Some(&format!("{forged}, 203.0.113.7")),
                    &trusted
                ),
                ip("203.0.113.7"),
                "{forged}"
            );
        }
    }

    #[test]
    fn a_request_not_from_a_trusted_proxy_keeps_its_own_address() {
        let trusted = proxies("127.0.0.1");
        assert_eq!(
            client_address(ip("198.51.100.9"), Some("203.0.113.7"), &trusted),
            ip("198.51.100.9")
        );
        assert_eq!(
            client_address(ip("127.0.0.1"), Some("1.2.3.4"), &TrustedProxies::default()),
            ip("127.0.0.1"),
            "no proxy trusted: the header is ignored"
        );
    }

    #[test]
    fn no_header_or_a_garbled_one_stops_at_the_last_trusted_hop() {
        let trusted = proxies("127.0.0.1");
        assert_eq!(
            client_address(ip("127.0.0.1"), None, &trusted),
            ip("127.0.0.1")
        );
        assert_eq!(
            client_address(ip("127.0.0.1"), Some("203.0.113.7, nonsense"), &trusted),
            ip("127.0.0.1")
        );
        assert_eq!(
            client_address(ip("::ffff:127.0.0.1"), Some("203.0.113.7"), &trusted),
            ip("203.0.113.7"),
            "an IPv4-mapped peer is the IPv4 proxy"
        );
    }

    #[test]
    fn the_setting_says_which_entry_is_wrong() {
        assert!(TrustedProxies::parse("").expect("empty").is_empty());
        assert!(proxies("::1, 192.168.0.0/16").contains(ip("192.168.4.5")));
        let error = TrustedProxies::parse("127.0.0.1, proxy.local").expect_err("a name");
        assert!(error.contains("proxy.local"), "{error}");
    }
}
