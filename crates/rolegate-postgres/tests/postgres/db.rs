//! A schema of its own for each test, on the database named by
//! `ROLEGATE_POSTGRES_URL`; without the variable, the tests say that they
//! did not run.

use std::sync::atomic::{AtomicU32, Ordering};

use rolegate::audit::AuditLog;
use rolegate::{Catalog, Engine};
use rolegate_postgres::{Config, PostgresSink, PostgresStore};

/// The variable naming the database.
pub const VAR: &str = "ROLEGATE_POSTGRES_URL";

/// A schema made for one test, dropped with it.
pub struct TestDb {
    url: String,
    pub schema: String,
}

/// A fresh schema, or `None` (with a note on stderr) when no database is
/// named. A named database that cannot be reached fails the test.
pub fn database(test: &str) -> Option<TestDb> {
    let Ok(url) = std::env::var(VAR) else {
        // Straight to stderr, past the test harness's capture, so that it
        // shows in a passing run; once per run.
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "\nrolegate-postgres: the PostgreSQL tests did NOT run (no {VAR}); they pass without \
                 checking anything. To run them: {VAR}=\"host=127.0.0.1 user=postgres dbname=test\" \
                 cargo test -p rolegate-postgres\n"
            );
        });
        return None;
    };
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let schema = format!(
        "rolegate_test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst),
        test.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    );
    let mut admin = url
        .parse::<Config>()
        .unwrap_or_else(|e| panic!("{VAR}={url:?} does not parse: {e}"))
        .connect(postgres::NoTls)
        .unwrap_or_else(|e| panic!("{VAR}={url:?} is set, but PostgreSQL cannot be reached: {e}"));
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .unwrap();
    Some(TestDb { url, schema })
}

impl TestDb {
    /// A connection configuration on this test's schema, named `name` in
    /// `pg_stat_activity`.
    pub fn config(&self, name: &str) -> Config {
        let mut config: Config = self.url.parse().unwrap();
        config
            // Durability is not what these tests are about.
            .options(&format!(
                "-c search_path={} -c synchronous_commit=off",
                self.schema
            ))
            .application_name(&format!("{}:{name}", self.schema));
        config
    }

    /// An engine on this schema, its audit trail there too.
    pub fn engine(&self, name: &str) -> Engine {
        let mut builder = Engine::builder(Catalog::standard());
        builder.audit(AuditLog::new(
            PostgresSink::with_config(self.config(name)).unwrap(),
        ));
        builder
            .open(PostgresStore::with_config(self.config(name)).unwrap())
            .unwrap()
    }

    /// A plain client on this schema, for the test's own SQL.
    pub fn client(&self) -> postgres::Client {
        self.config("test").connect(postgres::NoTls).unwrap()
    }

    /// Ends every connection the instance `name` holds, as a failed network
    /// or a restarted server would; how many were ended.
    pub fn cut(&self, name: &str) -> i64 {
        let mut client = self.client();
        let row = client
            .query_one(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1",
                &[&format!("{}:{name}", self.schema)],
            )
            .unwrap();
        row.get(0)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut client) = self
            .url
            .parse::<Config>()
            .and_then(|c| c.connect(postgres::NoTls))
        {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}
