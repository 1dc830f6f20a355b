-- The monthly 红黑榜: one row per month with its exemptions and, once published, its frozen standings; kept by the projection.
CREATE TABLE rm_rankings
(
    month     varchar(7) NOT NULL PRIMARY KEY,
    published integer    NOT NULL,
    version   bigint     NOT NULL,
    data      text       NOT NULL
);
