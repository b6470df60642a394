-- Keeps the SHA-256 (hex) of a newly generated admin API token; another engine node sharing the database may have
-- been first, then nothing is inserted.
insert into admin_api_token (id, token_sha256) values (1, ?) on conflict (id) do nothing
