-- Tracker download (central -> local). What the engine wrote into the local instance, so that the push stages never
-- take an import of ours for a local edit (the push bookkeeping in sync_item gets the local updatedAt after the
-- import as SYNCED), and what it could not write: an object the local instance rejected is not downloaded again
-- until central changes it; one skipped because of pending local work is listed with the reason.
create table download_item (
    sync_pair          text        not null default 'default',
    kind               text        not null,
    uid                text        not null,
    program            text,
    central_updated_at timestamptz,
    local_updated_at   timestamptz,
    state              text        not null check (state in ('DOWNLOADED', 'REJECTED', 'SKIPPED')),
    reason             text,
    run_id             bigint      references job_run (id) on delete set null,
    updated_at         timestamptz not null default now(),
    primary key (sync_pair, kind, uid)
);
create index download_item_state on download_item (sync_pair, state);

-- Audit trail of every temporary ownership override ("break the glass") the engine asked central for.
create table ownership_override (
    id             bigserial   primary key,
    sync_pair      text        not null default 'default',
    run_id         bigint      references job_run (id) on delete set null,
    tracked_entity text        not null,
    program        text        not null,
    reason         text        not null,
    granted        boolean     not null,
    answer         text,
    created        timestamptz not null default now()
);
