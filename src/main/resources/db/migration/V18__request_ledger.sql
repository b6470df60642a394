-- Every HTTP call the engine made to a DHIS2 instance (local or central), one row per attempt: what the operator
-- console and GET /api/requests show. Never a secret: the path keeps its query minus any parameter that could hold
-- one, the instance is the base URL without user info, no header is stored but the X-Request-ID the engine sent.
-- sync_pair: the pair of the run (from job_run when the call belongs to a run); null for calls outside a run
-- (health checks, start-up checks). status: DHIS2's HTTP status; failure: the exception class when there was no
-- answer. Rows older than sync.ledger.retentionDays are deleted.
create table request_ledger (
    id         bigserial   primary key,
    sync_pair  text,
    run_id     bigint      references job_run (id) on delete set null,
    job_type   text,
    stage      text,
    step       text,
    page       integer,
    method     text        not null,
    instance   text        not null,
    path       text        not null,
    status     integer,
    failure    text,
    bytes_out  bigint,
    bytes_in   bigint,
    millis     bigint      not null,
    attempt    integer     not null,
    request_id uuid        not null,
    at         timestamptz not null
);
create index request_ledger_at on request_ledger (at);
create index request_ledger_run on request_ledger (run_id, at);
