update job_run set status = ?, finished = ?, summary = ?, progress = cast(? as jsonb) where id = ?
