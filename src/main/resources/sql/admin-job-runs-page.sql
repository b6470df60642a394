-- Admin API: one page of a job type's run history, newest first.
select job_id as "jobId", job_type as "jobType", status, trigger, started, finished, summary
from job_run
where sync_pair = ? and job_type = ?
order by started desc, id desc
limit ? offset ?
