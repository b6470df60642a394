-- the idle ones, and beyond the newest ? (someone logging in in a loop) the oldest
delete from console_session where last_seen < ?
   or id_digest in (select id_digest from console_session order by last_seen desc offset ?)
