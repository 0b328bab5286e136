//! Customers as contacts (PRODUCT.md §12 lead capture): a contact has an identity per channel
//! (the site visitor id, the Telegram, VK or Viber user id) with the name, username and avatar
//! the platform gives, and the phones and e-mails found in anything the customer wrote fill
//! the contact card.

use super::model::Source;
use crate::{accounts, phone};
use serde::{Deserialize, Serialize};

/// A customer's identity in one messenger, stored under `keys::identity`: which contact it
/// is, where replies go, and the customer's current dialog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    pub contact_id: String,
    pub source: Source,
    pub user_id: String,
    pub chat_id: String,
    pub name: Option<String>,
    pub username: Option<String>,
    pub avatar_url: Option<String>,
    pub dialog_id: Option<String>,
    /// The customer blocked the bot or unsubscribed: replies fail until they write again.
    #[serde(default)]
    pub unsubscribed: bool,
}

/// The contact card fields found in a text: `phone` and `email`, normalized, first found
/// first.
pub fn found_in(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(p) = phones(text).into_iter().next() {
        out.push(("phone".to_owned(), p));
    }
    if let Some(e) = emails(text).into_iter().next() {
        out.push(("email".to_owned(), e));
    }
    out
}

/// Phone numbers written in a text: runs of digits with the separators people type
/// (`+7 (912) 345-67-89`, `89123456789`), checked by `phonenumber`.
pub fn phones(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut Vec<String>| {
        let digits = run.chars().filter(char::is_ascii_digit).count();
        if (10..=15).contains(&digits) {
            if let Ok(p) = phone::normalize("phone", run.trim()) {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() || (c == '+' && run.trim().is_empty()) || (!run.is_empty() && " -()".contains(c)) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// E-mail addresses written in a text.
pub fn emails(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || ",;<>()[]\"'".contains(c))
        .filter(|w| w.contains('@'))
        .filter_map(|w| accounts::normalize_email(w.trim_matches(|c: char| ".:!?".contains(c))).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_emails_are_found_in_what_customers_write() {
        assert_eq!(phones("Мой номер +7 (912) 345-67-89, звоните после 18"), ["+79123456789"]);
        assert_eq!(phones("8 912 345 67 89 или 89990001122"), ["+79123456789", "+79990001122"]);
        assert!(phones("заказ 12345, 2 шт. по 300 руб").is_empty());
        assert_eq!(emails("пишите на Anna@Example.ru."), ["anna@example.ru"]);
        assert!(emails("в 10@утра").is_empty());
        assert_eq!(
            found_in("anna@example.ru, +79123456789"),
            [("phone".to_owned(), "+79123456789".to_owned()), ("email".to_owned(), "anna@example.ru".to_owned())]
        );
    }
}
