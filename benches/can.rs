//! Benchmarks of `Policy::can` (filled in below).
fn main() {}
