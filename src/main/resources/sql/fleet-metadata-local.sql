-- Fleet view: the newest metadata version the pair's local instance imported.
select name from metadata_version
where sync_pair = ? and status = 'IMPORTED'
order by created desc
limit 1
