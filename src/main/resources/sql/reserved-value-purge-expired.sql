-- Drops a pool's expired values: past central's expiryDate, or a CURRENT_DATE value whose date is no longer today's
delete from reserved_value
where sync_pair = ? and attribute = ? and org_unit_code = ?
  and (expiry_date <= now() or temporal_validity <= now())
