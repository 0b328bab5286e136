//! Phone numbers in E.164 or Russian formats (`+7 912 345-67-89`, `8 (912) 345-67-89`),
//! stored in E.164.

use crate::{Error, Result};

pub fn normalize(field: &'static str, raw: &str) -> Result<String> {
    let bad = || Error::invalid(field, "invalid_phone", "Введите телефон в формате +7 912 345-67-89");
    let raw = raw.trim();
    let number = phonenumber::parse(Some(phonenumber::country::Id::RU), raw).map_err(|_| bad())?;
    if !phonenumber::is_valid(&number) {
        return Err(bad());
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn russian_and_international_forms() {
        for ok in ["+7 912 345-67-89", "8 (912) 345-67-89", "89123456789", "+79123456789"] {
            assert_eq!(normalize("phone", ok).unwrap(), "+79123456789", "{ok}");
        }
        assert_eq!(normalize("phone", "+49 30 901820").unwrap(), "+4930901820");
        for bad in ["", "12", "phone", "+7 912"] {
            assert!(normalize("phone", bad).is_err(), "{bad:?}");
        }
    }
}
