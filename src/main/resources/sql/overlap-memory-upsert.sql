insert into window_overlap_memory (sync_pair, stage, item_key, last_updated, fingerprint) values (?, ?, ?, ?, ?)
on conflict (sync_pair, stage, item_key) do update set
    last_updated = excluded.last_updated,
    fingerprint = excluded.fingerprint
