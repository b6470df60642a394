-- The run of a job that ended last, on any node. Parameters: sync pair, job type.
select started, finished
from job_run
where sync_pair = ? and job_type = ? and finished is not null
order by finished desc, id desc
limit 1
