//! The random-sequence property: the engine agrees with the model after every step.

use proptest::prelude::*;

use crate::runner::run;
use crate::strategy::arb_step;

/// 128 sequences (about 11 s in a debug build), or `PROPTEST_CASES`.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(128)
}

proptest! {
    // No regressions file: the shared tree stays clean; the minimal failing
    // sequence is printed instead.
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// 1 to 59 random steps after the 12 of [`setup`] (a failure shrinks to
    /// the shortest sequence that shows it).
    #[test]
    fn engine_agrees_with_the_model(steps in prop::collection::vec(arb_step(), 1..60)) {
        if let Err(why) = run(&steps, None) {
            return Err(TestCaseError::fail(why));
        }
    }
}
