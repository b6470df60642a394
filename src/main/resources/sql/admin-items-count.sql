-- Admin API: how many per-object bookkeeping rows match a state and a kind (null: any).
select count(*) from sync_item
where sync_pair = ? and state = coalesce(cast(? as text), state) and kind = coalesce(cast(? as text), kind)
