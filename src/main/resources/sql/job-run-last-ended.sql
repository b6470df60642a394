-- The latest run of a job that has ended, or that a previous engine process left RUNNING (started before this
-- process started: it never ended). Parameters: sync pair, job type, start of this engine process.
select status, started, finished, cast(progress as text)
from job_run
where sync_pair = ? and job_type = ? and (status <> 'RUNNING' or started < ?)
order by started desc, id desc
limit 1
