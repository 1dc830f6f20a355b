-- The factor ledger (要素保障): one row per pool and year (land quota, energy quota, environmental capacity) with its
-- capacity, what is allocated and every allocation (data); kept by the projection.
CREATE TABLE rm_factor_pools
(
    kind      varchar(32)    NOT NULL,
    year      integer        NOT NULL,
    capacity  numeric(18, 2) NOT NULL,
    allocated numeric(18, 2) NOT NULL,
    version   bigint         NOT NULL,
    data      text           NOT NULL,
    PRIMARY KEY (kind, year)
);
