-- What an aggregate stage sent whose change time lies in the overlap of its window with the next one
-- (sync.window.overlapSeconds): the next run reads that overlap again, to catch changes DHIS2 committed late or
-- stored with a truncated lastUpdated, and skips what it finds here unchanged (same change time, same content).
-- Rows older than the next window's lower bound are pruned at the end of each run.
create table window_overlap_memory (
    sync_pair    text        not null default 'default',
    stage        text        not null,
    item_key     text        not null,
    last_updated timestamptz not null,
    fingerprint  text        not null,
    primary key (sync_pair, stage, item_key)
);
