-- Photos of monthly progress reports (形象进度照片), stored by the app: the image re-encoded (at most 2048 px, no
-- metadata) and its thumbnail. The report keeps which photos it has (ids, captions); the bytes live here.
CREATE TABLE kp_photos
(
    id           TEXT    NOT NULL PRIMARY KEY,
    project_code TEXT    NOT NULL,
    month        TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    image        BLOB    NOT NULL,
    thumbnail    BLOB    NOT NULL,
    uploaded_by  TEXT    NOT NULL,
    uploaded_at  INTEGER NOT NULL
);
CREATE INDEX ix_kp_photos_report ON kp_photos (project_code, month);
