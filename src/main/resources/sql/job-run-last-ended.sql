-- The latest run of a job that has ended, or that a previous engine process left RUNNING (started before this
-- process started: it never ended) - unless another node of the cluster still runs it: its run lock (RunLocks, a
-- session advisory lock on the bigint hash of the lock's name, which pg_locks shows as two 32-bit halves) is held.
-- Parameters: sync pair, job type, start of this engine process.
select status, started, finished, cast(progress as text)
from job_run r
where sync_pair = ? and job_type = ? and (status <> 'RUNNING' or started < ?)
  and not (status = 'RUNNING' and exists (
      select 1
      from pg_locks l,
           lateral (select hashtextextended('dhis2-sync run lock ' || r.sync_pair || '/job/' || r.job_type, 0) as k) h
      where l.locktype = 'advisory' and l.granted and l.objsubid = 1
        and l.classid = ((h.k >> 32) & 4294967295)::oid and l.objid = (h.k & 4294967295)::oid))
order by started desc, id desc
limit 1
