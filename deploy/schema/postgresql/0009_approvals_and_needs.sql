-- A project's approval path (手续) and its factor needs, one row per item and per need, rewritten with each of the
-- project's events: the desks' and the screen's lists of items (overdue ones by department) and the city's needs
-- against its pools are queries over these.
CREATE TABLE rm_approvals
(
    project_code  varchar(64) NOT NULL,
    kind          varchar(32) NOT NULL,
    department_id varchar(64) NOT NULL,
    status        varchar(32) NOT NULL,
    is_open       integer     NOT NULL,
    planned_start varchar(10) NOT NULL,
    planned_done  varchar(10) NOT NULL,
    actual_done   varchar(10),
    problem_id    varchar(36),
    data          text        NOT NULL,
    PRIMARY KEY (project_code, kind)
);
CREATE INDEX ix_rm_approvals_open ON rm_approvals (is_open, planned_done);
CREATE INDEX ix_rm_approvals_department ON rm_approvals (department_id, is_open, planned_done);

CREATE TABLE rm_factor_needs
(
    project_code  varchar(64)    NOT NULL,
    kind          varchar(32)    NOT NULL,
    department_id varchar(64)    NOT NULL,
    amount        numeric(18, 2) NOT NULL,
    met           numeric(18, 2) NOT NULL,
    data          text           NOT NULL,
    PRIMARY KEY (project_code, kind)
);
CREATE INDEX ix_rm_factor_needs_kind ON rm_factor_needs (kind);
