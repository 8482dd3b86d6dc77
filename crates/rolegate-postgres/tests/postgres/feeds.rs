//! Several engines on one database, kept in step by their change feeds.

use std::thread;
use std::time::{Duration, Instant};

use rolegate::audit::AuditLog;
use rolegate::store::Revision;
use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
use rolegate_postgres::{ChangeFeed, FeedOptions, PostgresSink, PostgresStore};

use crate::db::{TestDb, database};
use crate::world::fingerprint;

const ACME: OrgId = OrgId::new(1);
const WAIT: Duration = Duration::from_secs(20);

/// An engine named `name` on the test's schema, with its feed.
fn instance(db: &TestDb, name: &str) -> (Engine, ChangeFeed) {
    let engine = db.engine(name);
    let feed = ChangeFeed::with_config(
        engine.clone(),
        db.config(name),
        FeedOptions::default().poll(Duration::from_millis(200)),
    );
    (engine, feed)
}

/// An engine whose audit trail stays in memory: the burst tests measure the
/// state, not the trail.
fn light_instance(db: &TestDb, name: &str) -> (Engine, ChangeFeed) {
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(AuditLog::in_memory());
    let engine = builder
        .open(PostgresStore::with_config(db.config(name)).unwrap())
        .unwrap();
    let feed = ChangeFeed::with_config(
        engine.clone(),
        db.config(name),
        FeedOptions::default().poll(Duration::from_millis(200)),
    );
    (engine, feed)
}

fn head(db: &TestDb) -> Revision {
    PostgresStore::with_config(db.config("head"))
        .unwrap()
        .head()
        .unwrap()
}

