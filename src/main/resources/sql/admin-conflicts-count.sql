-- Admin API: how many conflicts central reported; filters (null = any): kind, error code, job type or job id,
-- created since (inclusive) and before.
select count(*)
from import_conflict c
left join job_run r on r.id = c.run_id
where c.sync_pair = ? and c.kind = coalesce(cast(? as text), c.kind)
  and (cast(? as text) is null or c.error_code = cast(? as text))
  and (cast(? as text) is null or r.job_type = cast(? as text) or r.job_id = cast(? as text))
  and (cast(? as timestamptz) is null or c.created >= cast(? as timestamptz))
  and (cast(? as timestamptz) is null or c.created < cast(? as timestamptz))
