//! Site domains of a project (PRODUCT.md §2): `domain.ru`, `*.domain.ru` for its subdomains,
//! internationalised names such as `ромашка.рф`; and whether a browser origin belongs to them.

use crate::{Error, Result};

/// The canonical form of a domain as typed: lowercase Unicode, without scheme, port or path;
/// `*.` only in front. `localhost` and IPv4 addresses are accepted for local sites.
pub fn normalize(raw: &str) -> Result<String> {
    let bad = || {
        Error::invalid(
            "domains",
            "invalid_domain",
            format!("«{}» — не домен вида domain.ru или *.domain.ru", raw.trim()),
        )
    };
    let mut text = raw.trim().to_lowercase();
    for scheme in ["https://", "http://"] {
        if let Some(rest) = text.strip_prefix(scheme) {
            text = rest.to_owned();
        }
    }
    let text = text.trim_end_matches('/');
    let (wildcard, host) = match text.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if host == "localhost" || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return if wildcard { Err(bad()) } else { Ok(host.to_owned()) };
    }
    let ascii = idna::domain_to_ascii(host).map_err(|_| bad())?;
    let labels: Vec<&str> = ascii.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let tld_ok = labels.last().is_some_and(|t| t.chars().any(|c| c.is_ascii_alphabetic()));
    if ascii.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) || !tld_ok {
        return Err(bad());
    }
    let (unicode, _) = idna::domain_to_unicode(&ascii);
    Ok(if wildcard { format!("*.{unicode}") } else { unicode })
}

/// Normalizes a list, dropping duplicates and keeping the order.
pub fn normalize_all(raw: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for d in raw.iter().filter(|d| !d.trim().is_empty()) {
        let d = normalize(d)?;
        if !out.contains(&d) {
            out.push(d);
        }
    }
    if out.len() > 200 {
        return Err(Error::invalid("domains", "too_many_domains", "Не больше 200 доменов"));
    }
    Ok(out)
}

/// Whether a page at `origin` (`https://shop.domain.ru:8443`) is on one of the domains:
/// `domain.ru` matches itself, `*.domain.ru` matches any subdomain.
pub fn origin_allowed(domains: &[String], origin: &str) -> bool {
    let host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    let host = host.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    let Ok(host) = idna::domain_to_ascii(host) else { return false };
    domains.iter().any(|d| {
        let (wildcard, base) = match d.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, d.as_str()),
        };
        let Ok(base) = idna::domain_to_ascii(base) else { return false };
        if wildcard { host.len() > base.len() + 1 && host.ends_with(&format!(".{base}")) } else { host == base }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_forms_of_the_manual() {
        assert_eq!(normalize("Domain.RU").unwrap(), "domain.ru");
        assert_eq!(normalize(" https://shop.domain.ru/ ").unwrap(), "shop.domain.ru");
        assert_eq!(normalize("*.domain.ru").unwrap(), "*.domain.ru");
        assert_eq!(normalize("Ромашка.РФ").unwrap(), "ромашка.рф");
        assert_eq!(normalize("xn--80aa3agjl3d.xn--p1ai").unwrap(), "ромашка.рф");
        assert_eq!(normalize("test.com").unwrap(), "test.com");
        assert_eq!(normalize("localhost").unwrap(), "localhost");
        for bad in ["", "domain", "-x.ru", "a..ru", "*.", "sub.*.ru", "dom ain.ru", "x.123", "*.localhost", "a_b.ru"] {
            assert!(normalize(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn wildcards_cover_subdomains_only() {
        let domains = vec!["domain.ru".to_owned(), "*.shop.ru".to_owned(), "ромашка.рф".to_owned()];
        assert!(origin_allowed(&domains, "https://domain.ru"));
        assert!(origin_allowed(&domains, "http://domain.ru:8080"));
        assert!(!origin_allowed(&domains, "https://www.domain.ru"));
        assert!(origin_allowed(&domains, "https://a.b.shop.ru"));
        assert!(!origin_allowed(&domains, "https://shop.ru"));
        assert!(!origin_allowed(&domains, "https://evilshop.ru"));
        assert!(origin_allowed(&domains, "https://xn--80aa3agjl3d.xn--p1ai"));
        assert!(!origin_allowed(&domains, "https://domain.ru.evil.com"));
    }

    #[test]
    fn lists_drop_duplicates() {
        let got = normalize_all(&["a.ru".into(), "A.ru".into(), " ".into(), "b.ru".into()]).unwrap();
        assert_eq!(got, ["a.ru", "b.ru"]);
    }
}
