-- Per-object states of a page of tracker objects (events, tracked entities, enrollments, relationships).
select uid, last_updated, last_synchronized, state, resend_requested
from sync_item
where sync_pair = ? and kind = ? and uid = any (?)
