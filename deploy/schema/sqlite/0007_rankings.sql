-- The monthly 红黑榜: one row per month with its exemptions and, once published, its frozen standings; kept by the projection.
CREATE TABLE rm_rankings
(
    month     TEXT    NOT NULL PRIMARY KEY,
    published INTEGER NOT NULL,
    version   INTEGER NOT NULL,
    data      TEXT    NOT NULL
);
