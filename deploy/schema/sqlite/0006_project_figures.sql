-- The figures leaders read (开工率, 投资完成率 against 时序进度, 资金到位率, 合同履约率, 建成投产率) are read from
-- rm_projects and rm_reports: the days they count on (ISO yyyy-MM-dd, compared as text), the opening figure a project
-- was registered with, and the funds that arrived in each reported month.
ALTER TABLE rm_projects ADD COLUMN planned_start      TEXT    NULL;
ALTER TABLE rm_projects ADD COLUMN actual_start       TEXT    NULL;
ALTER TABLE rm_projects ADD COLUMN planned_completion TEXT    NULL;
ALTER TABLE rm_projects ADD COLUMN signed_on          TEXT    NULL;
ALTER TABLE rm_projects ADD COLUMN operating_on       TEXT    NULL;
ALTER TABLE rm_projects ADD COLUMN opening_month      TEXT    NOT NULL DEFAULT '';
ALTER TABLE rm_projects ADD COLUMN opening_completed  NUMERIC NOT NULL DEFAULT 0;
ALTER TABLE rm_reports  ADD COLUMN funds              NUMERIC NOT NULL DEFAULT 0;

-- Rows written before: their days from the row's data; a project without an opening month takes this month's, as
-- its grain does when it next activates.
UPDATE rm_projects SET
    planned_start      = json_extract(data, '$.plannedStart'),
    actual_start       = json_extract(data, '$.actualStart'),
    planned_completion = json_extract(data, '$.plannedCompletion'),
    opening_month      = COALESCE(NULLIF(json_extract(data, '$.openingMonth'), ''), strftime('%Y-%m', 'now', '+8 hours')),
    opening_completed  = COALESCE(json_extract(data, '$.openingCompleted'), completed);
