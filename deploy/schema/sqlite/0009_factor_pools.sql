-- The factor ledger (要素保障): one row per pool and year (land quota, energy quota, environmental capacity) with its
-- capacity, what is allocated and every allocation (data); kept by the projection.
CREATE TABLE rm_factor_pools
(
    kind      TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    capacity  NUMERIC NOT NULL,
    allocated NUMERIC NOT NULL,
    version   INTEGER NOT NULL,
    data      TEXT    NOT NULL,
    PRIMARY KEY (kind, year)
);
