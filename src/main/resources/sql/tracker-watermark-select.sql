-- Where the next read window of a tracker stage starts (local server clock, inclusive).
select server_time_high from stage_watermark where sync_pair = ? and stage = ?
