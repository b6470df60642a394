select server_time_high, cast(extract(epoch from (now() - updated_at)) * 1000 as bigint) as elapsed_millis
from stage_watermark where sync_pair = ? and stage = ?
