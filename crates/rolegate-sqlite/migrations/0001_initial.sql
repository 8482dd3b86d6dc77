-- The engine's state: custom roles, teams and users, each row with the
-- revision that last wrote it, and memberships.
CREATE TABLE state (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    revision INTEGER NOT NULL,
    next_role INTEGER NOT NULL,
    next_team INTEGER NOT NULL
);
INSERT INTO state (id, revision, next_role, next_team) VALUES (0, 0, 6, 1);

CREATE TABLE roles (
    id INTEGER PRIMARY KEY,
    organization INTEGER NOT NULL,
    name TEXT NOT NULL,
    rules TEXT NOT NULL,
    revision INTEGER NOT NULL
);
CREATE INDEX roles_organization ON roles (organization);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    organization INTEGER NOT NULL,
    name TEXT NOT NULL,
    revision INTEGER NOT NULL
);
CREATE INDEX teams_organization ON teams (organization);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    organization INTEGER NOT NULL,
    customer INTEGER,
    role INTEGER NOT NULL,
    status TEXT NOT NULL,
    last_active INTEGER,
    revision INTEGER NOT NULL
);
CREATE INDEX users_organization ON users (organization);

CREATE TABLE memberships (
    team INTEGER NOT NULL,
    user INTEGER NOT NULL,
    PRIMARY KEY (team, user)
) WITHOUT ROWID;
CREATE INDEX memberships_user ON memberships (user);

-- Every commit, by revision: what another engine on this file catches up
-- from.
CREATE TABLE commits (
    revision INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    committed_at INTEGER NOT NULL
);

-- The audit trail. Ids come from `sequences`, in blocks, so that several
-- writers on one file never hand out the same id.
CREATE TABLE sequences (
    name TEXT PRIMARY KEY,
    next INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO sequences (name, next) VALUES ('event', 1);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    organization INTEGER,
    actor INTEGER,
    role INTEGER,
    role_name TEXT,
    action TEXT NOT NULL,
    resource_type TEXT,
    resource_id TEXT,
    outcome TEXT NOT NULL,
    reason TEXT,
    completed_at INTEGER
);
-- One index per filter, each ending in the id so that a filtered page
-- newest first is an index range.
CREATE INDEX events_organization ON events (organization, id);
CREATE INDEX events_actor ON events (actor, id);
CREATE INDEX events_action ON events (action, id);
CREATE INDEX events_resource_type ON events (resource_type, id);
CREATE INDEX events_outcome ON events (outcome, id);
CREATE INDEX events_at ON events (at, id);
