insert into job_run (job_id, job_type, sync_pair, trigger, status, started, node, scheduled_fire)
values (?, ?, ?, ?, 'RUNNING', ?, ?, ?)
returning id
