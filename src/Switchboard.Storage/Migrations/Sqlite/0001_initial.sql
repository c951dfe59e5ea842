-- Switchboard's first schema. Conventions (the same on PostgreSQL, so one query fits both):
-- times are Unix milliseconds UTC (*_ms), money is whole nano-dollars (*_nanousd, 1e-9 USD),
-- lists and maps are JSON text, NULL when empty. Later tables (jobs, ...) arrive as 0002_... and on.

CREATE TABLE usage_records (
    id                  BLOB    NOT NULL PRIMARY KEY,   -- the record's Guid: a retried batch skips what it already wrote
    request_id          TEXT,
    time_ms             INTEGER NOT NULL,
    key_id              TEXT,                            -- the virtual key's id, never the key
    user_name           TEXT,
    provider            TEXT,
    model               TEXT,
    route               TEXT,
    rule                TEXT,
    agent               TEXT,
    stage               TEXT,
    labels              TEXT,
    input_tokens        INTEGER NOT NULL,
    cached_input_tokens INTEGER NOT NULL,
    cache_write_tokens  INTEGER NOT NULL,
    output_tokens       INTEGER NOT NULL,
    reasoning_tokens    INTEGER NOT NULL,
    cost_nanousd        INTEGER,                         -- NULL: the price was unknown, which is not zero
    usage_estimated     INTEGER NOT NULL,
    latency_ms          REAL    NOT NULL,
    ttft_ms             REAL,
    attempts            INTEGER NOT NULL,
    status              INTEGER NOT NULL,
    error_category      TEXT
) STRICT;

CREATE INDEX usage_records_time ON usage_records (time_ms);
CREATE INDEX usage_records_key_time ON usage_records (key_id, time_ms);

CREATE TABLE virtual_keys (
    id             TEXT    NOT NULL PRIMARY KEY,
    name           TEXT,
    key_hash       TEXT    NOT NULL UNIQUE,             -- SHA-256 of the key, hex; the key itself is never stored
    key_hint       TEXT    NOT NULL,
    created_ms     INTEGER NOT NULL,
    expires_ms     INTEGER,
    revoked_ms     INTEGER,
    allowed_models TEXT,
    allowed_routes TEXT,
    rpm_limit      INTEGER,
    tpm_limit      INTEGER,
    budget_nanousd INTEGER,
    budget_period  TEXT    NOT NULL,
    metadata       TEXT
) STRICT;

-- Spend per scope ('key:<id>', 'provider:<name>', 'model:<name>') and window; period 'total' has window 0.
CREATE TABLE spend_ledger (
    scope           TEXT    NOT NULL,
    period          TEXT    NOT NULL,
    window_start_ms INTEGER NOT NULL,
    spend_nanousd   INTEGER NOT NULL,
    PRIMARY KEY (scope, period, window_start_ms)
) STRICT, WITHOUT ROWID;

-- Fixed one-minute rate windows per counter ('rpm:<key id>', 'tpm:<key id>'); old ones are deleted as time moves on.
CREATE TABLE rate_windows (
    scope           TEXT    NOT NULL,
    window_start_ms INTEGER NOT NULL,
    amount          INTEGER NOT NULL,
    PRIMARY KEY (scope, window_start_ms)
) STRICT, WITHOUT ROWID;
