//! The condition language: parse errors with their columns, canonical
//! printing, and print-then-parse round trips; must-match text.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use rolegate::catalog::{AttrType, CatalogError, NameKind};
use rolegate::condition::{
    ConditionError, ConditionErrorKind, Conditions, Literal, Op, Operand, SubjectField,
};
use rolegate::*;

fn catalog() -> Catalog {
    Catalog::builder()
        .resource_type("documents", ["read"])
        .attribute("documents", "status", AttrType::String)
        .attribute("documents", "pages", AttrType::Integer)
        .attribute("documents", "public", AttrType::Boolean)
        .attribute("documents", "author", AttrType::User)
        .attribute("documents", "home", AttrType::Organization)
        .attribute("documents", "client", AttrType::Customer)
        .resource_type("notes", ["read"])
        .build()
        .unwrap()
}

fn parse(text: &str) -> Result<Conditions, ConditionError> {
    let catalog = catalog();
    let ty = catalog.resource_type("documents").unwrap();
    Conditions::parse(&catalog, ty, text)
}

/// `text` fails at 1-based `column` with an error whose message contains
/// `message`.
#[track_caller]
fn error_case(text: &str, column: usize, message: &str) {
    let err = parse(text).expect_err(text);
    assert_eq!(err.column(), column, "{text}: {err}");
    assert!(
        err.to_string().contains(message),
        "{text}: `{err}` lacks `{message}`"
    );
    assert_eq!(err.text(), text);
}

#[test]
fn syntax_errors_name_their_column() {
    error_case("status ~ \"x\"", 8, "expected an operator");
    error_case("status = \"x\"", 8, "found `=`");
    error_case("status ==", 10, "found end of text");
    error_case("status == \"x", 11, "unterminated string");
    error_case("status == \"a\\qb\"", 13, "invalid escape \"\\\\q\"");
    error_case("status == \"\\u{110000}\"", 12, "invalid escape");
    error_case(
        "pages == 99999999999999999999",
        10,
        "does not fit in 64 bits",
    );
    error_case(
        "pages == 1 or pages == 2",
        12,
        "expected `and` or end of text",
    );
    error_case("pages == 1 and", 15, "expected an attribute name");
    error_case("and pages == 1", 1, "expected an attribute name");
    error_case("status not [\"x\"]", 12, "expected `in` after `not`");
    error_case("status in \"x\"", 11, "expected a list");
    error_case("status in [\"x\" \"y\"]", 16, "expected `,` or `]`");
    error_case("status in [\"x\",]", 16, "expected a value");
    error_case("status == [\"x\"]", 11, "a list goes with `in`");
    error_case("author == subject", 18, "expected `.` after `subject`");
    error_case(
        "author == subject.name",
        19,
        "unknown subject field \"name\"",
    );
    error_case("pages == 1 pages", 12, "expected `and`");
}

#[test]
fn semantic_errors_name_their_column() {
    error_case("colour == \"red\"", 1, "declares no attribute \"colour\"");
    error_case(
        "pages <= \"high\"",
        10,
        "is of type integer, the value is a string",
    );
    error_case(
        "status == 3",
        11,
        "is of type string, the value is an integer",
    );
    error_case("public == \"yes\"", 11, "the value is a string");
    error_case(
        "public > false",
        8,
        "operator `>` does not apply to boolean attribute",
    );
    error_case("author < subject.id", 8, "does not apply to user attribute");
    error_case("author in []", 8, "does not apply to user attribute");
    error_case(
        "author == subject.customer",
        11,
        "the value is subject.customer",
    );
    error_case("client == \"acme\"", 11, "is of type customer");
    error_case("pages in [1, \"2\"]", 14, "the value is a string");
    error_case("status == subject.id", 11, "the value is subject.id");
}

#[test]
fn columns_count_characters_not_bytes() {
    // "é" is two bytes: the column still counts it as one character.
    error_case("status == \"é\" ~", 15, "found `~`");
    let err = parse("status == \"é\" ~").unwrap_err();
    assert_eq!(err.offset(), 15);
}

#[test]
fn an_attribute_of_another_type_is_unknown_here() {
    let catalog = catalog();
    let notes = catalog.resource_type("notes").unwrap();
    let err = Conditions::parse(&catalog, notes, "pages > 1").unwrap_err();
    assert_eq!(
        err.kind(),
        &ConditionErrorKind::UnknownAttribute {
            name: "pages".into(),
            resource: "notes".into()
        }
    );
}

#[test]
fn keywords_are_not_attribute_names() {
    let err = Catalog::builder()
        .resource_type("t", ["a"])
        .attribute("t", "subject", AttrType::String)
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        CatalogError::InvalidName {
            kind: NameKind::Attribute,
            ..
        }
    ));
}

/// Parses `text`, checks it prints as `canonical`, and that the canonical
/// text parses back to the same conditions.
#[track_caller]
fn round_trip(text: &str, canonical: &str) {
    let catalog = catalog();
    let ty = catalog.resource_type("documents").unwrap();
    let parsed = Conditions::parse(&catalog, ty, text).unwrap();
    let printed = parsed.display(&catalog).to_string();
    assert_eq!(printed, canonical);
    assert_eq!(Conditions::parse(&catalog, ty, &printed).unwrap(), parsed);
}

