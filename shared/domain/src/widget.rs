//! The website widget's settings (PRODUCT.md §8) and what a visitor's browser is told of
//! them: tabs with names of at most 8 characters and weekly working-hours grids, the chat's
//! welcome message and auto-messages, contact requests built from a field editor, the request
//! form, the callback, contacts, appearance and «Прочее».

use crate::{Error, Result, phone};
use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Hour cells, Monday first: `hours[day][hour]` is true when the tab works in that hour.
pub type Hours = Vec<Vec<bool>>;

pub fn always() -> Hours {
    vec![vec![true; 24]; 7]
}

fn office_hours() -> Hours {
    (0..7).map(|d| (0..24).map(|h| d < 5 && (9..18).contains(&h)).collect()).collect()
}

/// Whether `now` falls into a working hour of the grid, in the project's time zone.
pub fn is_open(hours: &Hours, timezone: &str, now: DateTime<Utc>) -> bool {
    let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let local = now.with_timezone(&tz);
    let day = local.weekday().num_days_from_monday() as usize;
    hours.get(day).and_then(|d| d.get(local.hour() as usize)).copied().unwrap_or(false)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    Chat,
    Form,
    Callback,
    Contacts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Left,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Ru,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Phone,
    Email,
}

/// A field of the field editor: the standard name, phone and e-mail, and custom ones (ИНН).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Field {
    pub id: String,
    pub label: String,
    pub kind: FieldKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RequestedField {
    pub field: String,
    pub required: bool,
}

