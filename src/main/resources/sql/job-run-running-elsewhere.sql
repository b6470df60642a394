-- The run of a job going on on another node: job_run calls it RUNNING and a database session holds the job's run
-- lock (pg_locks shows a bigint advisory lock as classid = high, objid = low 32 bits), so a run left RUNNING by a
-- node that died is not shown. Parameters: sync pair, job type, this node, the job's lock name.
select r.job_id, r.node, r.started, r.progress::text
from job_run r
where r.sync_pair = ? and r.job_type = ? and r.status = 'RUNNING' and r.node is distinct from ?
  and exists (select 1 from pg_locks l
              where l.locktype = 'advisory' and l.granted and l.objsubid = 1
                and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(?, 0))
order by r.started desc
limit 1
