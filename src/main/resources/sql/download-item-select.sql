-- What the tracker download knows of some objects of one kind: central's updatedAt it last saw and the state.
select uid, central_updated_at, state
from download_item
where sync_pair = ? and kind = ? and uid = any (?)
