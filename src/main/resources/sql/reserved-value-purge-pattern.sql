-- Drops a pool's values made with another pattern than the attribute's current one (as the Android SDK does)
delete from reserved_value
where sync_pair = ? and attribute = ? and org_unit_code = ? and pattern <> ?
