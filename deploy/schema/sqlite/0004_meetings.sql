-- Coordination meetings (调度会): one row per meeting, its summary as JSON; kept by the projection.
CREATE TABLE rm_meetings
(
    id           varchar(36)  NOT NULL PRIMARY KEY,
    kind         varchar(32)  NOT NULL,
    series       varchar(100) NOT NULL,
    status       varchar(16)  NOT NULL,
    scheduled_at bigint       NOT NULL,
    version      bigint       NOT NULL,
    data         text         NOT NULL
);
CREATE INDEX rm_meetings_status ON rm_meetings (status, scheduled_at);
CREATE INDEX rm_meetings_series ON rm_meetings (series, scheduled_at);
