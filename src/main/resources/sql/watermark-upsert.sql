insert into stage_watermark (sync_pair, stage, server_time_high, updated_at) values (?, ?, ?, now())
on conflict (sync_pair, stage) do update set server_time_high = excluded.server_time_high, updated_at = now()
