-- Fleet view: per pair and job type, the last finished run's status and the last successful run's end.
select sync_pair, job_type,
       (array_agg(status order by finished desc) filter (where finished is not null))[1] as last_status,
       max(finished) filter (where status = 'SUCCESS') as last_success,
       bool_or(status = 'RUNNING') as running
from job_run
group by sync_pair, job_type
