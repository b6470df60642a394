-- Console: the ended runs of the pair's last N days (per-stage daily figures are summed from their progress trees).
select job_type as "jobType", started, finished, cast(progress as text) as progress
from job_run
where sync_pair = ? and finished is not null and started >= now() - make_interval(days => ?)
order by started
