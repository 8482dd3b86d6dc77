//! Hostile documents: random edits, arbitrary bytes, huge documents and strings, deep nesting.

use proptest::prelude::*;
use rolegate::catalog::CatalogError;
use rolegate::document::{
    self, DirectoryDocument, DocumentError, MAX_DOCUMENT_BYTES, PolicyDocument,
};
use rolegate::role::RoleError;
use rolegate::{NameError, RuleError};
use serde_json::json;

use crate::fixture::{
    SMALL_DIRECTORY, SMALL_POLICY, directory_refused, directory_with, fixture_documents,
    policy_refused, policy_with,
};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random edits of valid documents (characters deleted, inserted and
    /// repeated) are read, refused or restored, never a panic; whatever
    /// reads restores or is refused with a place.
    #[test]
    fn edited_documents_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..4u8, any::<prop::sample::Index>()), 1..6),
        which in any::<bool>(),
    ) {
        const ALPHABET: &[u8] = b"{}[]\",:0123456789-+.eE \n\\uatrsnlfx7";
        let (policy, directory) = fixture_documents();
        let mut text = if which { policy.clone() } else { directory.clone() }.into_bytes();
        for (at, kind, pick) in edits {
            let i = at.index(text.len() + 1);
            match kind {
                0 if i < text.len() => {
                    text.remove(i);
                }
                1 => text.insert(i, *pick.get(ALPHABET)),
                2 if i < text.len() => {
                    let end = (i + 1 + pick.index(16)).min(text.len());
                    let copy = text[i..end].to_vec();
                    text.splice(i..i, copy);
                }
                _ => text.truncate(i),
            }
        }
        let text = String::from_utf8_lossy(&text).into_owned();
        let (p, d) = if which {
            (PolicyDocument::from_json(&text), DirectoryDocument::from_json(&directory))
        } else {
            (PolicyDocument::from_json(&policy), DirectoryDocument::from_json(&text))
        };
        match (p, d) {
            (Ok(p), Ok(d)) => {
                if let Err(e) = document::restore(&p, &d) {
                    prop_assert!(e.path().is_some() || e.position().is_some(), "{}", e);
                }
            }
            (Err(e), _) | (_, Err(e)) => {
                prop_assert!(e.path().is_some() || e.position().is_some(), "{}", e);
                prop_assert!(e.to_string().len() < 2_000);
            }
        }
    }

    /// Arbitrary text is refused (or, by chance, read) without a panic.
    #[test]
    fn arbitrary_text_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = PolicyDocument::from_json(&text);
        let _ = DirectoryDocument::from_json(&text);
    }
}

#[test]
fn documents_over_the_size_limit_are_refused_before_parsing() {
    assert_eq!(MAX_DOCUMENT_BYTES, 64 * 1024 * 1024);
    let mut text = String::with_capacity(MAX_DOCUMENT_BYTES + 1);
    text.push_str(SMALL_DIRECTORY);
    text.push_str(&" ".repeat(MAX_DOCUMENT_BYTES + 1 - SMALL_DIRECTORY.len()));
    let expected = DocumentError::TooLarge {
        size: MAX_DOCUMENT_BYTES + 1,
        limit: MAX_DOCUMENT_BYTES,
    };
    assert_eq!(DirectoryDocument::from_json(&text).unwrap_err(), expected);
    assert_eq!(PolicyDocument::from_json(&text).unwrap_err(), expected);
    // At the limit exactly, the document is read.
    text.pop();
    assert!(DirectoryDocument::from_json(&text).is_ok());
}