/// A contact request: the fields asked for; while a required one is empty the visitor cannot
/// write on.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct ContactRequest {
    pub fields: Vec<RequestedField>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AutoMessage {
    pub enabled: bool,
    pub after_secs: u32,
    pub text: String,
    pub contact_request: Option<ContactRequest>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OperatorGroup {
    pub name: String,
    pub members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChatTab {
    pub enabled: bool,
    pub name: String,
    pub hours: Hours,
    /// The first message when no hook started the dialog; `{NAME}` is the operator's name.
    pub welcome: String,
    pub welcome_contact_request: Option<ContactRequest>,
    /// Sent when no operator has read the visitor's message within `after_secs` (15 s).
    pub unread: AutoMessage,
    /// Sent when an operator read it but has not answered within `after_secs` (20 s).
    pub unanswered: AutoMessage,
    /// The no-reply chain (§12): a dialog still unanswered this many seconds after the
    /// customer's message goes to the next online operator (off when None).
    #[serde(default)]
    pub reassign_after_secs: Option<u32>,
    /// ... and after this many seconds the administrators are alerted in Telegram.
    #[serde(default)]
    pub alert_after_secs: Option<u32>,
    /// Close a dialog after this many minutes of the visitor's silence.
    pub auto_close_minutes: Option<u32>,
    pub raise_on_request: bool,
    pub requests_in_feed: bool,
    pub no_auto_after_reply: bool,
    pub groups: Vec<OperatorGroup>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldRule {
    pub visible: bool,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FormFields {
    pub name: FieldRule,
    pub phone: FieldRule,
    pub email: FieldRule,
    pub company: FieldRule,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CustomField {
    pub label: String,
    pub rule: FieldRule,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CustomList {
    pub label: String,
    pub options: Vec<String>,
    pub rule: FieldRule,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FormTab {
    pub enabled: bool,
    pub name: String,
    pub hours: Hours,
    pub title: String,
    pub fields: FormFields,
    pub custom_field: Option<CustomField>,
    pub custom_list: Option<CustomList>,
    pub thanks_text: String,
    pub button_text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallFirst {
    Manager,
    Visitor,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CallbackGroup {
    pub name: String,
    pub number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CallbackTab {
    pub enabled: bool,
    pub name: String,
    pub hours: Hours,
    /// At most 30 characters.
    pub title: String,
    pub text: String,
    pub forward_number: String,
    pub call_first: CallFirst,
    pub visitor_greeting: String,
    pub operator_notice: bool,
    pub groups: Vec<CallbackGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Address {
    /// An address or coordinates such as `56.839920, 60.599666`.
    pub address: String,
    /// At most 100 characters.
    pub info: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Network {
    Vk,
    Whatsapp,
    Viber,
    Ok,
    Telegram,
    Youtube,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Social {
    pub network: Network,
    pub url: String,
    pub show: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ContactsTab {
    pub enabled: bool,
    pub name: String,
    pub hours: Hours,
    pub addresses: Vec<Address>,
    pub socials: Vec<Social>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Devices {
    pub desktop: bool,
    pub mobile: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Appearance {
    pub side: Side,
    pub devices: Devices,
    /// Open the widget by itself after this many seconds (not recommended under 30).
    pub auto_open_secs: Option<u32>,
    /// `#rrggbb`.
    pub color: String,
    pub tab_order: Vec<Tab>,
    pub hooks_on_mobile: bool,
    pub icon_mode: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Other {
    pub language: Language,
    /// Ids of site elements whose click opens the widget.
    pub initiators: Vec<String>,
    /// Visitors from these addresses or networks do not see the widget.
    pub hidden_for_ips: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// Seconds on the page.
    TimeOnPage,
    /// A substring of the page URL (`*` matches anything).
    UrlPattern,
    /// Percent of the page scrolled.
    ScrollDepth,
    /// The pointer leaves the window towards the top.
    ExitIntent,
    /// The visitor's n-th visit or later.
    VisitCount,
}

/// A hook (§9): a proactive message that opens the dialog when its trigger fires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Hook {
    pub id: String,
    pub enabled: bool,
    pub trigger: Trigger,
    /// Seconds, a URL pattern, a percent or a count, by trigger.
    pub value: String,
    pub text: String,
    pub contact_request: Option<ContactRequest>,
    pub show_on_mobile: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CatcherGroup {
    pub name: String,
    pub enabled: bool,
    pub hooks: Vec<Hook>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Settings {
    pub appearance: Appearance,
    pub other: Other,
    pub fields: Vec<Field>,
    pub chat: ChatTab,
    pub form: FormTab,
    pub callback: CallbackTab,
    pub contacts: ContactsTab,
    pub catchers: Vec<CatcherGroup>,
}

fn rule(visible: bool, required: bool) -> FieldRule {
    FieldRule { visible, required }
}

impl Default for Settings {
    fn default() -> Self {
        let field = |id: &str, label: &str, kind| Field { id: id.into(), label: label.into(), kind };
        let social = |network, url: &str| Social { network, url: url.into(), show: false };
        Settings {
            appearance: Appearance {
                side: Side::Right,
                devices: Devices { desktop: true, mobile: true },
                auto_open_secs: None,
                color: "#2563eb".into(),
                tab_order: vec![Tab::Chat, Tab::Form, Tab::Callback, Tab::Contacts],
                hooks_on_mobile: true,
                icon_mode: false,
            },
            other: Other { language: Language::Ru, initiators: vec![], hidden_for_ips: vec![] },
            fields: vec![
                field("name", "Имя", FieldKind::Text),
                field("phone", "Телефон", FieldKind::Phone),
                field("email", "E-mail", FieldKind::Email),
            ],
            chat: ChatTab {
                enabled: true,
                name: "Чат".into(),
                hours: always(),
                welcome: "Здравствуйте! Меня зовут {NAME}. Чем могу помочь?".into(),
                welcome_contact_request: None,
                unread: AutoMessage {
                    enabled: true,
                    after_secs: 15,
                    text: "Все операторы сейчас заняты. Оставьте телефон — мы перезвоним.".into(),
                    contact_request: Some(ContactRequest {
                        fields: vec![RequestedField { field: "phone".into(), required: false }],
                    }),
                },
                unanswered: AutoMessage {
                    enabled: true,
                    after_secs: 20,
                    text: "Оператор уже готовит ответ, подождите, пожалуйста.".into(),
                    contact_request: None,
                },
                reassign_after_secs: None,
                alert_after_secs: None,
                auto_close_minutes: Some(60),
                raise_on_request: true,
                requests_in_feed: true,
                no_auto_after_reply: true,
                groups: vec![],
            },
            form: FormTab {
                enabled: true,
                name: "Заявка".into(),
                hours: always(),
                title: "Оставьте заявку".into(),
                fields: FormFields {
                    name: rule(true, true),
                    phone: rule(true, true),
                    email: rule(true, false),
                    company: rule(false, false),
                },
                custom_field: None,
                custom_list: None,
                thanks_text: "Спасибо! Мы свяжемся с вами в ближайшее время.".into(),
                button_text: "Отправить".into(),
            },
            callback: CallbackTab {
                enabled: true,
                name: "Звонки".into(),
                hours: office_hours(),
                title: "Перезвоним за 30 секунд".into(),
                text: "Оставьте номер — менеджер позвонит вам.".into(),
                forward_number: String::new(),
                call_first: CallFirst::Manager,
                visitor_greeting: "default".into(),
                operator_notice: true,
                groups: vec![],
            },
            contacts: ContactsTab {
                enabled: true,
                name: "Контакты".into(),
                hours: always(),
                addresses: vec![],
                socials: vec![
                    social(Network::Vk, "https://vk.com/"),
                    social(Network::Whatsapp, "https://wa.me/"),
                    social(Network::Viber, "https://www.viber.me/"),
                    social(Network::Ok, "https://ok.ru/"),
                    social(Network::Telegram, "https://t.me/joinchat/"),
                    social(Network::Youtube, "https://www.youtube.com/"),
                ],
            },
            catchers: vec![],
        }
    }
}

fn bad(field: &'static str, code: &'static str, message: impl Into<String>) -> Error {
    Error::invalid(field, code, message)
}

fn check_tab_name(field: &'static str, name: &str) -> Result<()> {
    match name.trim().chars().count() {
        0 => Err(bad(field, "tab_name_required", "Укажите название таба")),
        n if n > 8 => Err(bad(field, "tab_name_too_long", "Название таба — не длиннее 8 символов")),
        _ => Ok(()),
    }
}

fn check_hours(field: &'static str, hours: &Hours) -> Result<()> {
    if hours.len() == 7 && hours.iter().all(|d| d.len() == 24) {
        Ok(())
    } else {
        Err(bad(field, "invalid_hours", "Сетка рабочего времени — 7 дней по 24 часа"))
    }
}

fn check_request(s: &Settings, field: &'static str, r: &Option<ContactRequest>) -> Result<()> {
    for f in r.iter().flat_map(|r| &r.fields) {
        if !s.fields.iter().any(|d| d.id == f.field) {
            return Err(bad(field, "unknown_field", format!("Нет поля «{}» в редакторе полей", f.field)));
        }
    }
    Ok(())
}

/// The bounds of the no-reply chain's delays (§12), within the queue's longest delay.
pub const NO_REPLY_SECS: std::ops::RangeInclusive<u32> = 30..=900;

impl Settings {
    /// Checks every limit of §8; the first problem is reported with the field it is in.
    pub fn validate(&self) -> Result<()> {
        let a = &self.appearance;
        let hex = a.color.len() == 7 && a.color.starts_with('#') && a.color[1..].chars().all(|c| c.is_ascii_hexdigit());
        if !hex {
            return Err(bad("appearance.color", "invalid_color", "Цвет — в виде #2563eb"));
        }
        let mut order = a.tab_order.clone();
        order.sort_by_key(|t| *t as u8);
        order.dedup();
        if order.len() != a.tab_order.len() || order.len() != 4 {
            return Err(bad("appearance.tab_order", "invalid_tab_order", "Порядок табов — каждый таб ровно один раз"));
        }
        if a.auto_open_secs.is_some_and(|s| s > 3600) {
            return Err(bad("appearance.auto_open_secs", "invalid_auto_open", "Автооткрытие — не позже чем через час"));
        }
        for ip in &self.other.hidden_for_ips {
            crate::blacklist::normalize(crate::blacklist::Kind::Ip, ip)
                .map_err(|_| bad("other.hidden_for_ips", "invalid_ip", format!("«{ip}» — не IP-адрес или сеть")))?;
        }
        for id in &self.other.initiators {
            let ok =
                !id.is_empty() && id.len() <= 100 && id.chars().all(|c| c.is_ascii_alphanumeric() || "-_".contains(c));
            if !ok {
                return Err(bad("other.initiators", "invalid_initiator", format!("«{id}» — не id элемента")));
            }
        }
        for f in &self.fields {
            if f.id.is_empty() || f.label.trim().is_empty() || f.label.chars().count() > 40 {
                return Err(bad("fields", "invalid_field", "У поля нужны id и название до 40 символов"));
            }
        }
        check_tab_name("chat.name", &self.chat.name)?;
        check_tab_name("form.name", &self.form.name)?;
        check_tab_name("callback.name", &self.callback.name)?;
        check_tab_name("contacts.name", &self.contacts.name)?;
        check_hours("chat.hours", &self.chat.hours)?;
        check_hours("form.hours", &self.form.hours)?;
        check_hours("callback.hours", &self.callback.hours)?;
        check_hours("contacts.hours", &self.contacts.hours)?;
        check_request(self, "chat.welcome_contact_request", &self.chat.welcome_contact_request)?;
        check_request(self, "chat.unread.contact_request", &self.chat.unread.contact_request)?;
        check_request(self, "chat.unanswered.contact_request", &self.chat.unanswered.contact_request)?;
        for (field, auto) in
            [("chat.unread.after_secs", &self.chat.unread), ("chat.unanswered.after_secs", &self.chat.unanswered)]
        {
            if !(1..=900).contains(&auto.after_secs) {
                return Err(bad(field, "invalid_delay", "Задержка автосообщения — от 1 до 900 секунд"));
            }
        }
        for (field, secs) in [
            ("chat.reassign_after_secs", self.chat.reassign_after_secs),
            ("chat.alert_after_secs", self.chat.alert_after_secs),
        ] {
            if secs.is_some_and(|s| !NO_REPLY_SECS.contains(&s)) {
                return Err(bad(field, "invalid_delay", "Задержка — от 30 до 900 секунд"));
            }
        }
        if let (Some(m), Some(k)) = (self.chat.reassign_after_secs, self.chat.alert_after_secs)
            && k <= m
        {
            return Err(bad("chat.alert_after_secs", "alert_before_reassign", "Оповещение — позже передачи диалога"));
        }
        if self.callback.title.chars().count() > 30 {
            return Err(bad("callback.title", "title_too_long", "Заголовок — не длиннее 30 символов"));
        }
        for (field, number) in std::iter::once(("callback.forward_number", &self.callback.forward_number))
            .chain(self.callback.groups.iter().map(|g| ("callback.groups", &g.number)))
        {
            if !number.trim().is_empty() {
                phone::normalize(field, number)?;
            }
        }
        for addr in &self.contacts.addresses {
            if addr.info.chars().count() > 100 {
                return Err(bad(
                    "contacts.addresses",
                    "info_too_long",
                    "Информация к адресу — не длиннее 100 символов",
                ));
            }
        }
        for s in &self.contacts.socials {
            if !(s.url.starts_with("https://") || s.url.starts_with("http://")) {
                return Err(bad("contacts.socials", "invalid_url", "Ссылка должна начинаться с https://"));
            }
        }
        for group in &self.catchers {
            for hook in &group.hooks {
                check_request(self, "catchers", &hook.contact_request)?;
                let ok = match hook.trigger {
                    Trigger::TimeOnPage | Trigger::ScrollDepth | Trigger::VisitCount => {
                        hook.value.trim().parse::<u32>().is_ok()
                    }
                    Trigger::UrlPattern => !hook.value.trim().is_empty(),
                    Trigger::ExitIntent => true,
                };
                if !ok || hook.text.trim().is_empty() {
                    return Err(bad("catchers", "invalid_hook", "У крючка нужны текст и значение условия"));
                }
            }
        }
        Ok(())
    }

    /// Whether the contacts tab shows: it hides while it has no address.
    pub fn contacts_visible(&self) -> bool {
        self.contacts.enabled && !self.contacts.addresses.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn defaults_are_valid_and_follow_the_manual() {
        let s = Settings::default();
        s.validate().unwrap();
        assert_eq!((s.chat.unread.after_secs, s.chat.unanswered.after_secs), (15, 20));
        assert_eq!(s.callback.name, "Звонки");
        assert!(!s.contacts_visible(), "contacts hide without an address");
    }

    #[test]
    fn limits_are_enforced() {
        let mut s = Settings::default();
        s.chat.name = "Поговорим".into();
        assert!(matches!(s.validate(), Err(Error::Invalid { code: "tab_name_too_long", .. })));
        let mut s = Settings::default();
        s.callback.title = "x".repeat(31);
        assert!(matches!(s.validate(), Err(Error::Invalid { code: "title_too_long", .. })));
        let mut s = Settings::default();
        s.contacts.addresses.push(Address { address: "56.839920, 60.599666".into(), info: "x".repeat(101) });
        assert!(matches!(s.validate(), Err(Error::Invalid { code: "info_too_long", .. })));
        let mut s = Settings::default();
        s.chat.unread.contact_request =
            Some(ContactRequest { fields: vec![RequestedField { field: "inn".into(), required: true }] });
        assert!(matches!(s.validate(), Err(Error::Invalid { code: "unknown_field", .. })));
        s.fields.push(Field { id: "inn".into(), label: "ИНН".into(), kind: FieldKind::Text });
        s.validate().unwrap();
    }

    #[test]
    fn the_no_reply_chain_is_off_by_default_bounded_and_alerts_after_it_reassigns() {
        let mut s = Settings::default();
        assert_eq!((s.chat.reassign_after_secs, s.chat.alert_after_secs), (None, None));
        s.chat.reassign_after_secs = Some(29);
        assert!(matches!(s.validate(), Err(Error::Invalid { code: "invalid_delay", .. })));
        s.chat.reassign_after_secs = Some(60);
        s.chat.alert_after_secs = Some(901);
        assert!(matches!(s.validate(), Err(Error::Invalid { code: "invalid_delay", .. })));
        s.chat.alert_after_secs = Some(60);
        assert!(matches!(s.validate(), Err(Error::Invalid { code: "alert_before_reassign", .. })));
        s.chat.alert_after_secs = Some(120);
        s.validate().unwrap();
        s.chat.reassign_after_secs = None;
        s.chat.alert_after_secs = Some(30);
        s.validate().unwrap();
    }

    #[test]
    fn stored_settings_without_the_chain_still_load() {
        let mut json = serde_json::to_value(Settings::default()).unwrap();
        let chat = json["chat"].as_object_mut().unwrap();
        chat.remove("reassign_after_secs");
        chat.remove("alert_after_secs");
        let s: Settings = serde_json::from_value(json).unwrap();
        assert_eq!(s, Settings::default());
    }

    #[test]
    fn working_hours_are_read_in_the_project_time_zone() {
        let hours = office_hours();
        let monday_0630_utc = Utc.with_ymd_and_hms(2026, 11, 23, 6, 30, 0).unwrap();
        assert!(is_open(&hours, "Europe/Moscow", monday_0630_utc), "09:30 in Moscow");
        assert!(!is_open(&hours, "Europe/London", monday_0630_utc), "06:30 in London");
        let saturday = Utc.with_ymd_and_hms(2026, 11, 28, 10, 0, 0).unwrap();
        assert!(!is_open(&hours, "Europe/Moscow", saturday));
    }
}
