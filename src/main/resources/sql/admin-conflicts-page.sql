-- Admin API: one page of the conflicts central reported, newest first, with the run that met them; filters as in
-- admin-conflicts-count.sql.
select c.id, r.job_id as "jobId", r.job_type as "jobType", c.kind, c.uid, c.object, c.value,
       c.error_code as "errorCode", c.property, c.severity, c.created
from import_conflict c
left join job_run r on r.id = c.run_id
where c.sync_pair = ? and c.kind = coalesce(cast(? as text), c.kind)
  and (cast(? as text) is null or c.error_code = cast(? as text))
  and (cast(? as text) is null or r.job_type = cast(? as text) or r.job_id = cast(? as text))
  and (cast(? as timestamptz) is null or c.created >= cast(? as timestamptz))
  and (cast(? as timestamptz) is null or c.created < cast(? as timestamptz))
order by c.created desc, c.id desc
limit ? offset ?
