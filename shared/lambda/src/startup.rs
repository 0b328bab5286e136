//! A function's start-up in Lambda: the AWS adapters from the environment and the settings,
//! which must be complete there. Without `PUBLIC_URL` mails and the embed snippet would point
//! at localhost and the session cookie would lose `Secure`, so a function refuses to start
//! instead, and says which variable is missing.

use beseda_domain::{App, Settings};

/// The settings from a variable lookup: `PUBLIC_URL` (an absolute http(s) URL) and
/// `MAIL_FROM` are required.
pub fn settings_from(var: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
    let required = |name: &str| {
        var(name).filter(|v| !v.trim().is_empty()).ok_or_else(|| {
            format!("the environment variable {name} is not set: the template passes it to every function")
        })
    };
    let public_url = required("PUBLIC_URL")?.trim().trim_end_matches('/').to_owned();
    let host = public_url.strip_prefix("https://").or_else(|| public_url.strip_prefix("http://"));
    if host.is_none_or(|h| h.is_empty() || h.contains(['/', '?', '#', ' '])) {
        return Err(format!(
            "PUBLIC_URL must be the cabinet's base URL like https://chat.example.ru, not {public_url:?}"
        ));
    }
    Ok(Settings { public_url, mail_from: required("MAIL_FROM")? })
}

/// The adapters and settings of a function, once per cold start.
pub async fn app_from_env() -> Result<App, String> {
    let settings = settings_from(|name| std::env::var(name).ok())?;
    Ok(App { ports: beseda_aws::ports_from_env().await?, settings })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn public_url_and_sender_are_required() {
        let err = settings_from(lookup(&[("MAIL_FROM", "a@b.ru")])).unwrap_err();
        assert!(err.contains("PUBLIC_URL is not set"), "{err}");
        let err = settings_from(lookup(&[("PUBLIC_URL", ""), ("MAIL_FROM", "a@b.ru")])).unwrap_err();
        assert!(err.contains("PUBLIC_URL is not set"), "{err}");
        let err = settings_from(lookup(&[("PUBLIC_URL", "https://chat.example.ru")])).unwrap_err();
        assert!(err.contains("MAIL_FROM is not set"), "{err}");
    }

    #[test]
    fn public_url_must_be_a_base_url() {
        for bad in ["chat.example.ru", "https://", "ftp://x.ru", "https://x.ru/cabinet"] {
            let err = settings_from(lookup(&[("PUBLIC_URL", bad), ("MAIL_FROM", "a@b.ru")])).unwrap_err();
            assert!(err.contains("PUBLIC_URL must be"), "{bad}: {err}");
        }
        let s = settings_from(lookup(&[("PUBLIC_URL", "https://chat.example.ru/"), ("MAIL_FROM", "a@b.ru")])).unwrap();
        assert_eq!(s.public_url, "https://chat.example.ru");
        assert_eq!(s.mail_from, "a@b.ru");
    }
}
