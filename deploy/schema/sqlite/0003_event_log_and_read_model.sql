-- KeyProjects schema, version 2 (embedded SQLite file): the event log and the read model.
-- kp_events is append-only: every change of an aggregate (problem, directive, project) as an event, numbered by one
-- appender (position), idempotent by (stream, sequence), each chained to the previous event of its stream by SHA-256.
-- The read model (rm_*) is written in the same transaction as the events it follows, with its checkpoint.

CREATE TABLE kp_log_meta
(
    key   TEXT  NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
-- The log's identity: a hub client's sequence numbers are positions of this log (a new database is a new epoch).
INSERT INTO kp_log_meta (key, value) VALUES ('epoch', lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))));

CREATE TABLE kp_events
(
    position      INTEGER        NOT NULL PRIMARY KEY,
    stream        TEXT  NOT NULL,
    sequence      INTEGER        NOT NULL,
    kind          TEXT  NOT NULL,
    actor         TEXT  NOT NULL,
    actor_name    TEXT  NOT NULL,
    at_utc        TEXT   NOT NULL,
    subject       TEXT  NOT NULL,
    project_code  TEXT   NULL,
    department_id TEXT   NULL,
    concerns      TEXT NOT NULL,
    title         TEXT  NOT NULL,
    data          text          NOT NULL,
    prev_hash     TEXT      NOT NULL,
    hash          TEXT      NOT NULL,
    CONSTRAINT kp_events_stream_sequence UNIQUE (stream, sequence)
);

CREATE TRIGGER kp_events_no_update BEFORE UPDATE ON kp_events
BEGIN
    SELECT RAISE(ABORT, 'kp_events is append-only: UPDATE refused');
END;
CREATE TRIGGER kp_events_no_delete BEFORE DELETE ON kp_events
BEGIN
    SELECT RAISE(ABORT, 'kp_events is append-only: DELETE refused');
END;

-- How far each projection has applied the log (updated in the same transaction as what it applied).
CREATE TABLE kp_checkpoints
(
    name     TEXT NOT NULL PRIMARY KEY,
    position INTEGER      NOT NULL
);

CREATE TABLE rm_projects
(
    code               TEXT    NOT NULL PRIMARY KEY,
    name               TEXT   NOT NULL,
    category           TEXT    NOT NULL,
    stage              TEXT    NOT NULL,
    level              TEXT    NOT NULL,
    town               TEXT   NOT NULL,
    leader_id          TEXT    NOT NULL,
    department_id      TEXT    NOT NULL,
    annual_planned     NUMERIC NOT NULL,
    completed          NUMERIC NOT NULL,
    planned_start_year INTEGER        NULL,
    started_year       INTEGER        NULL,
    version            INTEGER         NOT NULL,
    data               text           NOT NULL
);
CREATE INDEX rm_projects_leader ON rm_projects (leader_id);
CREATE INDEX rm_projects_stage ON rm_projects (stage);
-- The war room's start rate and investment sums read this index alone, not the rows.
CREATE INDEX rm_projects_figures ON rm_projects (planned_start_year, started_year, annual_planned, completed);

CREATE TABLE rm_problems
(
    id                 TEXT  NOT NULL PRIMARY KEY,
    project_code       TEXT  NOT NULL,
    title              TEXT NOT NULL,
    status             TEXT  NOT NULL,
    light              TEXT  NOT NULL,
    light_rank         INTEGER      NOT NULL,
    lead_department_id TEXT  NOT NULL,
    leader_id          TEXT  NULL,
    category           TEXT  NOT NULL,
    severity           TEXT  NOT NULL,
    is_open            INTEGER      NOT NULL,
    overdue            INTEGER      NOT NULL,
    escalation         INTEGER      NOT NULL,
    on_agenda          INTEGER      NOT NULL,
    pause              TEXT  NOT NULL,
    returns            INTEGER      NOT NULL,
    current_deadline   INTEGER       NOT NULL, -- the running deadline; the largest INTEGER when none runs (sorts last)
    last_changed       INTEGER       NOT NULL,
    raised_at          INTEGER       NOT NULL,
    version            INTEGER       NOT NULL,
    data               text         NOT NULL
);
-- Urgency: red before yellow before green, then the nearest running deadline. Each section of a page (a status, the
-- overdue, the agenda, the escalated, the pause requests) reads its first rows in this order from an index.
CREATE INDEX rm_problems_urgency ON rm_problems (light_rank DESC, current_deadline, id);
CREATE INDEX rm_problems_open_urgency ON rm_problems (is_open, light_rank DESC, current_deadline, id);
CREATE INDEX rm_problems_status_urgency ON rm_problems (status, light_rank DESC, current_deadline, id);
CREATE INDEX rm_problems_overdue ON rm_problems (light_rank DESC, current_deadline, id) WHERE is_open = 1 AND overdue = 1;
CREATE INDEX rm_problems_agenda ON rm_problems (light_rank DESC, current_deadline, id) WHERE is_open = 1 AND on_agenda = 1;
CREATE INDEX rm_problems_escalated ON rm_problems (light_rank DESC, current_deadline, id) WHERE is_open = 1 AND escalation >= 1;
CREATE INDEX rm_problems_pause_requested ON rm_problems (light_rank DESC, current_deadline, id) WHERE pause = 'Requested';
CREATE INDEX rm_problems_project ON rm_problems (project_code);
CREATE INDEX rm_problems_lead ON rm_problems (lead_department_id, is_open, overdue);
CREATE INDEX rm_problems_leader ON rm_problems (leader_id, is_open);
CREATE INDEX rm_problems_last_changed ON rm_problems (last_changed DESC);
-- The war room's counts of open problems read this index alone, not the rows.
CREATE INDEX rm_problems_open_figures ON rm_problems (is_open, light, overdue, escalation);

