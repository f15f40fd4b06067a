-- One set of migrations for SQLite and PostgreSQL: portable types only. Money is in billionths of a dollar, times
-- in epoch milliseconds, model lists one group per line.
CREATE TABLE keyline_teams (
    team_id           VARCHAR(64)  PRIMARY KEY,
    team_alias        VARCHAR(200),
    models            TEXT         NOT NULL,
    max_budget_nanos  BIGINT,
    budget_duration_s BIGINT,
    rpm_limit         BIGINT,
    tpm_limit         BIGINT,
    max_parallel      INTEGER,
    metadata          TEXT         NOT NULL,
    created_ms        BIGINT       NOT NULL,
    blocked           INTEGER      NOT NULL
);

CREATE TABLE keyline_keys (
    key_hash          CHAR(64)     PRIMARY KEY,
    preview           VARCHAR(32)  NOT NULL,
    key_alias         VARCHAR(200) UNIQUE,
    models            TEXT         NOT NULL,
    max_budget_nanos  BIGINT,
    budget_duration_s BIGINT,
    rpm_limit         BIGINT,
    tpm_limit         BIGINT,
    max_parallel      INTEGER,
    team_id           VARCHAR(64),
    user_id           VARCHAR(200),
    metadata          TEXT         NOT NULL,
    created_ms        BIGINT       NOT NULL,
    expires_ms        BIGINT,
    blocked           INTEGER      NOT NULL
);

CREATE INDEX keyline_keys_team ON keyline_keys (team_id);

CREATE TABLE keyline_spend (
    entry_id      VARCHAR(40)  PRIMARY KEY,
    request_id    VARCHAR(200) NOT NULL,
    key_hash      CHAR(64),
    key_alias     VARCHAR(200) NOT NULL,
    team_id       VARCHAR(64),
    model_group   VARCHAR(200) NOT NULL,
    deployment    VARCHAR(200) NOT NULL,
    input_tokens  BIGINT       NOT NULL,
    output_tokens BIGINT       NOT NULL,
    searches      INTEGER      NOT NULL,
    cost_nanos    BIGINT       NOT NULL,
    status        INTEGER      NOT NULL,
    at_ms         BIGINT       NOT NULL
);

CREATE INDEX keyline_spend_key_at ON keyline_spend (key_hash, at_ms);
CREATE INDEX keyline_spend_team_at ON keyline_spend (team_id, at_ms);
CREATE INDEX keyline_spend_at ON keyline_spend (at_ms);
