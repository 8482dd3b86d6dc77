-- The engine's state: custom roles, teams and users, each row with the
-- revision that last wrote it, and memberships. Ids are the host's 64-bit
-- numbers, kept bit for bit in signed bigints.
CREATE TABLE rolegate_state (
    id integer PRIMARY KEY CHECK (id = 0),
    revision bigint NOT NULL,
    next_role bigint NOT NULL,
    next_team bigint NOT NULL
);
INSERT INTO rolegate_state (id, revision, next_role, next_team) VALUES (0, 0, 6, 1);

CREATE TABLE rolegate_roles (
    id bigint PRIMARY KEY,
    organization bigint NOT NULL,
    name text NOT NULL,
    rules text NOT NULL,
    revision bigint NOT NULL
);
CREATE INDEX rolegate_roles_organization ON rolegate_roles (organization);

CREATE TABLE rolegate_teams (
    id bigint PRIMARY KEY,
    organization bigint NOT NULL,
    name text NOT NULL,
    revision bigint NOT NULL
);
CREATE INDEX rolegate_teams_organization ON rolegate_teams (organization);

CREATE TABLE rolegate_users (
    id bigint PRIMARY KEY,
    organization bigint NOT NULL,
    customer bigint,
    role bigint NOT NULL,
    status text NOT NULL,
    last_active bigint,
    revision bigint NOT NULL
);
CREATE INDEX rolegate_users_organization ON rolegate_users (organization);

CREATE TABLE rolegate_memberships (
    team bigint NOT NULL,
    member bigint NOT NULL,
    PRIMARY KEY (team, member)
);
CREATE INDEX rolegate_memberships_member ON rolegate_memberships (member);

-- Every commit, by revision: the truth every instance catches up from. A
-- notification on `rolegate_commits` only wakes instances up.
CREATE TABLE rolegate_commits (
    revision bigint PRIMARY KEY,
    body text NOT NULL,
    committed_at bigint NOT NULL
);

-- The audit trail.
CREATE TABLE rolegate_events (
    id bigserial PRIMARY KEY,
    at bigint NOT NULL,
    organization bigint,
    actor bigint,
    role bigint,
    role_name text,
    action text NOT NULL,
    resource_type text,
    resource_id text,
    outcome text NOT NULL,
    reason text,
    completed_at bigint
);
-- One index per filter, each ending in the id, so that a filtered page
-- newest first is an index range.
CREATE INDEX rolegate_events_organization ON rolegate_events (organization, id);
CREATE INDEX rolegate_events_actor ON rolegate_events (actor, id);
CREATE INDEX rolegate_events_action ON rolegate_events (action, id);
CREATE INDEX rolegate_events_resource_type ON rolegate_events (resource_type, id);
CREATE INDEX rolegate_events_outcome ON rolegate_events (outcome, id);
CREATE INDEX rolegate_events_at ON rolegate_events (at, id);
