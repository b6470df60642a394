-- Operator console logins, shared by every engine node on this database (a load balancer may send a browser to
-- any node). Only SHA-256 digests of the session id (the HttpOnly cookie) and of its CSRF token are kept: a copy of
-- this table does not let anyone in. A session idle for sync.console.sessionIdleMinutes is over.
create table console_session (
    id_digest   bytea       primary key,
    csrf_digest bytea       not null,
    created     timestamptz not null,
    last_seen   timestamptz not null
);
create index console_session_last_seen on console_session (last_seen);
