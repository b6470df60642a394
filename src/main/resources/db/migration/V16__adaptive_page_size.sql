-- The page size that central (through its proxies) last accepted, per central URL and push stage: a stage whose
-- page was refused as too large (413), or timed out (502/504, read timeout) and was sent again in halves, starts
-- the next run with the size that worked instead of the configured one, and doubles back towards the configured
-- size after sync.adaptive.growAfter pages in a row went through.
create table adaptive_page_size (
    central_url text        not null,
    stage       text        not null,
    page_size   integer     not null check (page_size > 0),
    updated_at  timestamptz not null default now(),
    primary key (central_url, stage)
);
