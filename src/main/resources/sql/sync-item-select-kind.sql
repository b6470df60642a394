select uid, last_updated, fingerprint, state, resend_requested from sync_item where sync_pair = ? and kind = ?
