//! The mail port as an outbox folder: every mail becomes one RFC 5322 `.eml` file, named so
//! that the folder lists oldest first. The local runner shows the folder in the browser.

use async_trait::async_trait;
use beseda_ports::mail::{Mail, MailError, Mailer};
use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use std::path::{Path, PathBuf};

pub struct Outbox {
    dir: PathBuf,
}

/// A mail read back from the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub file: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    /// The HTML part, when the mail has one.
    pub html: Option<String>,
    pub raw: String,
}

impl Stored {
    fn parse(file: String, raw: String) -> Self {
        let parsed = mail_parser::MessageParser::default().parse(raw.as_bytes());
        let (to, subject, text) = match &parsed {
            Some(m) => (
                m.to()
                    .map(|a| a.iter().filter_map(|addr| addr.address().map(str::to_owned)).collect())
                    .unwrap_or_default(),
                m.subject().unwrap_or_default().to_owned(),
                m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
            ),
            None => (Vec::new(), String::new(), String::new()),
        };
        let html = parsed
            .as_ref()
            .and_then(|m| m.html_part(0))
            .filter(|p| p.is_text_html())
            .and_then(|p| p.text_contents())
            .map(str::to_owned);
        Self { file, to, subject, text, html, raw }
    }
}

/// Builds the RFC 5322 text of a mail.
pub fn render(mail: &Mail, message_id: &str) -> Result<Vec<u8>, MailError> {
    let invalid = |e: &dyn std::fmt::Display| MailError::Invalid(e.to_string());
    let from: Mailbox = mail.from.parse().map_err(|e| invalid(&e))?;
    let mut builder = lettre::Message::builder()
        .from(from)
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{message_id}@beseda.local>")));
    if mail.to.is_empty() {
        return Err(MailError::Invalid("a mail needs a recipient".into()));
    }
    for to in &mail.to {
        builder = builder.to(to.parse::<Mailbox>().map_err(|e| invalid(&e))?);
    }
    let text = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(mail.text.clone());
    let message = match &mail.html {
        Some(html) => builder.multipart(
            MultiPart::alternative()
                .singlepart(text)
                .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(html.clone())),
        ),
        None => builder.singlepart(text),
    }
    .map_err(|e| invalid(&e))?;
    Ok(message.formatted())
}

impl Outbox {
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        crate::private::create_dir(dir)?;
        Ok(Self { dir: dir.to_owned() })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every mail in the outbox, newest first.
    pub fn list(&self) -> std::io::Result<Vec<Stored>> {
        let mut files: Vec<String> = std::fs::read_dir(&self.dir)?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".eml"))
            .collect();
        files.sort_unstable_by(|a, b| b.cmp(a));
        files
            .into_iter()
            .map(|file| Ok(Stored::parse(file.clone(), std::fs::read_to_string(self.dir.join(&file))?)))
            .collect()
    }
}

#[async_trait]
impl Mailer for Outbox {
    async fn send(&self, mail: &Mail) -> Result<String, MailError> {
        let id = uuid::Uuid::now_v7().to_string();
        let bytes = render(mail, &id)?;
        let dir = self.dir.clone();
        let name = format!("{id}.eml");
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            let tmp = dir.join(format!(".{name}.tmp"));
            crate::private::write(&tmp, &bytes)?;
            std::fs::File::open(&tmp)?.sync_all()?;
            std::fs::rename(tmp, dir.join(name))
        })
        .await
        .map_err(|e| MailError::Backend(e.to_string()))?
        .map_err(|e| MailError::Backend(e.to_string()))?;
        Ok(id)
    }
}
