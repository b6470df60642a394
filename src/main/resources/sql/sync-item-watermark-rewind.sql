-- With an operator's resend request: the next window of the stage starts at the oldest object to re-send.
update stage_watermark w
set server_time_high = least(w.server_time_high, (select min(i.last_updated) from sync_item i
                                                   where i.sync_pair = w.sync_pair and i.kind = ?
                                                     and i.resend_requested)),
    updated_at       = now()
where w.sync_pair = ? and w.stage = ?
  and exists (select 1 from sync_item i where i.sync_pair = w.sync_pair and i.kind = ? and i.resend_requested
                                          and i.last_updated is not null)
