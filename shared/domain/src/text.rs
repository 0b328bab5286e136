//! Free text that people send, made safe to store and show: control characters (NUL and the
//! like, but not line breaks and tabs) are dropped, so a message of only control characters is
//! empty, and the page address a visitor writes from is capped at 2,048 characters.

/// The longest page address kept with a dialog.
pub const PAGE_URL_MAX: usize = 2048;

fn is_dropped(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}')
}

/// The text without control and invisible formatting characters, trimmed.
pub fn clean(text: &str) -> String {
    text.chars().filter(|c| !is_dropped(*c)).collect::<String>().trim().to_owned()
}

/// The page address, cleaned and cut to [`PAGE_URL_MAX`] characters; None when nothing is left.
pub fn page_url(url: Option<&str>) -> Option<String> {
    let url: String = clean(url?).chars().filter(|c| !c.is_whitespace()).take(PAGE_URL_MAX).collect();
    (!url.is_empty()).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_and_line_breaks_kept() {
        assert_eq!(clean("\0"), "");
        assert_eq!(clean("\u{1}\u{7}\u{1b}\u{7f}\u{200b}\u{feff}"), "");
        assert_eq!(clean(" При\0вет\nмир\t! "), "Привет\nмир\t!");
    }

    #[test]
    fn page_urls_are_capped() {
        let long = format!("https://shop.ru/{}", "a".repeat(250_000));
        assert_eq!(page_url(Some(&long)).unwrap().chars().count(), PAGE_URL_MAX);
        assert_eq!(page_url(Some("https://shop.ru/\0x")).as_deref(), Some("https://shop.ru/x"));
        assert_eq!(page_url(Some("\u{1}")), None);
        assert_eq!(page_url(None), None);
    }
}
