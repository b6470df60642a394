delete from console_session where id_digest = ?
