-- The library's light filter groups the open red and yellow problems by project: this index answers it alone.
CREATE INDEX rm_problems_open_lights ON rm_problems (project_code, light) WHERE is_open = 1;
