//! The condition parser on any text, for every resource type of the
//! standard catalog: it never panics, and what it accepts prints in a
//! canonical text that reads back as the same conditions.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rolegate::Catalog;
use rolegate::condition::Conditions;
use rolegate::limits::MAX_CONDITION_TEXT;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::standard)
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let catalog = catalog();
    let types: Vec<_> = catalog.resource_types().collect();
    let ty = types[usize::from(pick) % types.len()];
    let Ok(conditions) = Conditions::parse(catalog, ty, text) else {
        return;
    };
    assert!(text.len() <= MAX_CONDITION_TEXT);
    let canonical = conditions.display(catalog).to_string();
    if canonical.len() <= MAX_CONDITION_TEXT {
        let again = Conditions::parse(catalog, ty, &canonical)
            .unwrap_or_else(|e| panic!("canonical text {canonical:?} does not read: {e}"));
        assert_eq!(again, conditions, "{canonical:?}");
    }
});
