-- Reserved value pools (job RESERVED_VALUES, issue 14): values of generated tracked entity attributes that central
-- reserved (generateAndReserve), kept until handed out (each value once: deleted in the hand-out's transaction) or
-- expired. One pool per sync pair, attribute and, for patterns with ORG_UNIT_CODE, org unit code ('' otherwise).
create table reserved_value (
    sync_pair         text        not null default 'default',
    attribute         text        not null,
    org_unit_code     text        not null default '',
    key               text        not null,   -- central's key: the pattern resolved but for its generated segment
    value             text        not null,
    pattern           text        not null,   -- the attribute's pattern the value was made with
    created           timestamptz not null,   -- central's created
    expiry_date       timestamptz not null,   -- central's expiryDate (generateAndReserve: 60 days)
    temporal_validity timestamptz,            -- CURRENT_DATE patterns: when the date in the value stops being today's
    primary key (sync_pair, attribute, value)
);

create index reserved_value_pool on reserved_value (sync_pair, attribute, org_unit_code, created, value);
