-- Admin API: the progress tree (DHIS2's process/stage/item JSON) of a job type's last finished run.
select cast(progress as text) from job_run
where sync_pair = ? and job_type = ? and status <> 'RUNNING'
order by finished desc nulls last, id desc
limit 1
