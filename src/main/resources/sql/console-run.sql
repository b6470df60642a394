-- Console: one run of the pair (run detail page), with its progress tree.
select job_id as "jobId", job_type as "jobType", status, trigger, started, finished, summary,
       cast(progress as text) as progress
from job_run
where sync_pair = ? and job_id = ?
