-- The runs of jobs going on on other nodes, the newest per job: job_run calls it RUNNING and a database session
-- holds the job's run lock (pg_locks shows a bigint advisory lock as classid = high, objid = low 32 bits), so a run
-- left RUNNING by a node that died is not shown. Read only: no lock is taken.
-- Parameters: job types (text[]), their lock names (text[], same order), sync pair, this node.
select distinct on (r.job_type) r.job_type, r.job_id, r.node, r.started, r.progress::text
from job_run r
join unnest(?::text[], ?::text[]) as j(job_type, lock_name) on j.job_type = r.job_type
where r.sync_pair = ? and r.status = 'RUNNING' and r.node is distinct from ?
  and exists (select 1 from pg_locks l
              where l.locktype = 'advisory' and l.granted and l.objsubid = 1
                and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(j.lock_name, 0))
order by r.job_type, r.started desc
