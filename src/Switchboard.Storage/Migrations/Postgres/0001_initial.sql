-- Switchboard's first schema. Conventions (the same on SQLite, so one query fits both):
-- times are Unix milliseconds UTC (*_ms), money is whole nano-dollars (*_nanousd, 1e-9 USD),
-- lists and maps are JSON text, NULL when empty. Later tables (jobs, ...) arrive as 0002_... and on.

CREATE TABLE usage_records (
    id                  uuid             NOT NULL PRIMARY KEY,  -- a retried batch skips what it already wrote
    request_id          text,
    time_ms             bigint           NOT NULL,
    key_id              text,                                   -- the virtual key's id, never the key
    user_name           text,
    provider            text,
    model               text,
    route               text,
    rule                text,
    agent               text,
    stage               text,
    labels              text,
    input_tokens        integer          NOT NULL,
    cached_input_tokens integer          NOT NULL,
    cache_write_tokens  integer          NOT NULL,
    output_tokens       integer          NOT NULL,
    reasoning_tokens    integer          NOT NULL,
    cost_nanousd        bigint,                                 -- NULL: the price was unknown, which is not zero
    usage_estimated     boolean          NOT NULL,
    latency_ms          double precision NOT NULL,
    ttft_ms             double precision,
    attempts            integer          NOT NULL,
    status              integer          NOT NULL,
    error_category      text
);

CREATE INDEX usage_records_time ON usage_records (time_ms);
CREATE INDEX usage_records_key_time ON usage_records (key_id, time_ms);

CREATE TABLE virtual_keys (
    id             text    NOT NULL PRIMARY KEY,
    name           text,
    key_hash       text    NOT NULL UNIQUE,                     -- SHA-256 of the key, hex; the key itself is never stored
    key_hint       text    NOT NULL,
    created_ms     bigint  NOT NULL,
    expires_ms     bigint,
    revoked_ms     bigint,
    allowed_models text,
    allowed_routes text,
    rpm_limit      integer,
    tpm_limit      bigint,
    budget_nanousd bigint,
    budget_period  text    NOT NULL,
    metadata       text
);

-- Spend per scope ('key:<id>', 'provider:<name>', 'model:<name>') and window; period 'total' has window 0.
CREATE TABLE spend_ledger (
    scope           text   NOT NULL,
    period          text   NOT NULL,
    window_start_ms bigint NOT NULL,
    spend_nanousd   bigint NOT NULL,
    PRIMARY KEY (scope, period, window_start_ms)
);

-- Fixed one-minute rate windows per counter ('rpm:<key id>', 'tpm:<key id>'); old ones are deleted as time moves on.
CREATE TABLE rate_windows (
    scope           text   NOT NULL,
    window_start_ms bigint NOT NULL,
    amount          bigint NOT NULL,
    PRIMARY KEY (scope, window_start_ms)
);
