//! The caller's IP address, for the per-IP limits, the login throttle and the IP blacklist.
//!
//! The edge that accepted the connection puts [`PeerAddr`] into the request's extensions: the
//! Lambda glue from API Gateway's `requestContext.http.sourceIp`, the local runner from the
//! socket peer. `X-Forwarded-For` is believed only when that peer is a trusted proxy (the CIDR
//! list in `TRUSTED_PROXIES`, empty by default), and then only up to the first address that is
//! not itself a trusted proxy, so a caller cannot choose the address it is counted under.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use ipnet::IpNet;
use std::net::IpAddr;
use std::sync::OnceLock;

/// The address of the peer that opened the connection, as the edge saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub IpAddr);

/// The caller's address as text, `unknown` when no edge named a peer.
pub struct ClientIp(pub String);

/// The proxies whose `X-Forwarded-For` is believed: `TRUSTED_PROXIES`, comma-separated CIDRs
/// or addresses. An entry that does not parse stops the process at first use: a typo must not
/// silently trust nobody or everybody.
fn trusted_proxies() -> &'static [IpNet] {
    static TRUSTED: OnceLock<Vec<IpNet>> = OnceLock::new();
    TRUSTED.get_or_init(|| {
        let list = std::env::var("TRUSTED_PROXIES").unwrap_or_default();
        parse_proxies(&list).unwrap_or_else(|e| panic!("TRUSTED_PROXIES: {e}"))
    })
}

/// Parses a comma-separated list of CIDRs or single addresses.
pub fn parse_proxies(list: &str) -> Result<Vec<IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{s:?} is neither an IP address nor a CIDR"))
        })
        .collect()
}

/// The client behind `peer`: the peer itself unless it is a trusted proxy; then the
/// right-most `X-Forwarded-For` entry that is not a trusted proxy (entries to its left were
/// written by the client and prove nothing).
pub fn resolve(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    for entry in forwarded_for.unwrap_or_default().rsplit(',') {
        let Ok(ip) = entry.trim().parse::<IpAddr>() else { break };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(PeerAddr(peer)) = parts.extensions.get::<PeerAddr>().copied() else {
            return Ok(ClientIp("unknown".into()));
        };
        let forwarded = parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
        Ok(ClientIp(resolve(peer, forwarded, trusted_proxies()).to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let trusted = parse_proxies("10.0.0.0/8").unwrap();
        assert_eq!(resolve(ip("203.0.113.9"), Some("198.51.100.1"), &trusted), ip("203.0.113.9"));
        assert_eq!(resolve(ip("203.0.113.9"), None, &[]), ip("203.0.113.9"));
    }

    #[test]
    fn a_trusted_proxy_names_the_client_but_a_forged_entry_does_not_count() {
        let trusted = parse_proxies("10.0.0.0/8, 192.0.2.7").unwrap();
        assert_eq!(resolve(ip("10.1.2.3"), Some("198.51.100.1"), &trusted), ip("198.51.100.1"));
        // The client wrote 1.1.1.1 itself; the proxy appended the address it saw.
        assert_eq!(resolve(ip("10.1.2.3"), Some("1.1.1.1, 198.51.100.1"), &trusted), ip("198.51.100.1"));
        // Two trusted hops.
        assert_eq!(resolve(ip("10.1.2.3"), Some("1.1.1.1, 198.51.100.1, 192.0.2.7"), &trusted), ip("198.51.100.1"));
        // A trusted proxy that forwards nothing usable is itself the client.
        assert_eq!(resolve(ip("10.1.2.3"), None, &trusted), ip("10.1.2.3"));
        assert_eq!(resolve(ip("10.1.2.3"), Some("garbage"), &trusted), ip("10.1.2.3"));
    }

    #[test]
    fn the_proxy_list_is_parsed_strictly() {
        assert_eq!(parse_proxies("").unwrap(), vec![]);
        assert_eq!(parse_proxies("::1, 10.0.0.0/8").unwrap().len(), 2);
        assert!(parse_proxies("10.0.0.0/8, localhost").unwrap_err().contains("localhost"));
    }

    #[tokio::test]
    async fn the_extractor_reads_the_peer_and_ignores_a_forged_header() {
        let mut req = axum::http::Request::builder().header("x-forwarded-for", "1.1.1.1").body(()).unwrap();
        req.extensions_mut().insert(PeerAddr(ip("203.0.113.9")));
        let (mut parts, ()) = req.into_parts();
        let ClientIp(got) = ClientIp::from_request_parts(&mut parts, &()).await.unwrap();
        assert_eq!(got, "203.0.113.9");
        let (mut parts, ()) = axum::http::Request::builder().body(()).unwrap().into_parts();
        let ClientIp(got) = ClientIp::from_request_parts(&mut parts, &()).await.unwrap();
        assert_eq!(got, "unknown");
    }
}
