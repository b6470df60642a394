select uid, last_updated from sync_item where sync_pair = ? and kind = ? and state in ('ERROR', 'WARNING')