-- Which departments a problem concerns now: lead, assisting, or former lead (a department's desk).
CREATE TABLE rm_problem_departments
(
    problem_id       TEXT NOT NULL,
    department_id    TEXT NOT NULL,
    involvement      TEXT NOT NULL,
    is_open          INTEGER     NOT NULL,
    light_rank       INTEGER     NOT NULL,
    current_deadline INTEGER     NOT NULL,
    last_changed     INTEGER     NOT NULL,
    PRIMARY KEY (problem_id, department_id)
);
-- A desk reads its first rows of each kind in urgency order, and its latest closed ones, from these indexes.
CREATE INDEX rm_problem_departments_desk ON rm_problem_departments (department_id, involvement, is_open, light_rank DESC, current_deadline, problem_id);
CREATE INDEX rm_problem_departments_closed ON rm_problem_departments (department_id, is_open, last_changed DESC);

CREATE TABLE rm_directives
(
    id            TEXT  NOT NULL PRIMARY KEY,
    kind          TEXT  NOT NULL,
    status        TEXT  NOT NULL,
    department_id TEXT  NOT NULL,
    issued_by     TEXT NOT NULL,
    problem_id    TEXT  NULL,
    project_code  TEXT  NULL,
    is_open       INTEGER      NOT NULL,
    deadline      INTEGER       NOT NULL,
    issued_at     INTEGER       NOT NULL,
    version       INTEGER       NOT NULL,
    data          text         NOT NULL
);
CREATE INDEX rm_directives_department ON rm_directives (department_id, is_open);
CREATE INDEX rm_directives_open ON rm_directives (is_open, deadline);

-- A department's running totals behind its figures (each claim, close and return counted once).
CREATE TABLE rm_department_totals
(
    department_id  TEXT      NOT NULL PRIMARY KEY,
    claimed        INTEGER          NOT NULL,
    claim_hours    REAL NOT NULL,
    closed         INTEGER          NOT NULL,
    close_hours    REAL NOT NULL,
    closed_on_time INTEGER          NOT NULL,
    returns        INTEGER          NOT NULL
);

-- Bell notifications, one row per mailbox and notification, numbered by the log position that caused them;
-- also the record of what the outbound channel would send.
CREATE TABLE rm_notifications
(
    mailbox         TEXT  NOT NULL,
    notification_id TEXT  NOT NULL,
    position        INTEGER        NOT NULL,
    kind            TEXT  NOT NULL,
    title           TEXT  NOT NULL,
    text            TEXT NOT NULL,
    link            TEXT  NULL,
    at_utc          TEXT   NOT NULL,
    PRIMARY KEY (mailbox, notification_id)
);
CREATE INDEX rm_notifications_mailbox ON rm_notifications (mailbox, position DESC);
CREATE INDEX rm_notifications_position ON rm_notifications (position DESC);

-- Idempotency keys of API commands, per user, kept 7 days: a retry with the same key and the same request goes on
-- to the aggregate (which answers it once); the same key with another request is refused (409 command.key_reused).
CREATE TABLE kp_command_keys
(
    user_name   TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_name, key)
);
CREATE INDEX kp_command_keys_created ON kp_command_keys (created_at);
