insert into import_conflict (run_id, sync_pair, kind, uid, object, value, error_code, property, severity)
values (?, ?, ?, ?, ?, ?, ?, ?, ?)
