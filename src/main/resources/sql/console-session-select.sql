select csrf_digest, last_seen from console_session where id_digest = ?
