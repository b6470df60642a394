update console_session set last_seen = ? where id_digest = ? and last_seen < ?
