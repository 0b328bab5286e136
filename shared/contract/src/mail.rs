//! Cases for the mail port.

use beseda_ports::mail::{Mail, MailError, Mailer};
use futures::future::BoxFuture;
use std::sync::Arc;

/// What the test reads back of a sent mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub to: Vec<String>,
    pub subject: String,
    /// The text part, as sent.
    pub text: String,
}

pub struct Fixture {
    pub mailer: Arc<dyn Mailer>,
    /// Every mail sent so far, read from where the adapter put it.
    pub sent: Box<dyn Fn() -> BoxFuture<'static, Vec<Sent>> + Send + Sync>,
}

fn mail(to: &str) -> Mail {
    Mail {
        from: "Беседа <noreply@beseda.example>".into(),
        to: vec![to.into()],
        subject: "Доступ к проекту «Ромашка»".into(),
        text: "Логин: anna@example.com\nПароль: Kx7-p2Lm".into(),
        html: Some("<p>Логин: anna@example.com</p>".into()),
    }
}

pub async fn sends_text_and_html(f: Fixture) {
    let id = f.mailer.send(&mail("anna@example.com")).await.unwrap();
    assert!(!id.is_empty());
    let sent = (f.sent)().await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].to, ["anna@example.com"]);
    assert_eq!(sent[0].subject, "Доступ к проекту «Ромашка»");
    assert!(sent[0].text.contains("Пароль: Kx7-p2Lm"), "{:?}", sent[0].text);
}

pub async fn refuses_bad_address(f: Fixture) {
    let err = f.mailer.send(&mail("not an address")).await.unwrap_err();
    assert!(matches!(err, MailError::Invalid(_)), "{err:?}");
    assert!((f.sent)().await.is_empty());
}
