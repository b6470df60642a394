insert into sync_item (sync_pair, kind, uid, last_updated, last_synchronized, state, attempts, last_error, fingerprint, updated_at)
values (?, ?, ?, ?, case when ? = 'SYNCED' then now() end, ?, 1, ?, ?, now())
on conflict (sync_pair, kind, uid) do update set
    last_updated = excluded.last_updated,
    last_synchronized = coalesce(excluded.last_synchronized, sync_item.last_synchronized),
    state = excluded.state,
    attempts = case when excluded.state = 'SYNCED' then 0 else sync_item.attempts + 1 end,
    last_error = excluded.last_error,
    fingerprint = excluded.fingerprint,
    resend_requested = false,
    updated_at = now()
