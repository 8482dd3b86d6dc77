//! Names a person cannot tell apart are the same name; invisible and
//! direction characters are refused (SEMANTICS.md §8.1, §9.2).

use rolegate::*;

const ACME: OrgId = OrgId::new(1);

/// Every name the review found accepted beside the system roles.
const LOOK_ALIKES: [&str; 5] = [
    "\u{410}dmin",
    "Ｏｗｎｅｒ",
    "End  User",
    "End\u{a0}User",
    "Vi\u{435}wer",
];
const HIDDEN: [&str; 5] = [
    "Own\u{200b}er",
    "\u{feff}Owner",
    "\u{2060}Viewer",
    "\u{202e}nimdA",
    "Viewer\u{200b}",
];

#[test]
fn names_compared_by_skeleton_so_look_alikes_of_system_roles_are_reserved() {
    for name in LOOK_ALIKES {
        assert!(
            matches!(
                Role::custom(ACME, name, []),
                Err(RoleError::ReservedName { .. })
            ),
            "{name:?}"
        );
    }
    // A name that only resembles one by a letter a reader sees is fine.
    assert!(Role::custom(ACME, "Admins", []).is_ok());
    assert!(Role::custom(ACME, "Viewer 2", []).is_ok());
}

#[test]
fn invisible_and_direction_characters_are_refused_not_compared() {
    for name in HIDDEN {
        assert!(
            matches!(
                Role::custom(ACME, name, []),
                Err(RoleError::InvisibleCharacter { .. })
            ),
            "{name:?}"
        );
    }
    let err = Role::custom(ACME, "Own\u{200b}er", []).unwrap_err();
    assert_eq!(
        err,
        RoleError::InvisibleCharacter {
            name: "Own\u{200b}er".into(),
            code_point: 0x200B
        }
    );
    assert!(err.to_string().contains("U+200B"), "{err}");
}

#[test]
fn custom_role_names_clash_by_skeleton_within_an_organization_and_nothing_changes() {
    let engine = Engine::new(Catalog::standard());
    let boot = engine.bootstrap();
    boot.create_role(ACME, "Rôle", vec![]).unwrap();
    let before = engine.snapshot().revision();
    for clash in ["Ro\u{302}le", "RÔLE", "R\u{f4}le ", "R\u{3bf}\u{302}le"] {
        assert!(
            matches!(
                boot.create_role(ACME, clash, vec![]),
                Err(AdminError::Role(RoleError::DuplicateName { .. }))
            ),
            "{clash:?}"
        );
    }
    assert_eq!(engine.snapshot().revision(), before, "nothing changed");
    // Another organization keeps its own names; a different name is fine.
    boot.create_role(OrgId::new(2), "Ro\u{302}le", vec![])
        .unwrap();
    boot.create_role(ACME, "Rule", vec![]).unwrap();
    // Lookups compare the same way.
    let policy = engine.snapshot();
    let found = policy.policy().role_named(ACME, "ROLE\u{302}");
    assert_eq!(found, None, "the accent on another letter is another name");
    assert_eq!(
        policy.policy().role_named(ACME, "Ro\u{302}le"),
        policy.policy().role_named(ACME, "Rôle")
    );
    assert!(policy.policy().role_named(ACME, "Rôle").is_some());
    assert_eq!(
        policy.policy().role_named(ACME, "\u{410}dmin"),
        Some(SystemRole::Admin.id())
    );
}

#[test]
fn renaming_a_role_to_a_look_alike_of_another_is_refused() {
    let engine = Engine::new(Catalog::standard());
    let boot = engine.bootstrap();
    boot.create_role(ACME, "Editors", vec![]).unwrap();
    let other = boot.create_role(ACME, "Writers", vec![]).unwrap();
    assert!(matches!(
        boot.rename_role(other, "Ｅｄｉｔｏｒｓ"),
        Err(AdminError::Role(RoleError::DuplicateName { .. }))
    ));
    assert!(matches!(
        boot.rename_role(other, "Ow\u{2066}ner"),
        Err(AdminError::Role(RoleError::InvisibleCharacter { .. }))
    ));
    assert_eq!(
        engine.snapshot().policy().role(other).unwrap().name(),
        "Writers"
    );
}

#[test]
fn team_names_clash_by_skeleton_and_refuse_invisible_characters() {
    let engine = Engine::new(Catalog::standard());
    let boot = engine.bootstrap();
    let ops = boot.create_team(ACME, "Ops").unwrap();
    for clash in ["\u{41e}ps", "ＯＰＳ", " ops "] {
        assert!(
            matches!(
                boot.create_team(ACME, clash),
                Err(AdminError::DuplicateTeamName { .. })
            ),
            "{clash:?}"
        );
    }
    for hidden in ["Ops\u{200b}", "\u{202e}spO", "\u{feff}Ops2"] {
        assert!(
            matches!(
                boot.create_team(ACME, hidden),
                Err(AdminError::InvalidTeamName { .. })
            ),
            "{hidden:?}"
        );
    }
    let dev = boot.create_team(ACME, "Dev").unwrap();
    assert!(matches!(
        boot.rename_team(dev, "Ｏps"),
        Err(AdminError::DuplicateTeamName { .. })
    ));
    assert_ne!(ops, dev);
    let names: Vec<String> = engine
        .snapshot()
        .teams(ACME)
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["Ops", "Dev"]);
}

#[test]
fn csv_rows_of_look_alike_names_are_one_role_and_look_alikes_of_system_roles_are_refused() {
    let catalog = Catalog::standard();
    let csv = "Role name,Resource,Action,Conditions,Must Match\n\
               Editors,workflows,read,,organization\n\
               Ｅｄｉｔｏｒｓ,workflows,update,,organization\n";
    let roles = rolegate::csv::read_roles(&catalog, ACME, csv).unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!((roles[0].name(), roles[0].rules().len()), ("Editors", 2));
    let csv = "Role name,Resource,Action,Conditions,Must Match\n\
               \u{410}dmin,workflows,read,,organization\n";
    let err = rolegate::csv::read_roles(&catalog, ACME, csv).unwrap_err();
    assert_eq!(err.problems().len(), 1);
    assert_eq!(
        (err.problems()[0].line(), err.problems()[0].column()),
        (2, 1)
    );
}
