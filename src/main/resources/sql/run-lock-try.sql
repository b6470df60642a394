-- Takes a session advisory lock (held until released or the connection closes, e.g. the node died) unless another
-- session holds it. Parameter: the lock's name (sync pair and job or stage).
select pg_try_advisory_lock(hashtextextended(?, 0))
