insert into console_session (id_digest, csrf_digest, created, last_seen) values (?, ?, ?, ?)
