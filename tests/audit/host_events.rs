//! Host events, names and text.

use rolegate::audit::{Actor, AuditError, AuditLog, AuditQuery, HostEvent, Outcome, SinkError};
use rolegate::*;

use crate::fixture::{
    ACME, ADMIN, DEV, G_ADMIN, GLOBEX, VIEWER, all, assert_clean, expect_denied, ids,
    is_forbidden_char, login, query, world,
};

#[test]
fn host_events_are_recorded_through_the_same_log() {
    let w = world(AuditLog::in_memory());
    let log = w.engine.audit();
    w.clock.set(w.at(5));
    let a = log
        .record(login(ACME, Outcome::Success).user(DEV))
        .unwrap()
        .unwrap();
    w.clock.set(w.at(6));
    let b = log
        .record(
            HostEvent::new(GLOBEX, "credential.token_refresh", Outcome::Failure)
                .user(G_ADMIN)
                .resource("credential", "tok_81")
                .reason("refresh token expired"),
        )
        .unwrap()
        .unwrap();
    w.clock.set(w.at(7));
    let c = log
        .record(login(ACME, Outcome::Denied).reason("locked"))
        .unwrap()
        .unwrap();

    let events = all(&w.engine);
    assert_eq!(ids(&events), [c.get(), b.get(), a.get()]);
    let (c, b, a) = (&events[0], &events[1], &events[2]);

    assert_eq!(a.action(), "auth.login");
    assert_eq!(a.at(), w.at(5));
    assert_eq!(a.organization(), Some(ACME));
    assert_eq!(a.actor(), Actor::User(DEV));
    assert_eq!(a.role(), None, "a host event names no role");
    assert_eq!((a.resource_type(), a.resource_id()), (None, None));
    assert_eq!((a.outcome(), a.reason()), (Outcome::Success, None));

    assert_eq!(b.action(), "credential.token_refresh");
    assert_eq!(b.at(), w.at(6));
    assert_eq!(b.organization(), Some(GLOBEX));
    assert_eq!(b.user(), Some(G_ADMIN));
    assert_eq!(b.resource_type(), Some("credential"));
    assert_eq!(b.resource_id(), Some("tok_81"));
    assert_eq!(b.outcome(), Outcome::Failure);
    assert_eq!(b.reason(), Some("refresh token expired"));

    assert_eq!(c.actor(), Actor::System);
    assert_eq!(c.user(), None);
    assert_eq!((c.outcome(), c.reason()), (Outcome::Denied, Some("locked")));

    let q = AuditQuery::new().action("credential.token_refresh");
    assert_eq!(query(&w.engine, &q).len(), 1);
    let q = AuditQuery::new().resource_type("credential").user(G_ADMIN);
    assert_eq!(query(&w.engine, &q).len(), 1);
}

#[test]
fn malformed_action_and_resource_type_names_are_refused_with_typed_errors() {
    let w = world(AuditLog::in_memory());
    let log = w.engine.audit();
    let long = "a".repeat(65);
    for bad in [
        "",
        "Auth.Login",
        "auth..login",
        ".auth",
        "auth.",
        "auth login",
        "auth-login",
        "auth.login\n",
        "auth.login\nauth.logout",
        "auth.lögin",
        long.as_str(),
    ] {
        let err = log
            .record(HostEvent::new(ACME, bad, Outcome::Success))
            .unwrap_err();
        match &err {
            AuditError::InvalidAction { name } => {
                assert!(!name.chars().any(is_forbidden_char), "{name:?}");
            }
            other => panic!("{bad:?}: expected InvalidAction, got {other:?}"),
        }
        assert!(!err.to_string().contains('\n'));
    }
    assert!(
        log.record(HostEvent::new(ACME, &"a".repeat(64), Outcome::Success))
            .is_ok()
    );
    assert!(
        log.record(HostEvent::new(ACME, "v2.sync_3", Outcome::Success))
            .is_ok()
    );
    match log.record(HostEvent::new(ACME, "auth.login\nx", Outcome::Success)) {
        Err(AuditError::InvalidAction { name }) => assert_eq!(name, "auth.login\\nx"),
        other => panic!("{other:?}"),
    }

    for bad in [
        "",
        "Credential",
        "cred.token",
        "cred token",
        "cred\ntoken",
        "cred-token",
    ] {
        let err = log
            .record(login(ACME, Outcome::Success).resource(bad, "1"))
            .unwrap_err();
        match &err {
            AuditError::InvalidResourceType { name } => {
                assert!(!name.chars().any(is_forbidden_char), "{name:?}");
            }
            other => panic!("{bad:?}: expected InvalidResourceType, got {other:?}"),
        }
    }
    // Only the well-formed events were recorded.
    let events = all(&w.engine);
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.resource_type().is_none()));
    assert_eq!(log.dropped(), 0);
}

