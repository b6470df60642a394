-- Stores a value central reserved; a value already in the pool is kept once
insert into reserved_value (sync_pair, attribute, org_unit_code, key, value, pattern, created, expiry_date,
                            temporal_validity)
values (?, ?, ?, ?, ?, ?, ?, ?, ?)
on conflict (sync_pair, attribute, value) do nothing
