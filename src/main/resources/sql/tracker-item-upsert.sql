-- Records the state of one tracker object. last_synchronized is only overwritten when given (central confirmed it);
-- attempts counts sends; an operator's resend request is cleared by every new state.
insert into sync_item (sync_pair, kind, uid, last_updated, last_synchronized, state, attempts, last_error,
                       resend_requested, updated_at)
values (?, ?, ?, ?, ?, ?, ?, ?, false, now())
on conflict (sync_pair, kind, uid) do update
set last_updated      = excluded.last_updated,
    last_synchronized = coalesce(excluded.last_synchronized, sync_item.last_synchronized),
    state             = excluded.state,
    attempts          = sync_item.attempts + excluded.attempts,
    last_error        = excluded.last_error,
    resend_requested  = false,
    updated_at        = now()
