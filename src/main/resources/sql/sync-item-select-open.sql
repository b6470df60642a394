select uid, last_updated, resend_requested from sync_item
where sync_pair = ? and kind = ? and (state in ('ERROR', 'WARNING') or resend_requested)
