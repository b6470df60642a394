-- A version the local instance accepted (OK, or WARNING with BEST_EFFORT), with its import report.
insert into metadata_version (sync_pair, name, type, hash, created, imported_at, status, report, failed_at, message)
values (?, ?, ?, ?, ?, ?, 'IMPORTED', cast(? as jsonb), null, null)
on conflict (sync_pair, name) do update
   set type = excluded.type, hash = excluded.hash, created = excluded.created, imported_at = excluded.imported_at,
       status = 'IMPORTED', report = excluded.report, failed_at = null, message = null
