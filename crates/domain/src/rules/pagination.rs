//! Pages of a list (`?page=…&per_page=…`): checked here, refused when out of range (422),
//! never clamped, and the offset computed without overflow.

use crate::parse::{FieldErrors, InvalidValue};

pub const DEFAULT_PER_PAGE: u64 = 50;
pub const MAX_PER_PAGE: u64 = 200;
/// No list is that long: a larger page is a mistake (or a probe).
pub const MAX_PAGE: u64 = 100_000;

/// Where a page starts and how many rows it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: u64,
    pub limit: u64,
}

/// `page` counts from 1; both default when absent.
pub fn page(page: Option<u64>, per_page: Option<u64>) -> Result<Page, FieldErrors> {
    let mut errors = FieldErrors::default();
    let number = page.unwrap_or(1);
    let limit = per_page.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PAGE).contains(&number) {
        errors.push(
            "page",
            InvalidValue::new(
                "out_of_range",
                format!("La page est un nombre entre 1 et {MAX_PAGE}."),
            ),
        );
    }
    if !(1..=MAX_PER_PAGE).contains(&limit) {
        errors.push(
            "per_page",
            InvalidValue::new(
                "out_of_range",
                format!("Entre 1 et {MAX_PER_PAGE} lignes par page."),
            ),
        );
    }
    let offset = number
        .checked_sub(1)
        .and_then(|n| n.checked_mul(limit))
        .filter(|_| errors.is_empty());
    match offset {
        Some(offset) => Ok(Page { offset, limit }),
        None => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_first_page_by_default_and_out_of_range_values_are_refused() {
        assert_eq!(
            page(None, None).ok(),
            Some(Page {
                offset: 0,
                limit: 50
            })
        );
        assert_eq!(
            page(Some(3), Some(20)).ok(),
            Some(Page {
                offset: 40,
                limit: 20
            })
        );
        assert!(page(Some(0), None).is_err());
        assert!(page(Some(9_223_372_036_854_775_807), None).is_err());
        assert!(page(None, Some(201)).is_err());
        assert!(page(None, Some(0)).is_err());
    }

    proptest! {
        #[test]
        fn any_page_and_size_give_a_page_or_a_refusal_never_a_panic(p in any::<u64>(), s in any::<u64>()) {
            if let Ok(page) = page(Some(p), Some(s)) {
                prop_assert!(page.limit <= MAX_PER_PAGE);
                prop_assert!(page.offset <= (MAX_PAGE - 1) * MAX_PER_PAGE);
            }
        }
    }
}
