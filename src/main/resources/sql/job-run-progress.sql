update job_run set progress = cast(? as jsonb) where id = ? and status = 'RUNNING'
