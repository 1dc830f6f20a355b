-- KeyProjects schema, version 2 (PostgreSQL): the event log and the read model.
-- kp_events is append-only: every change of an aggregate (problem, directive, project) as an event, numbered by one
-- appender (position), idempotent by (stream, sequence), each chained to the previous event of its stream by SHA-256.
-- The read model (rm_*) is written in the same transaction as the events it follows, with its checkpoint.

CREATE TABLE kp_log_meta
(
    key   varchar(64)  NOT NULL PRIMARY KEY,
    value varchar(200) NOT NULL
);
-- The log's identity: a hub client's sequence numbers are positions of this log (a new database is a new epoch).
INSERT INTO kp_log_meta (key, value) VALUES ('epoch', md5(random()::text || clock_timestamp()::text)::uuid::text);

CREATE TABLE kp_events
(
    position      bigint        NOT NULL PRIMARY KEY,
    stream        varchar(100)  NOT NULL,
    sequence      bigint        NOT NULL,
    kind          varchar(100)  NOT NULL,
    actor         varchar(100)  NOT NULL,
    actor_name    varchar(200)  NOT NULL,
    at_utc        varchar(40)   NOT NULL,
    subject       varchar(100)  NOT NULL,
    project_code  varchar(64)   NULL,
    department_id varchar(64)   NULL,
    concerns      text         NOT NULL,
    title         text          NOT NULL,
    data          text          NOT NULL,
    prev_hash     char(64)      NOT NULL,
    hash          char(64)      NOT NULL,
    CONSTRAINT kp_events_stream_sequence UNIQUE (stream, sequence)
);

CREATE FUNCTION kp_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'kp_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER kp_events_no_update_or_delete BEFORE UPDATE OR DELETE ON kp_events
    FOR EACH ROW EXECUTE FUNCTION kp_events_append_only();
CREATE TRIGGER kp_events_no_truncate BEFORE TRUNCATE ON kp_events
    FOR EACH STATEMENT EXECUTE FUNCTION kp_events_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON kp_events FROM PUBLIC;

-- How far each projection has applied the log (updated in the same transaction as what it applied).
CREATE TABLE kp_checkpoints
(
    name     text         NOT NULL PRIMARY KEY,
    position bigint      NOT NULL
);

CREATE TABLE rm_projects
(
    code               varchar(64)    NOT NULL PRIMARY KEY,
    name               text           NOT NULL,
    category           varchar(32)    NOT NULL,
    stage              varchar(32)    NOT NULL,
    level              varchar(32)    NOT NULL,
    town               text           NOT NULL,
    leader_id          varchar(64)    NOT NULL,
    department_id      varchar(64)    NOT NULL,
    annual_planned     numeric(18, 2) NOT NULL,
    completed          numeric(18, 2) NOT NULL,
    planned_start_year integer        NULL,
    started_year       integer        NULL,
    version            bigint         NOT NULL,
    data               text           NOT NULL
);
CREATE INDEX rm_projects_leader ON rm_projects (leader_id);
CREATE INDEX rm_projects_stage ON rm_projects (stage);
-- The war room's start rate and investment sums read this index alone, not the rows.
CREATE INDEX rm_projects_figures ON rm_projects (planned_start_year, started_year, annual_planned, completed);

CREATE TABLE rm_problems
(
    id                 varchar(36)  NOT NULL PRIMARY KEY,
    project_code       varchar(64)  NOT NULL,
    title              text         NOT NULL,
    status             varchar(32)  NOT NULL,
    light              varchar(16)  NOT NULL,
    light_rank         integer      NOT NULL,
    lead_department_id varchar(64)  NOT NULL,
    leader_id          varchar(64)  NULL,
    category           varchar(32)  NOT NULL,
    severity           varchar(32)  NOT NULL,
    is_open            integer      NOT NULL,
    overdue            integer      NOT NULL,
    escalation         integer      NOT NULL,
    on_agenda          integer      NOT NULL,
    pause              varchar(16)  NOT NULL,
    returns            integer      NOT NULL,
    current_deadline   bigint       NOT NULL, -- the running deadline; the largest bigint when none runs (sorts last)
    last_changed       bigint       NOT NULL,
    raised_at          bigint       NOT NULL,
    version            bigint       NOT NULL,
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
    problem_id       varchar(36) NOT NULL,
    department_id    varchar(64) NOT NULL,
    involvement      varchar(16) NOT NULL,
    is_open          integer     NOT NULL,
    light_rank       integer     NOT NULL,
    current_deadline bigint     NOT NULL,
    last_changed     bigint     NOT NULL,
    PRIMARY KEY (problem_id, department_id)
);
-- A desk reads its first rows of each kind in urgency order, and its latest closed ones, from these indexes.
CREATE INDEX rm_problem_departments_desk ON rm_problem_departments (department_id, involvement, is_open, light_rank DESC, current_deadline, problem_id);
CREATE INDEX rm_problem_departments_closed ON rm_problem_departments (department_id, is_open, last_changed DESC);

CREATE TABLE rm_directives
(
    id            varchar(36)  NOT NULL PRIMARY KEY,
    kind          varchar(32)  NOT NULL,
    status        varchar(32)  NOT NULL,
    department_id varchar(64)  NOT NULL,
    issued_by     varchar(100) NOT NULL,
    problem_id    varchar(36)  NULL,
    project_code  varchar(64)  NULL,
    is_open       integer      NOT NULL,
    deadline      bigint       NOT NULL,
    issued_at     bigint       NOT NULL,
    version       bigint       NOT NULL,
    data          text         NOT NULL
);
CREATE INDEX rm_directives_department ON rm_directives (department_id, is_open);
CREATE INDEX rm_directives_open ON rm_directives (is_open, deadline);

-- A department's running totals behind its figures (each claim, close and return counted once).
CREATE TABLE rm_department_totals
(
    department_id  varchar(64)      NOT NULL PRIMARY KEY,
    claimed        integer          NOT NULL,
    claim_hours    double precision NOT NULL,
    closed         integer          NOT NULL,
    close_hours    double precision NOT NULL,
    closed_on_time integer          NOT NULL,
    returns        integer          NOT NULL
);

-- Bell notifications, one row per mailbox and notification, numbered by the log position that caused them;
-- also the record of what the outbound channel would send.
CREATE TABLE rm_notifications
(
    mailbox         varchar(100)  NOT NULL,
    notification_id varchar(200)  NOT NULL,
    position        bigint        NOT NULL,
    kind            varchar(100)  NOT NULL,
    title           text          NOT NULL,
    text            text         NOT NULL,
    link            text          NULL,
    at_utc          varchar(40)   NOT NULL,
    PRIMARY KEY (mailbox, notification_id)
);
CREATE INDEX rm_notifications_mailbox ON rm_notifications (mailbox, position DESC);
CREATE INDEX rm_notifications_position ON rm_notifications (position DESC);

-- Idempotency keys of API commands, per user, kept 7 days: a retry with the same key and the same request goes on
-- to the aggregate (which answers it once); the same key with another request is refused (409 command.key_reused).
CREATE TABLE kp_command_keys
(
    user_name   varchar(100) NOT NULL,
    key         varchar(100) NOT NULL,
    fingerprint char(64)     NOT NULL,
    created_at  bigint       NOT NULL,
    PRIMARY KEY (user_name, key)
);
CREATE INDEX kp_command_keys_created ON kp_command_keys (created_at);
