-- The newest metadata version this engine imported into the local instance (the baseline of the next pull).
select name from metadata_version
 where sync_pair = ? and status = 'IMPORTED'
 order by created desc, imported_at desc
 limit 1
