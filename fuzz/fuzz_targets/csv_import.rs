//! CSV import on any text: it never panics, a refusal names at least one
//! problem, and what it accepts exports and imports back unchanged.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rolegate::csv::{read_roles, write_roles};
use rolegate::{Catalog, OrgId};

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::standard)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let catalog = catalog();
    let org = OrgId::new(1);
    let roles = match read_roles(catalog, org, text) {
        Ok(roles) => roles,
        Err(err) => {
            assert!(!err.problems().is_empty());
            return;
        }
    };
    let mut out = Vec::new();
    write_roles(catalog, &roles, &mut out).expect("writing to a Vec");
    let exported = String::from_utf8(out).expect("exports are UTF-8");
    match read_roles(catalog, org, &exported) {
        Ok(back) => assert_eq!(back, roles, "{exported:?}"),
        // The canonical text of a condition can be longer than what was
        // written (spaces around operators): past the limit, it is refused
        // by name, never taken for something else.
        Err(e) => assert!(
            e.problems().iter().all(|p| matches!(
                p.kind(),
                rolegate::csv::ReadProblemKind::Condition(c)
                    if matches!(c.kind(), rolegate::condition::ConditionErrorKind::TooLong { .. })
            )),
            "export {exported:?} does not import: {e}"
        ),
    }
});
