-- Console: the metadata versions the local instance imported or failed to import, newest first, with the report.
select name, type, hash, created, imported_at as "importedAt", status, failed_at as "failedAt", message,
       cast(report as text) as report
from metadata_version
where sync_pair = ?
order by created desc, name desc
limit 500
