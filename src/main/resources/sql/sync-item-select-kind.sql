select uid, last_updated, fingerprint, state from sync_item where sync_pair = ? and kind = ?
