//! One thread checking on many engines at once: each check answers from its
//! own engine's current state, whatever the thread checked before.

use rolegate::*;

#[test]
fn checks_on_many_engines_from_one_thread_answer_from_each_engine() {
    let org = OrgId::new(1);
    let user = UserId::new(7);
    // Six engines, more than a thread keeps at once; in engine `i` the user
    // holds a role that can execute workflows only when `i` is even.
    let engines: Vec<Engine> = (0..6)
        .map(|i| {
            let engine = Engine::new(Catalog::standard());
            let role = if i % 2 == 0 {
                SystemRole::Operator.id()
            } else {
                SystemRole::Viewer.id()
            };
            engine
                .bootstrap()
                .add_user(User::new(user, org, role))
                .unwrap();
            engine
        })
        .collect();
    let catalog = Catalog::standard();
    let workflow = Resource::new(
        catalog.resource_type("workflows").unwrap(),
        ResourceId::new(1),
        org,
    );
    let execute = catalog.action("execute").unwrap();
    for round in 0..3 {
        for (i, engine) in engines.iter().enumerate() {
            let expected = (i + round) % 2 == 0;
            assert_eq!(
                engine.can_user(user, execute, &workflow),
                expected,
                "engine {i}, round {round}"
            );
        }
        // Flip every engine: the next round sees each change at once.
        for (i, engine) in engines.iter().enumerate() {
            let role = if (i + round) % 2 == 0 {
                SystemRole::Viewer.id()
            } else {
                SystemRole::Operator.id()
            };
            engine.bootstrap().assign_role(user, role).unwrap();
        }
    }
}
