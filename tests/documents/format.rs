//! The format as documented, and text that is not of it refused with its line and column.

use rolegate::document::{DirectoryDocument, DocumentError, PolicyDocument, VERSION};
use serde_json::{Value, json};

use crate::fixture::{SMALL_DIRECTORY, SMALL_POLICY, fixture_documents, json_refused};

#[test]
fn the_format_is_the_documented_one() {
    let (policy, directory) = fixture_documents();
    let policy: Value = serde_json::from_str(&policy).unwrap();
    assert_eq!(policy["version"], json!(VERSION));
    assert_eq!(
        policy["roles"][0],
        json!({
            "id": 6,
            "organization": 1,
            "name": "Editor",
            "rules": [
                { "resource": "workflows", "action": "read" },
                {
                    "resource": "workflows",
                    "action": "update",
                    "must_match": ["team"],
                    "conditions": "status != \"archived\" and priority <= 3"
                }
            ]
        })
    );
    assert_eq!(
        policy["catalog"]["resource_types"][2],
        json!({
            "name": "workflows",
            "builtin": false,
            "actions": ["create", "read", "update", "delete", "execute", "deploy_test", "deploy_prod"],
            "attributes": [
                { "name": "status", "type": "string" },
                { "name": "priority", "type": "integer" },
                { "name": "environment", "type": "string" }
            ]
        })
    );
    assert_eq!(
        policy["catalog"]["builtin_rules"],
        json!([
            { "resource": "profile", "action": "read", "must_match": ["owner"] },
            { "resource": "profile", "action": "update", "must_match": ["owner"] }
        ])
    );
    assert_eq!(policy["catalog"]["syncs"], json!([]));
    assert_eq!(
        policy["counters"],
        json!({ "next_role": 8, "next_team": 3 })
    );
    let directory: Value = serde_json::from_str(&directory).unwrap();
    assert_eq!(
        directory,
        json!({
            "version": 1,
            "teams": [
                { "id": 1, "organization": 1, "name": "Ops" },
                { "id": 2, "organization": 2, "name": "Sales" }
            ],
            "users": [
                { "id": 1, "organization": 1, "teams": [1], "role": 0, "status": "active" },
                { "id": 2, "organization": 1, "teams": [1], "role": 6, "status": "active" },
                { "id": 3, "organization": 2, "customer": 30, "teams": [2], "role": 7, "status": "active" },
                { "id": 4, "organization": 2, "teams": [], "role": 4, "status": "suspended" }
            ]
        })
    );
}

