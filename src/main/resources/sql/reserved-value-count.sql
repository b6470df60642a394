-- Values left in a pool
select count(*) from reserved_value where sync_pair = ? and attribute = ? and org_unit_code = ?
