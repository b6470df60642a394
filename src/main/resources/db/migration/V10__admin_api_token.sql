-- The admin API token the engine generated because none was configured (sync.admin.*). Only its SHA-256 is kept:
-- the token itself is shown once, at the start that created it. One row at most.
create table admin_api_token (
    id           smallint    primary key default 1 check (id = 1),
    token_sha256 text        not null,
    created      timestamptz not null default now()
);
