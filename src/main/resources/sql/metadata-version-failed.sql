-- A version that could not be imported: when, why, and the import report when there was one.
insert into metadata_version (sync_pair, name, type, hash, created, status, report, failed_at, message)
values (?, ?, ?, ?, ?, 'FAILED', cast(? as jsonb), ?, ?)
on conflict (sync_pair, name) do update
   set status = 'FAILED', report = excluded.report, failed_at = excluded.failed_at, message = excluded.message
 where metadata_version.status <> 'IMPORTED'
