-- Monthly progress reports (月报): one row per project and month, the latest version; kept by the projection.
CREATE TABLE rm_reports
(
    project_code varchar(64)    NOT NULL,
    month        varchar(7)     NOT NULL,
    completed    numeric(14, 2) NOT NULL,
    percent      integer        NOT NULL,
    reported_by  varchar(100)   NOT NULL,
    reported_at  bigint         NOT NULL,
    late         integer        NOT NULL,
    locked       integer        NOT NULL,
    version      bigint         NOT NULL,
    data         text           NOT NULL,
    PRIMARY KEY (project_code, month)
);
CREATE INDEX rm_reports_month ON rm_reports (month);
