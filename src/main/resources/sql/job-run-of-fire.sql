-- The run a fire of a cron schedule started (one per fire in the cluster). Parameters: sync pair, job type, fire time.
select coalesce(node, 'unknown node'), started
from job_run
where sync_pair = ? and job_type = ? and scheduled_fire = ?
