-- The job queue: jobs (alone or as items of a batch) claimed by workers under leases that run out.
-- status is pending, running, succeeded, failed or cancelled; request, result and error are JSON text.

CREATE TABLE batches (
    id           TEXT    NOT NULL PRIMARY KEY,
    created_ms   INTEGER NOT NULL,
    total        INTEGER NOT NULL,
    concurrency  INTEGER,                          -- at most this many of its jobs at once per gateway; NULL: no limit of its own
    cancelled_ms INTEGER
) STRICT;

CREATE TABLE jobs (
    id             TEXT    NOT NULL PRIMARY KEY,
    batch_id       TEXT    REFERENCES batches (id),
    item_index     INTEGER,
    status         TEXT    NOT NULL,
    provider       TEXT,
    model_name     TEXT,
    route          TEXT,
    request        TEXT    NOT NULL,
    metadata       TEXT,
    webhook        TEXT,
    created_ms     INTEGER NOT NULL,
    started_ms     INTEGER,
    finished_ms    INTEGER,
    attempts       INTEGER NOT NULL,
    lease_owner    TEXT,
    lease_until_ms INTEGER,
    result         TEXT,
    error          TEXT
) STRICT;

-- The claim: the oldest pending (or expired running) job first.
CREATE INDEX jobs_claim ON jobs (status, created_ms, item_index, id);
-- Lists: newest first, and a batch's jobs.
CREATE INDEX jobs_created ON jobs (created_ms, id);
CREATE INDEX jobs_batch ON jobs (batch_id, item_index);
