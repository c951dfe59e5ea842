-- The job queue: jobs (alone or as items of a batch) claimed by workers under leases that run out.
-- status is pending, running, succeeded, failed or cancelled; request, result and error are JSON text.

CREATE TABLE batches (
    id           text    NOT NULL PRIMARY KEY,
    created_ms   bigint  NOT NULL,
    total        integer NOT NULL,
    concurrency  integer,                          -- at most this many of its jobs at once per gateway; NULL: no limit of its own
    cancelled_ms bigint
);

CREATE TABLE jobs (
    id             text    NOT NULL PRIMARY KEY,
    batch_id       text    REFERENCES batches (id),
    item_index     integer,
    status         text    NOT NULL,
    provider       text,
    model_name     text,
    route          text,
    request        text    NOT NULL,
    metadata       text,
    webhook        text,
    created_ms     bigint  NOT NULL,
    started_ms     bigint,
    finished_ms    bigint,
    attempts       integer NOT NULL,
    lease_owner    text,
    lease_until_ms bigint,
    result         text,
    error          text
);

-- The claim: the oldest pending (or expired running) job first.
CREATE INDEX jobs_claim ON jobs (status, created_ms, item_index, id);
-- Lists: newest first, and a batch's jobs.
CREATE INDEX jobs_created ON jobs (created_ms, id);
CREATE INDEX jobs_batch ON jobs (batch_id, item_index);