#[test]
fn wrong_types_are_refused_with_their_line_and_column() {
    for (from, to, at, message) in [
        (
            r#""version": 1"#,
            r#""version": "1""#,
            r#""version": "1""#,
            "invalid type: string \"1\"",
        ),
        (
            r#""version": 1"#,
            r#""version": -1"#,
            r#""version": -1"#,
            "invalid value: integer `-1`",
        ),
        (
            r#""version": 1"#,
            r#""version": null"#,
            r#""version": null"#,
            "invalid type: null",
        ),
        (
            r#""id": 6"#,
            r#""id": "six""#,
            r#""id": "six""#,
            "invalid type: string \"six\"",
        ),
        (
            r#""id": 6"#,
            r#""id": 6.5"#,
            r#""id": 6.5"#,
            "invalid type: floating point",
        ),
        (
            r#""id": 6"#,
            r#""id": 99999999999"#,
            r#""id": 99999999999"#,
            "role id 99999999999 is out of range",
        ),
        (
            r#""must_match": ["team"]"#,
            r#""must_match": "team""#,
            r#""must_match": "team""#,
            "invalid type: string \"team\"",
        ),
        (
            r#""must_match": ["team"]"#,
            r#""must_match": ["teams"]"#,
            r#""must_match": ["teams"]"#,
            "unknown must-match key \"teams\"",
        ),
        (
            r#""actions": ["read", "update"]"#,
            r#""actions": "read""#,
            r#""actions": "read""#,
            "invalid type: string \"read\"",
        ),
        (
            r#""builtin": false"#,
            r#""builtin": "no""#,
            r#""builtin": "no""#,
            "invalid type: string \"no\"",
        ),
        // A value read whole and then refused is placed where the parser
        // stands, here past the end of its object.
        (
            r#""type": "string""#,
            r#""type": "float""#,
            r#""type": "float" }"#,
            "unknown attribute type \"float\"",
        ),
        (
            r#""next_team": 2"#,
            r#""next_team": true"#,
            r#""next_team": true"#,
            "invalid type: boolean `true`",
        ),
        (
            r#""catalog": {"#,
            r#""catalog": 5, "x": {"#,
            r#""catalog": 5"#,
            "invalid type: integer `5`",
        ),
    ] {
        let text = SMALL_POLICY.replacen(from, to, 1);
        assert_ne!(text, SMALL_POLICY, "{from}");
        json_refused(
            PolicyDocument::from_json(&text).unwrap_err(),
            &text,
            at,
            message,
        );
    }
    for (from, to, at, message) in [
        (
            r#""status": "active""#,
            r#""status": 7"#,
            r#""status": 7"#,
            "invalid type: integer `7`",
        ),
        (
            r#""status": "active""#,
            r#""status": "retired""#,
            r#""status": "retired" }"#,
            "unknown status \"retired\"",
        ),
        // An object or a list where another value belongs is placed just
        // before it.
        (
            r#""teams": [1]"#,
            r#""teams": {"a": 1}"#,
            r#""organization": 1, "teams": "#,
            "invalid type: map",
        ),
        (
            r#""teams": [1]"#,
            r#""teams": [-1]"#,
            r#""teams": [-1"#,
            "invalid value: integer `-1`",
        ),
        (
            r#""customer": 30"#,
            r#""customer": "30""#,
            r#""customer": "30""#,
            "invalid type: string \"30\"",
        ),
        (
            r#""last_active": 1700000000000"#,
            r#""last_active": 1e400"#,
            r#""last_active": 1e400"#,
            "number out of range",
        ),
        (
            r#""name": "Ops""#,
            r#""name": ["Ops"]"#,
            r#""name": "#,
            "invalid type: sequence",
        ),
    ] {
        let text = SMALL_DIRECTORY.replacen(from, to, 1);
        assert_ne!(text, SMALL_DIRECTORY, "{from}");
        json_refused(
            DirectoryDocument::from_json(&text).unwrap_err(),
            &text,
            at,
            message,
        );
    }
}

