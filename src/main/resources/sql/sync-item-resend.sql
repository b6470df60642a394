-- Operator request: send this object again on the next run of its stage, whatever its state.
update sync_item set resend_requested = true, updated_at = now()
where sync_pair = ? and kind = ? and uid = ?
