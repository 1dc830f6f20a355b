-- The figures leaders read (开工率, 投资完成率 against 时序进度, 资金到位率, 合同履约率, 建成投产率) are read from
-- rm_projects and rm_reports: the days they count on (ISO yyyy-MM-dd, compared as text), the opening figure a project
-- was registered with, and the funds that arrived in each reported month.
ALTER TABLE rm_projects ADD COLUMN planned_start      varchar(10)    NULL;
ALTER TABLE rm_projects ADD COLUMN actual_start       varchar(10)    NULL;
ALTER TABLE rm_projects ADD COLUMN planned_completion varchar(10)    NULL;
ALTER TABLE rm_projects ADD COLUMN signed_on          varchar(10)    NULL;
ALTER TABLE rm_projects ADD COLUMN operating_on       varchar(10)    NULL;
ALTER TABLE rm_projects ADD COLUMN opening_month      varchar(7)     NOT NULL DEFAULT '';
ALTER TABLE rm_projects ADD COLUMN opening_completed  numeric(18, 2) NOT NULL DEFAULT 0;
ALTER TABLE rm_reports  ADD COLUMN funds              numeric(14, 2) NOT NULL DEFAULT 0;

-- Rows written before: their days from the row's data; a project without an opening month takes this month's, as
-- its grain does when it next activates.
UPDATE rm_projects SET
    planned_start      = (data::json ->> 'plannedStart'),
    actual_start       = (data::json ->> 'actualStart'),
    planned_completion = (data::json ->> 'plannedCompletion'),
    opening_month      = COALESCE(NULLIF(data::json ->> 'openingMonth', ''), to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')),
    opening_completed  = COALESCE((data::json ->> 'openingCompleted')::numeric, completed);
