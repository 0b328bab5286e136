//! The mail port on SES v2. Every address is checked first (a bad one is
//! `MailError::Invalid`, and SES is not called); the mail is then rendered with `lettre` as a
//! MIME message (a UTF-8 text part and, when given, an HTML alternative) and sent as Raw
//! content. Raw rather than Simple content because it keeps both parts exactly as rendered and
//! names the sender with its display name, and because `moto` records only the HTML part of a
//! Simple mail, where the contract suite reads the text part back.

use async_trait::async_trait;
use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::error::DisplayErrorContext;
use aws_sdk_sesv2::primitives::Blob;
use aws_sdk_sesv2::types::{Destination, EmailContent, RawMessage};
use beseda_ports::mail::{Mail, MailError, Mailer};
use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};

fn invalid(e: impl std::fmt::Display) -> MailError {
    MailError::Invalid(e.to_string())
}

fn backend(e: impl std::error::Error) -> MailError {
    MailError::Backend(DisplayErrorContext(e).to_string())
}

pub struct SesMailer {
    client: Client,
}

impl SesMailer {
    /// The sender of each mail (`Mail::from`) must be a verified SES identity.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

/// The checked sender and recipients, and the RFC 5322 text of the mail.
fn render(mail: &Mail) -> Result<(Mailbox, Vec<Mailbox>, Vec<u8>), MailError> {
    let from: Mailbox = mail.from.parse().map_err(invalid)?;
    if mail.to.is_empty() {
        return Err(MailError::Invalid("a mail needs a recipient".into()));
    }
    let to = mail.to.iter().map(|t| t.parse::<Mailbox>().map_err(invalid)).collect::<Result<Vec<_>, _>>()?;
    let mut builder = lettre::Message::builder().from(from.clone()).subject(mail.subject.clone());
    for mailbox in &to {
        builder = builder.to(mailbox.clone());
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
    .map_err(invalid)?;
    Ok((from, to, message.formatted()))
}

#[async_trait]
impl Mailer for SesMailer {
    async fn send(&self, mail: &Mail) -> Result<String, MailError> {
        let (from, to, raw) = render(mail)?;
        let raw = RawMessage::builder().data(Blob::new(raw)).build().map_err(backend)?;
        self.client
            .send_email()
            .from_email_address(from.email.to_string())
            .destination(
                Destination::builder().set_to_addresses(Some(to.iter().map(|m| m.email.to_string()).collect())).build(),
            )
            .content(EmailContent::builder().raw(raw).build())
            .send()
            .await
            .map_err(backend)?
            .message_id
            .ok_or_else(|| MailError::Backend("SES returned no message id".into()))
    }
}
