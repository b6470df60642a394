-- Names of every metadata version this engine imported into the local instance.
select name from metadata_version where sync_pair = ? and status = 'IMPORTED'
