//! A function's start-up in Lambda: the AWS adapters from the environment and the settings,
//! which must be complete there. Without `PUBLIC_URL` mails and the embed snippet would point
//! at localhost and the session cookie would lose `Secure`, so a function refuses to start
//! instead, and says which variable is missing; so does one without the key that encrypts
//! integration secrets (`BESEDA_SECRET_KEY`).

use beseda_domain::secrets::SecretKey;
use beseda_domain::{App, Settings};

/// The settings from a variable lookup: `PUBLIC_URL` (an absolute http(s) URL), `MAIL_FROM`
/// and `BESEDA_SECRET_KEY` (32 bytes of URL-safe base64) are required.
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
    let mail_from = required("MAIL_FROM")?;
    let secret_key = SecretKey::parse(required("BESEDA_SECRET_KEY")?.trim())
        .ok_or("BESEDA_SECRET_KEY must be 32 bytes in URL-safe base64 without padding (43 characters)")?;
    Ok(Settings { public_url, mail_from, secret_key: Some(secret_key) })
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

    const KEY: (&str, &str) = ("BESEDA_SECRET_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY");

    #[test]
    fn the_secret_key_is_required_and_must_be_a_key() {
        let base = [("PUBLIC_URL", "https://chat.example.ru"), ("MAIL_FROM", "a@b.ru")];
        let err = settings_from(lookup(&base)).unwrap_err();
        assert!(err.contains("BESEDA_SECRET_KEY is not set"), "{err}");
        let err = settings_from(lookup(&[base[0], base[1], ("BESEDA_SECRET_KEY", "short")])).unwrap_err();
        assert!(err.contains("BESEDA_SECRET_KEY must be"), "{err}");
        assert!(settings_from(lookup(&[base[0], base[1], KEY])).unwrap().secret_key.is_some());
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
        let s =
            settings_from(lookup(&[("PUBLIC_URL", "https://chat.example.ru/"), ("MAIL_FROM", "a@b.ru"), KEY])).unwrap();
        assert_eq!(s.public_url, "https://chat.example.ru");
        assert_eq!(s.mail_from, "a@b.ru");
    }
}
