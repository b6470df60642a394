-- Hands out the first N valid values of a pool and removes them in the same statement. Rows another hand-out has
-- locked are skipped (for update skip locked), so two concurrent hand-outs never get the same value.
delete from reserved_value
where ctid in (
    select ctid from reserved_value
    where sync_pair = ? and attribute = ? and org_unit_code = ? and pattern = ?
      and expiry_date > now() and (temporal_validity is null or temporal_validity > now())
    order by created, value
    limit ?
    for update skip locked)
returning key, value, created, expiry_date
