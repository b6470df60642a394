-- Bookkeeping of the sync engine. Times of DHIS2 objects are the LOCAL DHIS2 server's clock, never the engine's.
-- sync_pair names a local→central pair; one engine may serve several.

-- Where the next read window of a stage starts (inclusive), per pair.
create table stage_watermark (
    sync_pair        text        not null default 'default',
    stage            text        not null,
    server_time_high timestamptz not null,
    updated_at       timestamptz not null default now(),
    primary key (sync_pair, stage)
);

-- One row per job run; progress holds DHIS2's process/stage/item tree.
create table job_run (
    id        bigserial   primary key,
    job_id    text        not null unique,
    job_type  text        not null,
    sync_pair text        not null default 'default',
    trigger   text        not null default 'SCHEDULE',
    status    text        not null check (status in ('RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED')),
    started   timestamptz not null default now(),
    finished  timestamptz,
    summary   text,
    progress  jsonb
);
create index job_run_type_started on job_run (job_type, started desc);

-- Per-object state (Android SDK states): events, tracked entities, enrollments, relationships, and aggregate keys
-- that central rejected. fingerprint: content hash where DHIS2 gives no change time (complete registrations).
create table sync_item (
    sync_pair         text        not null default 'default',
    kind              text        not null,
    uid               text        not null,
    last_updated      timestamptz,
    last_synchronized timestamptz,
    state             text        not null check (state in ('TO_POST', 'TO_UPDATE', 'TO_DELETE', 'SYNCED', 'ERROR', 'WARNING')),
    attempts          integer     not null default 0,
    last_error        text,
    fingerprint       text,
    resend_requested  boolean     not null default false,
    updated_at        timestamptz not null default now(),
    primary key (sync_pair, kind, uid)
);
create index sync_item_state on sync_item (sync_pair, kind, state);

-- Every conflict central reported, with the run that met it.
create table import_conflict (
    id         bigserial   primary key,
    run_id     bigint      references job_run (id) on delete set null,
    sync_pair  text        not null default 'default',
    kind       text        not null,
    uid        text        not null,
    object     text,
    value      text,
    error_code text,
    property   text,
    severity   text        not null default 'ERROR',
    created    timestamptz not null default now()
);
create index import_conflict_item on import_conflict (sync_pair, kind, uid);

-- Metadata versions this engine imported into the local instance (or failed to).
create table metadata_version (
    sync_pair   text        not null default 'default',
    name        text        not null,
    type        text        not null,
    hash        text        not null,
    created     timestamptz not null,
    imported_at timestamptz,
    status      text        not null check (status in ('IMPORTED', 'FAILED')),
    report      jsonb,
    primary key (sync_pair, name)
);
