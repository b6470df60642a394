-- Admin API: one page of the request ledger, newest first, filtered like admin-requests-count.sql.
select r.id, r.at, r.sync_pair as "pair", j.job_id as "jobId", r.job_type as "jobType", r.stage, r.step, r.page,
       r.method, r.instance, r.path, r.status, r.failure, r.bytes_out as "bytesOut", r.bytes_in as "bytesIn",
       r.millis, r.attempt, cast(r.request_id as text) as "requestId"
from request_ledger r
left join job_run j on j.id = r.run_id
where (r.sync_pair = ? or r.sync_pair is null)
  and (cast(? as text) is null or r.run_id = (select j2.id from job_run j2 where j2.job_id = cast(? as text)))
  and (cast(? as integer) is null or r.status between cast(? as integer) and cast(? as integer))
  and (cast(? as boolean) is null or (r.status is null) = cast(? as boolean))
  and (cast(? as timestamptz) is null or r.at >= cast(? as timestamptz))
order by r.at desc, r.id desc
limit ? offset ?
