select pg_advisory_unlock(hashtextextended(?, 0))
