select item_key, last_updated, fingerprint from window_overlap_memory where sync_pair = ? and stage = ?
