-- The latest RUNNING run among job types (the run that holds a lock another start wanted).
-- Parameters: sync pair, job types (text[]).
select job_type, started, coalesce(node, 'unknown node')
from job_run
where sync_pair = ? and job_type = any (?) and status = 'RUNNING'
order by started desc, id desc
limit 1
