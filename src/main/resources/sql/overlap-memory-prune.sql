delete from window_overlap_memory where sync_pair = ? and stage = ? and last_updated < ?
