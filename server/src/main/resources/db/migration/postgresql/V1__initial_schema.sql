-- PostgreSQL: the SQLite schema with BIGSERIAL for the sequence columns.
-- Times are epoch milliseconds (BIGINT) so that the same SQL serves SQLite and PostgreSQL.

CREATE TABLE apis (
    id             VARCHAR(64)  NOT NULL PRIMARY KEY,
    identifier     VARCHAR(255) NOT NULL UNIQUE,
    name           VARCHAR(255) NOT NULL,
    token_lifetime INTEGER      NOT NULL,
    signing_alg    VARCHAR(16)  NOT NULL,
    created_at     BIGINT       NOT NULL,
    updated_at     BIGINT       NOT NULL
);

CREATE TABLE api_scopes (
    api_id      VARCHAR(64)  NOT NULL REFERENCES apis (id) ON DELETE CASCADE,
    position    INTEGER      NOT NULL,
    value       VARCHAR(128) NOT NULL,
    description VARCHAR(500) NOT NULL,
    PRIMARY KEY (api_id, value)
);

CREATE TABLE clients (
    client_id                  VARCHAR(128) NOT NULL PRIMARY KEY,
    client_name                VARCHAR(255) NOT NULL,
    token_endpoint_auth_method VARCHAR(32)  NOT NULL,
    status                     VARCHAR(16)  NOT NULL,
    token_lifetime             INTEGER,
    created_at                 BIGINT       NOT NULL,
    updated_at                 BIGINT       NOT NULL
);

CREATE TABLE client_secrets (
    id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    client_id  VARCHAR(128) NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    digest     VARCHAR(64)  NOT NULL, -- hex SHA-256 of the secret; the secret itself is never stored
    created_at BIGINT       NOT NULL
);
CREATE INDEX client_secrets_by_client ON client_secrets (client_id);

CREATE TABLE grants (
    client_id  VARCHAR(128) NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    api_id     VARCHAR(64)  NOT NULL REFERENCES apis (id) ON DELETE CASCADE,
    scopes     TEXT         NOT NULL, -- space separated, as in the RFC 6749 scope parameter
    created_at BIGINT       NOT NULL,
    updated_at BIGINT       NOT NULL,
    PRIMARY KEY (client_id, api_id)
);
CREATE INDEX grants_by_api ON grants (api_id);

CREATE TABLE signing_keys (
    kid         VARCHAR(128) NOT NULL PRIMARY KEY,
    alg         VARCHAR(16)  NOT NULL,
    private_jwk TEXT         NOT NULL,
    created_at  BIGINT       NOT NULL
);

CREATE TABLE audit_events (
    id          BIGSERIAL    NOT NULL PRIMARY KEY,
    occurred_at BIGINT       NOT NULL,
    actor       VARCHAR(128) NOT NULL,
    type        VARCHAR(64)  NOT NULL,
    target      VARCHAR(255) NOT NULL,
    details     TEXT         NOT NULL
);
CREATE INDEX audit_events_by_time ON audit_events (occurred_at);
