-- Operator request: re-send every tracker object of a kind that ended in ERROR or WARNING on the next run.
update sync_item set resend_requested = true, updated_at = now()
where sync_pair = ? and kind = ? and state in ('ERROR', 'WARNING')
