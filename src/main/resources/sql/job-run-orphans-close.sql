-- Runs left RUNNING by a node that stopped (crashed, killed, lost its database connection) among the job types that
-- share a stage with the one starting; called while holding their run locks, so none of them is really running.
-- Parameters: summary, sync pair, job types (text[]).
update job_run
set status = 'FAILED', finished = now(), summary = ?
where sync_pair = ? and job_type = any (?) and status = 'RUNNING'
returning id, job_type, coalesce(node, 'unknown node')