#[test]
fn huge_strings_are_refused_with_short_messages() {
    let huge = "x".repeat(10 * 1024 * 1024);

    // A 10 MB role name.
    let text = policy_with(|v| v["roles"][1]["name"] = json!(huge));
    let err = policy_refused(&text, "roles[1].name");
    assert!(
        matches!(
            &err,
            DocumentError::RoleName { source: RoleError::NameTooLong { length, .. }, .. } if *length == huge.len()
        ),
        "{err:?}"
    );

    // A 10 MB team name.
    let text = directory_with(|v| v["teams"][0]["name"] = json!(huge));
    directory_refused(&text, "teams[0].name");

    // 10 MB names of a resource type and of an action.
    let text = policy_with(|v| v["roles"][0]["rules"][1]["resource"] = json!(huge));
    let err = policy_refused(&text, "roles[0].rules[1]");
    assert!(matches!(
        &err,
        DocumentError::Rule {
            source: RuleError::Name(NameError::UnknownResourceType { .. }),
            ..
        }
    ));
    let text = policy_with(|v| v["roles"][0]["rules"][0]["action"] = json!(huge));
    policy_refused(&text, "roles[0].rules[0]");

    // 10 MB of condition text that does not parse, and a well-formed
    // condition on a 10 MB string: both beyond the limit on condition text,
    // refused before they are parsed.
    let text = policy_with(|v| {
        v["roles"][0]["rules"][0]["conditions"] = json!(format!("status == {huge}"))
    });
    let err = policy_refused(&text, "roles[0].rules[0]");
    assert!(matches!(
        &err,
        DocumentError::Rule {
            source: RuleError::Condition(_),
            ..
        }
    ));
    let text = policy_with(|v| {
        v["roles"][0]["rules"][0]["conditions"] = json!(format!("status == \"{huge}\""))
    });
    let err = policy_refused(&text, "roles[0].rules[0]");
    let DocumentError::Rule {
        source: RuleError::Condition(condition),
        ..
    } = &err
    else {
        panic!("expected a condition error, got {err:?}");
    };
    assert!(matches!(
        condition.kind(),
        rolegate::condition::ConditionErrorKind::TooLong { .. }
    ));

    // 10 MB in the catalog: a type's name, an action, an attribute.
    let text = policy_with(|v| v["catalog"]["resource_types"][0]["name"] = json!(huge));
    let err = policy_refused(&text, "catalog");
    assert!(matches!(
        &err,
        DocumentError::Catalog {
            source: CatalogError::InvalidName { .. }
        }
    ));
    let text = policy_with(|v| v["catalog"]["resource_types"][0]["actions"][0] = json!(huge));
    policy_refused(&text, "catalog");

    // 10 MB where the parser expects something else: the message quotes
    // only the start of it.
    for text in [
        SMALL_DIRECTORY.replacen(
            "\"status\": \"active\"",
            &format!("\"status\": \"{huge}\""),
            1,
        ),
        SMALL_DIRECTORY.replacen("\"id\": 1,", &format!("\"id\": \"{huge}\","), 1),
        SMALL_DIRECTORY.replacen("\"id\": 1,", &format!("\"{huge}\": 1, \"id\": 1,"), 1),
        SMALL_POLICY.replacen(
            "\"must_match\": [\"team\"]",
            &format!("\"must_match\": [\"{huge}\"]"),
            1,
        ),
        SMALL_POLICY.replacen(
            "\"version\": 1",
            &format!("\"version\": 1, \"{huge}\": 1"),
            1,
        ),
    ] {
        let err = PolicyDocument::from_json(&text)
            .err()
            .or_else(|| DirectoryDocument::from_json(&text).err())
            .unwrap();
        assert!(err.position().is_some(), "{err}");
        assert!(
            err.to_string().len() < 1_000,
            "{} bytes",
            err.to_string().len()
        );
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    const DEPTH: usize = 100_000;
    let arrays = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    let objects = format!("{}1{}", "{\"a\":".repeat(DEPTH), "}".repeat(DEPTH));
    let open = "[".repeat(DEPTH);
    for nested in [&arrays, &objects, &open] {
        let texts = [
            nested.clone(),
            format!("{{\"version\": 1, \"extra\": {nested}}}"),
            format!("{{\"extra\": {nested}, \"version\": 1}}"),
            format!("{{\"version\": {nested}}}"),
            SMALL_POLICY.replacen("\"roles\": [", &format!("\"roles\": [{nested}, "), 1),
            SMALL_POLICY.replacen("\"syncs\": []", &format!("\"syncs\": {nested}"), 1),
            SMALL_POLICY.replacen(
                "\"conditions\": ",
                &format!("\"conditions\": {nested}, \"x\": "),
                1,
            ),
            SMALL_DIRECTORY.replacen("\"teams\": [1]", &format!("\"teams\": [{nested}]"), 1),
            SMALL_DIRECTORY.replacen("\"users\": [", &format!("\"users\": [{nested}, "), 1),
        ];
        for text in &texts {
            for err in [
                PolicyDocument::from_json(text).unwrap_err(),
                DirectoryDocument::from_json(text).unwrap_err(),
            ] {
                assert!(err.position().is_some(), "{err}");
                assert!(err.to_string().len() < 1_000);
            }
        }
    }
}
