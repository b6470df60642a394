-- Records what the tracker download did with one object (DOWNLOADED, REJECTED by the local import, SKIPPED).
insert into download_item (sync_pair, kind, uid, program, central_updated_at, local_updated_at, state, reason, run_id,
                           updated_at)
values (?, ?, ?, ?, ?, ?, ?, ?, ?, now())
on conflict (sync_pair, kind, uid) do update
set program            = coalesce(excluded.program, download_item.program),
    central_updated_at = excluded.central_updated_at,
    local_updated_at   = coalesce(excluded.local_updated_at, download_item.local_updated_at),
    state              = excluded.state,
    reason             = excluded.reason,
    run_id             = excluded.run_id,
    updated_at         = now()