#[test]
fn unknown_fields_are_refused_with_their_line_and_column() {
    for (after, what) in [
        ("\"version\": 1,", "the document"),
        ("\"catalog\": {", "the catalog"),
        ("{ \"name\": \"docs\",", "a resource type"),
        ("{ \"name\": \"status\",", "an attribute"),
        ("{ \"id\": 6,", "a role"),
        ("{ \"resource\": \"docs\",", "a rule"),
        ("\"counters\": {", "the counters"),
    ] {
        let text = SMALL_POLICY.replacen(after, &format!("{after} \"extra\": 1,"), 1);
        assert_ne!(text, SMALL_POLICY, "{what}");
        let err = PolicyDocument::from_json(&text).unwrap_err();
        json_refused(err, &text, "\"extra\"", "unknown field `extra`");
    }
    let text = SMALL_POLICY.replacen(
        "\"syncs\": []",
        "\"syncs\": [{\"from\": \"docs\", \"to\": \"docs\", \"extra\": 1}]",
        1,
    );
    json_refused(
        PolicyDocument::from_json(&text).unwrap_err(),
        &text,
        "\"extra\"",
        "unknown field `extra`",
    );
    for after in [
        "\"version\": 1,",
        "{ \"id\": 1,",
        "{ \"id\": 1, \"organization\": 1, \"teams\": [1],",
    ] {
        let text = SMALL_DIRECTORY.replacen(after, &format!("{after} \"extra\": 1,"), 1);
        assert_ne!(text, SMALL_DIRECTORY);
        json_refused(
            DirectoryDocument::from_json(&text).unwrap_err(),
            &text,
            "\"extra\"",
            "unknown field `extra`",
        );
    }
    // A misspelt field is an unknown one too, and a missing one is named.
    let text = SMALL_DIRECTORY.replacen("\"teams\": [{", "\"team\": [{", 1);
    json_refused(
        DirectoryDocument::from_json(&text).unwrap_err(),
        &text,
        "\"team\"",
        "unknown field `team`",
    );
    let err = PolicyDocument::from_json(r#"{"version": 1}"#).unwrap_err();
    assert!(
        matches!(&err, DocumentError::Json { message, .. } if message.contains("missing field `catalog`")),
        "{err}"
    );
    let err = DirectoryDocument::from_json(r#"{"teams": []}"#).unwrap_err();
    assert!(
        matches!(&err, DocumentError::Json { message, .. } if message.contains("missing field `version`")),
        "{err}"
    );
    // A field given twice.
    let text = SMALL_DIRECTORY.replacen("\"teams\": [{", "\"teams\": [], \"teams\": [{", 1);
    let err = DirectoryDocument::from_json(&text).unwrap_err();
    assert!(
        matches!(&err, DocumentError::Json { message, .. } if message.contains("duplicate field `teams`")),
        "{err}"
    );
}

#[test]
fn unknown_versions_are_refused() {
    for version in [0, 2, 3, u64::MAX] {
        let text = SMALL_POLICY.replacen("\"version\": 1", &format!("\"version\": {version}"), 1);
        let err = PolicyDocument::from_json(&text).unwrap_err();
        assert_eq!(
            err,
            DocumentError::Version {
                found: version,
                supported: VERSION
            }
        );
        assert_eq!(err.path(), Some("version"));
        assert_eq!(
            err.to_string(),
            format!(
                "version: unsupported document version {version}; this version of rolegate reads version 1"
            )
        );
        let text =
            SMALL_DIRECTORY.replacen("\"version\": 1", &format!("\"version\": {version}"), 1);
        assert!(matches!(
            DirectoryDocument::from_json(&text),
            Err(DocumentError::Version { found, .. }) if found == version
        ));
    }
    // A document of another version is refused as such whatever else it
    // holds, and wherever its version stands.
    let err = DirectoryDocument::from_json(r#"{"people": {"a": [1]}, "version": 2}"#).unwrap_err();
    assert!(
        matches!(err, DocumentError::Version { found: 2, .. }),
        "{err}"
    );
    let err = PolicyDocument::from_json(r#"{"version": 2, "catalog": "v2 catalogs are strings"}"#)
        .unwrap_err();
    assert!(
        matches!(err, DocumentError::Version { found: 2, .. }),
        "{err}"
    );
}

#[test]
fn text_that_is_not_a_document_is_refused_with_a_position() {
    for text in [
        "",
        "   ",
        "null",
        "[]",
        "1",
        "\"policy\"",
        "{",
        "{\"version\": 1,}",
        "{\"version\": 1} trailing",
        "{\"version\": 1, \"teams\": [], \"users\": []}{}",
        "\u{feff}{\"version\": 1}",
        "{\"version\": 1, \"teams\": [], \"users\": [] /* comment */}",
    ] {
        for err in [
            PolicyDocument::from_json(text).unwrap_err(),
            DirectoryDocument::from_json(text).unwrap_err(),
        ] {
            let (line, column) = err.position().unwrap_or_else(|| panic!("{text:?}: {err}"));
            assert!(line >= 1, "{text:?}: {err}");
            assert!(
                err.to_string()
                    .starts_with(&format!("line {line}, column {column}: "))
            );
        }
    }
}
