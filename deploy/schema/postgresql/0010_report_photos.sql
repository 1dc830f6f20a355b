-- Photos of monthly progress reports (形象进度照片), stored by the app: the image re-encoded (at most 2048 px, no
-- metadata) and its thumbnail. The report keeps which photos it has (ids, captions); the bytes live here.
CREATE TABLE kp_photos
(
    id           varchar(36)  NOT NULL PRIMARY KEY,
    project_code varchar(64)  NOT NULL,
    month        varchar(7)   NOT NULL,
    content_type varchar(32)  NOT NULL,
    image        bytea        NOT NULL,
    thumbnail    bytea        NOT NULL,
    uploaded_by  varchar(256) NOT NULL,
    uploaded_at  bigint       NOT NULL
);
CREATE INDEX ix_kp_photos_report ON kp_photos (project_code, month);
