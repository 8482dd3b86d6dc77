//! The six system roles of the standard catalog: one line per role, its name,
//! its permission count, then its permissions (End User's with their extra
//! must-match keys).
//!
//! Run with `cargo run --example system_roles`.

use rolegate::{Catalog, MustMatch, Role, SystemRole};

fn main() {
    let catalog = Catalog::standard();
    for system in SystemRole::ALL {
        let role = Role::system(&catalog, system);
        let permissions: Vec<String> = role
            .rules()
            .iter()
            .map(|rule| {
                let name = catalog.permission_name(rule.permission()).unwrap_or("?");
                let extra = rule.must_match() - MustMatch::ORGANIZATION;
                if extra.is_empty() {
                    name.to_owned()
                } else {
                    format!("{name}[{extra}]")
                }
            })
            .collect();
        println!(
            "{} {} {}",
            system.name(),
            role.permissions().len(),
            permissions.join(" ")
        );
    }
}
