//! The JSON documents and values on any text: the policy and directory
//! documents (read, checked together, restored into an engine), rules,
//! explanations, audit events and listings. Nothing panics; what reads
//! writes back to JSON that reads as the same value.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rolegate::audit::Event;
use rolegate::catalog::RuleSpec;
use rolegate::document::{self, DirectoryDocument, PolicyDocument};
use rolegate::engine::{Person, RoleSummary, TeamSummary};
use rolegate::{Catalog, Explanation, OrgId, Resource, ResourceId, UserId};

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::standard)
}

/// Reads `text` as a `T`; if it reads, its JSON reads back as the same.
fn round_trip<T>(text: &str)
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    if let Ok(value) = serde_json::from_str::<T>(text) {
        let json = serde_json::to_string(&value).expect("serializes");
        let back: T = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{json} does not read back: {e}"));
        assert_eq!(back, value);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match pick % 8 {
        0 => {
            if let Ok(policy) = PolicyDocument::from_json(text) {
                let _ = policy.catalog();
                let again = PolicyDocument::from_json(&policy.to_json()).expect("reads back");
                assert_eq!(again.to_json(), policy.to_json());
            }
        }
        1 => {
            if let Ok(directory) = DirectoryDocument::from_json(text) {
                let again = DirectoryDocument::from_json(&directory.to_json()).expect("reads back");
                assert_eq!(again.to_json(), directory.to_json());
            }
        }
        2 => {
            // A policy and a directory document, split at the first NUL.
            let (policy, directory) = text.split_once('\0').unwrap_or((text, "{}"));
            let (Ok(policy), Ok(directory)) = (
                PolicyDocument::from_json(policy),
                DirectoryDocument::from_json(directory),
            ) else {
                return;
            };
            if let Ok(engine) = document::restore(&policy, &directory) {
                let snapshot = engine.snapshot();
                let catalog = snapshot.catalog();
                for ty in catalog.resource_types() {
                    for &action in catalog.actions_of(ty) {
                        let resource = Resource::new(ty, ResourceId::new(1), OrgId::new(1));
                        let user = UserId::new(1);
                        assert_eq!(
                            snapshot.can(user, action, &resource),
                            snapshot.explain(user, action, &resource).is_allowed()
                        );
                    }
                }
            }
        }
        3 => {
            if let Ok(spec) = serde_json::from_str::<RuleSpec>(text) {
                let _ = spec.resolve(catalog());
            }
        }
        4 => round_trip::<Explanation>(text),
        5 => round_trip::<Event>(text),
        6 => {
            round_trip::<RoleSummary>(text);
            round_trip::<TeamSummary>(text);
        }
        _ => round_trip::<Person>(text),
    }
});
