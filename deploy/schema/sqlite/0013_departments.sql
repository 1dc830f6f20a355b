-- The roster of departments and towns as administration keeps it (name, kind, duty list, retired), rewritten with
-- each unit's event: the administration page and the lead proposals (职责清单) read it.
CREATE TABLE rm_departments
(
    id      TEXT    NOT NULL PRIMARY KEY,
    name    TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    retired INTEGER NOT NULL,
    version INTEGER NOT NULL,
    data    TEXT    NOT NULL
);
