-- The roster of departments and towns as administration keeps it (name, kind, duty list, retired), rewritten with
-- each unit's event: the administration page and the lead proposals (职责清单) read it.
CREATE TABLE rm_departments
(
    id      varchar(64) NOT NULL PRIMARY KEY,
    name    varchar(64) NOT NULL,
    kind    varchar(32) NOT NULL,
    retired integer     NOT NULL,
    version integer     NOT NULL,
    data    text        NOT NULL
);