#[test]
fn forged_text_cannot_start_another_event_or_line() {
    let w = world(AuditLog::in_memory());
    let log = w.engine.audit();
    let forgeries = [
        (
            "bad password\nid=99 outcome=success",
            "bad password\\nid=99 outcome=success",
        ),
        ("a\r\nb", "a\\r\\nb"),
        ("line\u{2028}sep", "line\\u{2028}sep"),
        ("para\u{2029}sep", "para\\u{2029}sep"),
        ("nel\u{85}x", "nel\\u{85}x"),
        ("\u{1b}[31mred\u{1b}[0m", "\\u{1b}[31mred\\u{1b}[0m"),
        ("nul\0byte", "nul\\u{0}byte"),
        ("tab\there", "tab\\there"),
        ("ok: ünïcødé ✓", "ok: ünïcødé ✓"),
    ];
    for (raw, cleaned) in forgeries {
        let id = log
            .record(
                login(ACME, Outcome::Failure)
                    .user(DEV)
                    .resource("session", raw)
                    .reason(raw),
            )
            .unwrap()
            .unwrap();
        let e = all(&w.engine).into_iter().find(|e| e.id() == id).unwrap();
        assert_eq!(e.reason(), Some(cleaned), "{raw:?}");
        assert_eq!(e.resource_id(), Some(cleaned), "{raw:?}");
        assert_clean(&e);
        // Its debug and display forms hold no raw line break either.
        assert!(!format!("{e:?}").contains('\n'));
    }

    // Very long text is capped.
    let long = "x".repeat(10_000);
    let id = log
        .record(
            login(ACME, Outcome::Failure)
                .reason(&long)
                .resource("session", &long),
        )
        .unwrap()
        .unwrap();
    let e = all(&w.engine).into_iter().find(|e| e.id() == id).unwrap();
    let reason = e.reason().unwrap();
    assert_eq!(
        reason.chars().count(),
        513,
        "512 characters and an ellipsis"
    );
    assert!(reason.ends_with('…'));
    assert!(e.resource_id().unwrap().chars().count() <= 513);
    // Escapes cannot blow the cap up without bound.
    let escapes = "\u{1b}".repeat(10_000);
    let id = log
        .record(login(ACME, Outcome::Failure).reason(&escapes))
        .unwrap()
        .unwrap();
    let e = all(&w.engine).into_iter().find(|e| e.id() == id).unwrap();
    assert!(
        e.reason().unwrap().len() < 4_200,
        "{}",
        e.reason().unwrap().len()
    );
    assert_clean(&e);

    // A grant's failure reason is cleaned too.
    let id = w
        .run(1)
        .unwrap()
        .failure("exit 1\nworkflows.execute success")
        .unwrap();
    let e = all(&w.engine).into_iter().find(|e| e.id() == id).unwrap();
    assert_eq!(e.reason(), Some("exit 1\\nworkflows.execute success"));

    // A role name may hold a line separator (it is not a control
    // character): the events carry it escaped, in the role and the reason.
    let sneaky = w
        .engine
        .admin(ADMIN)
        .create_role(ACME, "Ops\u{2028}Lead", vec![])
        .unwrap();
    w.engine.admin(ADMIN).assign_role(VIEWER, sneaky).unwrap();
    let (_, event) = expect_denied(w.view_run(2));
    let e = all(&w.engine)
        .into_iter()
        .find(|e| Some(e.id()) == event)
        .unwrap();
    assert_eq!(e.role(), Some((sneaky, "Ops\\u{2028}Lead")));
    assert_clean(&e);

    // Names refused by the engine are recorded with a clean reason.
    let err = w
        .engine
        .admin(ADMIN)
        .create_role(ACME, "Evil\nrole.delete success", vec![])
        .unwrap_err();
    assert!(matches!(err, AdminError::Role(_)), "{err:?}");
    w.engine
        .admin(ADMIN)
        .create_team(ACME, "Ops\u{2028}Lead")
        .unwrap();
    let dup = w
        .engine
        .admin(ADMIN)
        .create_team(ACME, "Ops\u{2028}Lead")
        .unwrap_err();
    assert!(
        matches!(dup, AdminError::DuplicateTeamName { .. }),
        "{dup:?}"
    );
    for e in all(&w.engine) {
        assert_clean(&e);
    }
    assert!(
        all(&w.engine)
            .iter()
            .any(|e| e.reason().is_some_and(|r| r.contains("\\u{2028}")))
    );

    // Sink error messages are cleaned as well.
    let err = SinkError::other("disk\nfull");
    assert!(!err.to_string().contains('\n'), "{err}");
}
