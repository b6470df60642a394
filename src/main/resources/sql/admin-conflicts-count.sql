-- Admin API: how many conflicts central reported, of one kind or (null) all kinds.
select count(*) from import_conflict where sync_pair = ? and kind = coalesce(cast(? as text), kind)
