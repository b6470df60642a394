-- One temporary ownership override asked of central (granted or not), for the audit trail.
insert into ownership_override (sync_pair, run_id, tracked_entity, program, reason, granted, answer)
values (?, ?, ?, ?, ?, ?, ?)