#[test]
fn a_change_by_any_of_three_engines_is_seen_by_the_other_two() {
    let Some(db) = database("three") else { return };
    let instances = [instance(&db, "a"), instance(&db, "b"), instance(&db, "c")];
    let catalog = instances[0].0.catalog().clone();
    let workflow = Resource::new(
        catalog.resource_type("workflows").unwrap(),
        ResourceId::new(1),
        ACME,
    );
    let execute = catalog.action("execute").unwrap();
    for (i, (writer, _)) in instances.iter().enumerate() {
        let user = UserId::new(i as u64 + 1);
        writer
            .bootstrap()
            .add_user(User::new(user, ACME, SystemRole::Developer.id()))
            .unwrap();
        let revision = writer.revision();
        for (engine, feed) in &instances {
            assert!(feed.wait_for(revision, WAIT), "{:?}", feed.freshness());
            assert!(
                engine.can(user, execute, &workflow),
                "user {user} on every engine"
            );
        }
    }
    // A demotion by the third is revoked on the first two at once.
    instances[2]
        .0
        .bootstrap()
        .assign_role(UserId::new(1), SystemRole::Viewer.id())
        .unwrap();
    let revision = instances[2].0.revision();
    for (engine, feed) in &instances {
        assert!(feed.wait_for(revision, WAIT));
        assert!(!engine.can(UserId::new(1), execute, &workflow));
        let fresh = feed.freshness();
        assert_eq!(
            (fresh.served, fresh.lag(), fresh.last_error.clone()),
            (revision, 0, None)
        );
        assert!(fresh.connected);
    }
    let prints: Vec<String> = instances.iter().map(|(e, _)| fingerprint(e)).collect();
    assert!(prints.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn a_burst_of_ten_thousand_changes_from_two_writers_ends_identical_everywhere() {
    let Some(db) = database("burst") else { return };
    let instances = [
        light_instance(&db, "a"),
        light_instance(&db, "b"),
        light_instance(&db, "c"),
    ];
    let start = instances[0].0.revision();
    thread::scope(|s| {
        for (w, (writer, _)) in instances.iter().take(2).enumerate() {
            s.spawn(move || {
                for i in 0..5_000u64 {
                    let user = UserId::new(1 + w as u64 * 1_000_000 + i);
                    let role = if i % 7 == 0 {
                        SystemRole::Owner
                    } else {
                        SystemRole::Viewer
                    };
                    writer
                        .bootstrap()
                        .add_user(User::new(user, ACME, role.id()))
                        .unwrap();
                }
            });
        }
    });
    let end = head(&db);
    assert_eq!(
        end.get(),
        start.get() + 10_000,
        "every change committed once"
    );
    for (engine, feed) in &instances {
        assert!(feed.wait_for(end, WAIT), "{:?}", feed.freshness());
        assert_eq!(engine.revision(), end);
        assert_eq!(engine.snapshot().user_count(), 10_000);
        assert_eq!(feed.freshness().last_error, None);
    }
    // Applied in revision order, each once: a fourth engine loading the
    // whole state answers as each of them.
    let fourth = light_instance(&db, "d").0;
    let expected = fingerprint(&fourth);
    for (engine, _) in &instances {
        assert_eq!(fingerprint(engine), expected);
    }
}

#[test]
fn a_cut_connection_keeps_serving_reports_the_lag_and_catches_up() {
    let Some(db) = database("cut") else { return };
    let (writer, _writer_feed) = light_instance(&db, "writer");
    let (reader, feed) = light_instance(&db, "reader");
    writer
        .bootstrap()
        .add_user(User::new(UserId::new(1), ACME, SystemRole::Developer.id()))
        .unwrap();
    assert!(feed.wait_for(writer.revision(), WAIT));
    let catalog = reader.catalog().clone();
    let workflow = Resource::new(
        catalog.resource_type("workflows").unwrap(),
        ResourceId::new(1),
        ACME,
    );
    let read = catalog.action("read").unwrap();
    let mut cuts = 0;
    thread::scope(|s| {
        let burst = s.spawn(|| {
            for i in 2..2_002u64 {
                writer
                    .bootstrap()
                    .add_user(User::new(UserId::new(i), ACME, SystemRole::Viewer.id()))
                    .unwrap();
            }
        });
        // Cut the reader's connections while the burst runs, three times.
        for _ in 0..3 {
            thread::sleep(Duration::from_millis(150));
            cuts += db.cut("reader");
            // Meanwhile it serves its last good state.
            assert!(reader.can(UserId::new(1), read, &workflow));
        }
        burst.join().unwrap();
    });
    assert!(cuts > 0, "the reader's backends were found and ended");
    let end = head(&db);
    assert!(feed.wait_for(end, WAIT), "{:?}", feed.freshness());
    let fresh = feed.freshness();
    assert!(fresh.failures > 0 && fresh.reconnects > 0, "{fresh:?}");
    assert!(fresh.max_lag > 0, "the lag was seen: {fresh:?}");
    assert_eq!((fresh.lag(), fresh.connected), (0, true));
    assert_eq!(fingerprint(&reader), fingerprint(&writer));
}

#[test]
fn an_engine_restarted_later_catches_up_from_its_revision() {
    let Some(db) = database("restart") else {
        return;
    };
    let (one, _feed) = instance(&db, "one");
    one.bootstrap()
        .add_user(User::new(UserId::new(1), ACME, SystemRole::Owner.id()))
        .unwrap();
    // A second engine loads, stops listening, and misses changes.
    let two = db.engine("two");
    for i in 2..50 {
        one.bootstrap()
            .add_user(User::new(UserId::new(i), ACME, SystemRole::Viewer.id()))
            .unwrap();
    }
    let started = Instant::now();
    let feed = ChangeFeed::with_config(two.clone(), db.config("two"), FeedOptions::default());
    assert!(
        feed.wait_for(one.revision(), WAIT),
        "{:?}",
        feed.freshness()
    );
    assert!(started.elapsed() < WAIT);
    assert_eq!(fingerprint(&two), fingerprint(&one));
}

#[test]
fn an_unreachable_database_is_reported_and_the_engine_keeps_its_state() {
    let Some(db) = database("unreachable") else {
        return;
    };
    let engine = db.engine("a");
    engine
        .bootstrap()
        .add_user(User::new(UserId::new(1), ACME, SystemRole::Owner.id()))
        .unwrap();
    let mut nowhere = db.config("a");
    nowhere.port(1);
    let feed = ChangeFeed::with_config(engine.clone(), nowhere, FeedOptions::default());
    let deadline = Instant::now() + WAIT;
    while feed.freshness().failures == 0 && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    let fresh = feed.freshness();
    assert!(!fresh.connected && fresh.last_error.is_some(), "{fresh:?}");
    assert_eq!(engine.snapshot().user_count(), 1, "the last good state");
    // The sink reports a lost database as an error, never a panic.
    let sink = PostgresSink::with_config(db.config("sink")).unwrap();
    db.cut("sink");
    let event = rolegate::audit::NewEvent::new(
        rolegate::directory::Timestamp::EPOCH,
        rolegate::audit::Actor::System,
        "auth.login",
        rolegate::audit::Outcome::Success,
    );
    use rolegate::audit::AuditSink;
    // The call that meets the cut connection fails (unless the client saw
    // it close first); the next one connects again.
    if let Err(e) = sink.append(event.clone()) {
        assert_eq!(e.kind(), rolegate::audit::SinkErrorKind::Unavailable, "{e}");
    }
    assert!(sink.append(event).is_ok(), "connected again");
}
