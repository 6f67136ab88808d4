-- Workload identity federation: issuers whose tokens apps may authenticate with, and which of their tokens prove
-- which app.
CREATE TABLE trusted_issuers (
    id                     VARCHAR(64)   NOT NULL PRIMARY KEY,
    issuer                 VARCHAR(2048) NOT NULL UNIQUE, -- compared exactly, case-sensitive
    name                   VARCHAR(255),
    preset                 VARCHAR(32)   NOT NULL,
    jwks                   TEXT,                          -- inline keys: nothing is fetched
    jwks_uri               VARCHAR(2048),                 -- else this, else OIDC discovery at the issuer
    audiences              TEXT          NOT NULL,        -- one per line
    max_assertion_lifetime INTEGER       NOT NULL,        -- seconds
    allow_reuse            BOOLEAN       NOT NULL,
    allow_private_network  BOOLEAN       NOT NULL,
    status                 VARCHAR(16)   NOT NULL,
    created_at             BIGINT        NOT NULL,
    updated_at             BIGINT        NOT NULL
);

CREATE TABLE federated_credentials (
    id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    client_id  VARCHAR(128) NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    issuer_id  VARCHAR(64)  NOT NULL REFERENCES trusted_issuers (id) ON DELETE CASCADE,
    subject    VARCHAR(1024),
    claims     TEXT,                                     -- a JSON object of required claim values
    created_at BIGINT       NOT NULL
);
CREATE INDEX federated_credentials_by_client ON federated_credentials (client_id);
CREATE INDEX federated_credentials_by_issuer ON federated_credentials (issuer_id);
