-- Admin API: how many request ledger rows match the filters (null: any). Calls outside a run have no pair.
select count(*) from request_ledger r
where (r.sync_pair = ? or r.sync_pair is null)
  and (cast(? as text) is null or r.run_id = (select j.id from job_run j where j.job_id = cast(? as text)))
  and (cast(? as integer) is null or r.status between cast(? as integer) and cast(? as integer))
  and (cast(? as boolean) is null or (r.status is null) = cast(? as boolean))
  and (cast(? as timestamptz) is null or r.at >= cast(? as timestamptz))
