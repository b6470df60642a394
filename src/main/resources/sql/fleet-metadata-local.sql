-- Fleet view: per pair, the newest metadata version its local instance imported.
select distinct on (sync_pair) sync_pair, name
from metadata_version
where status = 'IMPORTED'
order by sync_pair, created desc
