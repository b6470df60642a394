-- Admin API: one page of per-object bookkeeping rows, most recently changed first.
select kind, uid, state, last_updated as "lastUpdated", last_synchronized as "lastSynchronized", attempts,
       last_error as "lastError", resend_requested as "resendRequested", updated_at as "updatedAt"
from sync_item
where sync_pair = ? and state = coalesce(cast(? as text), state) and kind = coalesce(cast(? as text), kind)
order by updated_at desc, kind, uid
limit ? offset ?
