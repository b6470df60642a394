-- Admin API: how many runs of a job type are recorded.
select count(*) from job_run where sync_pair = ? and job_type = ?