#[test]
fn printing_is_canonical_and_parses_back() {
    round_trip("", "");
    round_trip("   ", "");
    round_trip(
        "status!=\"archived\"and pages<=3",
        r#"status != "archived" and pages <= 3"#,
    );
    round_trip("status   in   [ \"a\" ,\"b\" ]", r#"status in ["a", "b"]"#);
    round_trip("pages not   in[]", "pages not in []");
    round_trip(
        "pages >= -9223372036854775808",
        "pages >= -9223372036854775808",
    );
    round_trip("public == false", "public == false");
    round_trip("author != subject.id", "author != subject.id");
    round_trip(
        "home == subject.organization",
        "home == subject.organization",
    );
    round_trip("client == subject.customer", "client == subject.customer");
    round_trip(
        "status == \"say \\\"hi\\\"\\n\\t\\\\ \\u{7}\\u{1F600}\"",
        "status == \"say \\\"hi\\\"\\n\\t\\\\ \\u{7}\u{1F600}\"",
    );
    round_trip("status == \"tab\there\"", "status == \"tab\\there\"");
}

#[test]
fn the_typed_form_is_inspectable() {
    let parsed = parse(r#"status in ["a"] and author == subject.id"#).unwrap();
    let [first, second] = parsed.as_slice() else {
        panic!("two conditions")
    };
    assert_eq!(first.op(), Op::In);
    assert_eq!(
        first.operand(),
        &Operand::List(vec![Literal::String("a".into())].into())
    );
    assert_eq!(second.op(), Op::Eq);
    assert_eq!(second.operand(), &Operand::Subject(SubjectField::Id));
    assert_eq!(
        second.display(&catalog()).to_string(),
        "author == subject.id"
    );
}

#[test]
fn must_match_text_parses_and_prints() {
    let all: MustMatch = "organization;customer;team;owner".parse().unwrap();
    assert_eq!(all, MustMatch::all());
    assert_eq!(all.to_string(), "organization;customer;team;owner");
    assert_eq!(
        " owner ; team ".parse::<MustMatch>().unwrap(),
        MustMatch::TEAM | MustMatch::OWNER
    );
    assert_eq!("".parse::<MustMatch>().unwrap(), MustMatch::empty());
    let err = "team;Owner".parse::<MustMatch>().unwrap_err();
    assert_eq!((err.key(), err.column()), ("Owner", 6));
    let err = "team,owner".parse::<MustMatch>().unwrap_err();
    assert_eq!((err.key(), err.column()), ("team,owner", 1));
}

// ---- property: any generated condition prints and parses back ----

fn string_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{0,6}",
        any::<String>(),
        Just("\"\\\n\t\r\u{0}\u{7f}".to_owned()),
    ]
}

fn literal_text(ty: AttrType) -> BoxedStrategy<String> {
    match ty {
        AttrType::String => string_value()
            .prop_map(|s| format!("{}", Literal::String(s.into())))
            .boxed(),
        AttrType::Integer => any::<i64>().prop_map(|i| i.to_string()).boxed(),
        _ => any::<bool>().prop_map(|b| b.to_string()).boxed(),
    }
}

fn comparison() -> impl Strategy<Value = String> {
    let typed = prop_oneof![
        Just(("status", AttrType::String)),
        Just(("pages", AttrType::Integer)),
        Just(("public", AttrType::Boolean)),
    ];
    let scalar = typed.clone().prop_flat_map(|(name, ty)| {
        let ops: Vec<&str> = match ty {
            AttrType::Boolean => vec!["==", "!="],
            _ => vec!["==", "!=", "<", "<=", ">", ">="],
        };
        (prop::sample::select(ops), literal_text(ty))
            .prop_map(move |(op, value)| format!("{name} {op} {value}"))
    });
    let list = typed.prop_flat_map(|(name, ty)| {
        (
            prop::sample::select(vec!["in", "not in"]),
            prop::collection::vec(literal_text(ty), 0..4),
        )
            .prop_map(move |(op, items)| format!("{name} {op} [{}]", items.join(", ")))
    });
    let subject = prop::sample::select(vec![
        "author == subject.id",
        "author != subject.id",
        "home == subject.organization",
        "client != subject.customer",
    ])
    .prop_map(str::to_owned);
    prop_oneof![scalar, list, subject]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_conditions_round_trip(parts in prop::collection::vec(comparison(), 0..5)) {
        let text = parts.join(" and ");
        let catalog = catalog();
        let ty = catalog.resource_type("documents").unwrap();
        let parsed = Conditions::parse(&catalog, ty, &text).unwrap();
        prop_assert_eq!(parsed.len(), parts.len());
        let printed = parsed.display(&catalog).to_string();
        // Generated text is already canonical.
        prop_assert_eq!(&printed, &text);
        prop_assert_eq!(Conditions::parse(&catalog, ty, &printed).unwrap(), parsed);
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse(&text);
    }

    #[test]
    fn near_miss_text_never_panics(
        tokens in prop::collection::vec(
            prop::sample::select(vec![
                "status", "pages", "author", "and", "not", "in", "==", "!=", "<=", "<", "[", "]",
                ",", "\"", "\"x\"", "\\", "subject", ".", "id", "-", "1", "-9", "true", "é", "\u{0}",
            ]),
            0..12,
        )
    ) {
        let text = tokens.concat();
        if let Err(e) = parse(&text) {
            prop_assert!(e.column() >= 1);
            prop_assert!(e.offset() <= text.len());
        }
    }
}
