//! What a visitor's request form or callback request said, kept as data (PRODUCT.md §8, §11):
//! the journal row, the request in Диалоги, the export and the mail each show every field the
//! visitor filled, worded in their reader's language. No I/O here.

use crate::accounts::Language;
use crate::widget::CallFirst;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A project's own field (its label is the project's words) and what the visitor put in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Labelled {
    pub label: String,
    pub value: String,
}

/// A request of the widget, field by field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequestCard {
    /// The Заявка tab.
    Form {
        name: Option<String>,
        phone: Option<String>,
        email: Option<String>,
        company: Option<String>,
        custom: Option<Labelled>,
        list: Option<Labelled>,
    },
    /// The Обратный звонок tab: the number to call, who is called first, where the call goes.
    Callback {
        phone: String,
        name: Option<String>,
        call_first: CallFirst,
        forward: Option<String>,
        group: Option<String>,
    },
}

impl RequestCard {
    /// The request as lines of text in `lang`: a title, then one `Label: value` line per
    /// filled field.
    pub fn describe(&self, lang: Language) -> String {
        let ru = lang == Language::Ru;
        let word = |r: &'static str, e: &'static str| if ru { r } else { e };
        let mut lines = Vec::new();
        let mut line = |label: &str, value: &Option<String>| {
            if let Some(v) = value {
                lines.push(format!("{label}: {v}"));
            }
        };
        let title = match self {
            RequestCard::Form { name, phone, email, company, custom, list } => {
                line(word("Имя", "Name"), name);
                line(word("Телефон", "Phone"), phone);
                line("E-mail", email);
                line(word("Компания", "Company"), company);
                for l in [custom, list].into_iter().flatten() {
                    line(&l.label, &Some(l.value.clone()));
                }
                word("Заявка с сайта", "Website request")
            }
            RequestCard::Callback { phone, name, call_first, forward, group } => {
                line(word("Имя", "Name"), name);
                line(word("Телефон", "Phone"), &Some(phone.clone()));
                let first = match call_first {
                    CallFirst::Manager => word("сначала менеджеру", "the manager first"),
                    CallFirst::Visitor => word("сначала посетителю", "the visitor first"),
                };
                line(word("Звонок", "Call"), &Some(first.to_owned()));
                line(word("Переадресация на", "Forward to"), forward);
                line(word("Отдел", "Department"), group);
                word("Обратный звонок", "Callback request")
            }
        };
        std::iter::once(title.to_owned()).chain(lines).collect::<Vec<_>>().join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_lists_every_filled_field_in_the_readers_language() {
        let card = RequestCard::Form {
            name: Some("Мария".into()),
            phone: Some("+79991234567".into()),
            email: Some("m@example.com".into()),
            company: None,
            custom: Some(Labelled { label: "Размер".into(), value: "XL".into() }),
            list: None,
        };
        assert_eq!(
            card.describe(Language::Ru),
            "Заявка с сайта\nИмя: Мария\nТелефон: +79991234567\nE-mail: m@example.com\nРазмер: XL"
        );
        assert_eq!(
            card.describe(Language::En),
            "Website request\nName: Мария\nPhone: +79991234567\nE-mail: m@example.com\nРазмер: XL"
        );
    }

    #[test]
    fn a_callback_says_whom_to_call_first_and_where_the_call_goes() {
        let card = RequestCard::Callback {
            phone: "+79990001122".into(),
            name: None,
            call_first: CallFirst::Visitor,
            forward: Some("+74950000000".into()),
            group: Some("Продажи".into()),
        };
        assert_eq!(
            card.describe(Language::En),
            "Callback request\nPhone: +79990001122\nCall: the visitor first\nForward to: +74950000000\nDepartment: Продажи"
        );
        assert!(
            card.describe(Language::Ru)
                .starts_with("Обратный звонок\nТелефон: +79990001122\nЗвонок: сначала посетителю")
        );
    }
}
