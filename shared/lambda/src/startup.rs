//! A function's start-up in Lambda: the AWS adapters from the environment and the settings,
//! which must be complete there. Without `PUBLIC_URL` mails and the embed snippet would point
//! at localhost and the session cookie would lose `Secure`, so a function refuses to start
//! instead, and says which variable is missing; so does a function that reads or writes
//! integration secrets without the KMS key of their data key (`KMS_KEY_ID`).

use beseda_domain::keyring::{self, Access, Keyring};
use beseda_domain::{App, Settings};

/// The settings from a variable lookup: `PUBLIC_URL` (an absolute http(s) URL) and
/// `MAIL_FROM` are required. They hold no keyring: [`app_from_env`] adds it.
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
    Ok(Settings { public_url, mail_from, secrets: None })
}

/// The KMS key (id, ARN or alias) that wraps the data key, for a function with `secrets`
/// access: `KMS_KEY_ID` is then required; None for a function that touches no secrets.
pub fn kms_key_from(var: impl Fn(&str) -> Option<String>, secrets: Option<Access>) -> Result<Option<String>, String> {
    if secrets.is_none() {
        return Ok(None);
    }
    match var("KMS_KEY_ID").map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
        Some(id) => Ok(Some(id)),
        None => Err("the environment variable KMS_KEY_ID is not set: the template passes it to the functions \
                     that read or write integration secrets"
            .into()),
    }
}

/// The adapters and settings of a function, once per cold start. `secrets`: whether the
/// function reads (`Open`) or also saves (`Create`) integration secrets; None when it
/// touches none, and then it has no keyring and no KMS client. A function with a keyring
/// unwraps the stored data key here (a failure is logged, and tried again on first need).
pub async fn app_from_env(secrets: Option<Access>) -> Result<App, String> {
    let var = |name: &str| std::env::var(name).ok();
    let mut settings = settings_from(var)?;
    let key_id = kms_key_from(var, secrets)?;
    settings.secrets = secrets.map(Keyring::new);
    let app = App { ports: beseda_aws::ports_from_env(key_id.as_deref()).await?, settings };
    if let Err(e) = keyring::preload(&app).await {
        tracing::warn!(error = %e, "the data key of integration secrets could not be unwrapped at start");
    }
    Ok(app)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn a_function_with_secrets_needs_the_kms_key_and_the_others_do_not() {
        for access in [Access::Open, Access::Create] {
            let err = kms_key_from(lookup(&[]), Some(access)).unwrap_err();
            assert!(err.contains("KMS_KEY_ID is not set"), "{err}");
            let err = kms_key_from(lookup(&[("KMS_KEY_ID", " ")]), Some(access)).unwrap_err();
            assert!(err.contains("KMS_KEY_ID is not set"), "{err}");
            let id = kms_key_from(lookup(&[("KMS_KEY_ID", "alias/beseda-secrets")]), Some(access)).unwrap();
            assert_eq!(id.as_deref(), Some("alias/beseda-secrets"));
        }
        assert_eq!(kms_key_from(lookup(&[("KMS_KEY_ID", "k")]), None).unwrap(), None);
        assert_eq!(kms_key_from(lookup(&[]), None).unwrap(), None);
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
        assert!(s.secrets.is_none());
    }
}
