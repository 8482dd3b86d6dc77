//! CSV: line numbers on every line ending, formula cells however they are
//! disguised (SEMANTICS.md §13.2, §13.3).

use rolegate::csv::{read_roles, write_roles};
use rolegate::*;

const ACME: OrgId = OrgId::new(1);

fn problem_lines(csv: &str) -> Vec<u64> {
    read_roles(&Catalog::standard(), ACME, csv)
        .unwrap_err()
        .problems()
        .iter()
        .map(|p| p.line())
        .collect()
}

#[test]
fn line_numbers_count_crlf_and_bare_cr_as_one_break() {
    let rows = [
        "Role name,Resource,Action,Conditions,Must Match",
        "Editor,workflows,read,,organization",
        "Editor,workflows,fly,,organization",
        "Editor,workflows,read,,organization",
        "Editor,rockets,read,,organization",
    ];
    for ending in ["\n", "\r\n", "\r"] {
        let csv = rows.join(ending) + ending;
        assert_eq!(problem_lines(&csv), [3, 5], "{ending:?}");
    }
    // A quoted cell spanning lines moves the next row's line on.
    let csv = "Role name,Resource,Action,Conditions,Must Match\r\n\
               \"Two\r\nlines\",workflows,read,,organization\r\n\
               Editor,workflows,fly,,organization\r\n";
    assert_eq!(problem_lines(csv), [2, 4]);
}

fn exported(name: &str) -> String {
    let catalog = Catalog::standard();
    let role = Role::custom(ACME, name, []).unwrap();
    let mut out = Vec::new();
    write_roles(&catalog, [&role], &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    text.lines().nth(1).unwrap().to_owned()
}

#[test]
fn formula_cells_are_neutralised_behind_width_forms_and_leading_blanks() {
    for disguised in [
        "＝1+2",
        "﹦1+2",
        "＋cmd",
        "－cmd",
        "＠SUM(A1)",
        "﹢1",
        "﹣1",
        "﹫x",
        " =1",
        "\u{3000}=1",
    ] {
        let row = exported(disguised);
        assert!(
            row.starts_with('\'') || row.starts_with("\"'"),
            "{disguised:?} exported as {row:?}"
        );
    }
    for plain in ["Editors", "1+2", "a=b", "Team - Ops", "e-mail"] {
        let row = exported(plain);
        assert!(
            !row.starts_with('\'') && !row.starts_with("\"'"),
            "{plain:?} exported as {row:?}"
        );
    }
    // Every value survives the trip.
    let catalog = Catalog::standard();
    let roles: Vec<Role> = ["＝1+2", " =1", "'quoted", "plain"]
        .iter()
        .map(|n| Role::custom(ACME, n, []).unwrap())
        .collect();
    let mut out = Vec::new();
    write_roles(&catalog, &roles, &mut out).unwrap();
    let back = read_roles(&catalog, ACME, std::str::from_utf8(&out).unwrap()).unwrap();
    let names: Vec<&str> = back.iter().map(Role::name).collect();
    assert_eq!(
        names,
        ["＝1+2", "=1", "'quoted", "plain"],
        "names are trimmed as always"
    );
}

#[test]
fn a_condition_literal_starting_like_a_formula_is_neutralised_in_its_cell() {
    let catalog = Catalog::standard();
    let rule = Rule::builder(&catalog, "workflows", "read")
        .conditions("status == \"=cmd\"")
        .build()
        .unwrap();
    let role = Role::custom(ACME, "Readers", [rule]).unwrap();
    let mut out = Vec::new();
    write_roles(&catalog, [&role], &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    // The cell starts with the attribute name, so nothing to neutralise,
    // and it comes back whole.
    assert!(text.contains("status == \"\"=cmd\"\""), "{text}");
    assert_eq!(read_roles(&catalog, ACME, &text).unwrap(), [role]);
}
