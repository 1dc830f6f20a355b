-- A project's approval path (手续) and its factor needs, one row per item and per need, rewritten with each of the
-- project's events: the desks' and the screen's lists of items (overdue ones by department) and the city's needs
-- against its pools are queries over these.
CREATE TABLE rm_approvals
(
    project_code  TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    department_id TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    is_open       INTEGER NOT NULL,
    planned_start TEXT    NOT NULL,
    planned_done  TEXT    NOT NULL,
    actual_done   TEXT,
    problem_id    TEXT,
    data          TEXT    NOT NULL,
    PRIMARY KEY (project_code, kind)
);
CREATE INDEX ix_rm_approvals_open ON rm_approvals (is_open, planned_done);
CREATE INDEX ix_rm_approvals_department ON rm_approvals (department_id, is_open, planned_done);

CREATE TABLE rm_factor_needs
(
    project_code  TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    department_id TEXT    NOT NULL,
    amount        NUMERIC NOT NULL,
    met           NUMERIC NOT NULL,
    data          TEXT    NOT NULL,
    PRIMARY KEY (project_code, kind)
);
CREATE INDEX ix_rm_factor_needs_kind ON rm_factor_needs (kind);
