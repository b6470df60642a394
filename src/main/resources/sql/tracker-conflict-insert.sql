-- One conflict central reported for a tracker object in a job run.
insert into import_conflict (run_id, sync_pair, kind, uid, object, value, error_code, severity)
values (?, ?, ?, ?, ?, ?, ?, ?)
