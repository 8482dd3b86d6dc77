//! The standard roles of an organization as CSV, on standard output.
//!
//! Run with `cargo run --example export_csv`, or redirect it to a file and
//! open it in a spreadsheet: `cargo run --example export_csv > roles.csv`.

use rolegate::{Catalog, Engine, OrgId};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = Engine::new(Catalog::standard());
    engine
        .snapshot()
        .export_roles_to(OrgId::new(1), std::io::stdout().lock())?;
    Ok(())
}
