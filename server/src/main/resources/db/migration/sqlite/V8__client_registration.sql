-- Client registration (RFC 7591 / RFC 7592).
-- What an app registered itself with: "initial_access_token:<id>" or "management_token:<client_id>"; NULL for apps
-- made through /admin/clients.
ALTER TABLE clients ADD COLUMN registered_via VARCHAR(200);

-- Initial access tokens an admin hands a partner: only a digest of the token is kept.
CREATE TABLE initial_access_tokens (
    id                   VARCHAR(64)  NOT NULL PRIMARY KEY,
    name                 VARCHAR(255),
    digest               VARCHAR(64)  NOT NULL UNIQUE, -- hex SHA-256 of the token
    created_by           VARCHAR(128) NOT NULL,
    created_at           BIGINT       NOT NULL,
    expires_at           BIGINT       NOT NULL,
    max_uses             INTEGER      NOT NULL,
    uses                 INTEGER      NOT NULL DEFAULT 0,
    grants               TEXT         NOT NULL, -- a line per API: its id, then its scopes, space separated
    allowed_auth_methods TEXT                   -- space separated; NULL: any registration method
);

-- The RFC 7592 side of a registered app: its registration access token (a digest) and the RFC 7591 metadata it
-- registered that Gatepass keeps without acting on (contacts, software_id, URLs, scope).
CREATE TABLE client_registrations (
    client_id    VARCHAR(128) NOT NULL PRIMARY KEY REFERENCES clients (client_id) ON DELETE CASCADE,
    token_digest VARCHAR(64)  NOT NULL UNIQUE,
    metadata     TEXT         NOT NULL,
    updated_at   BIGINT       NOT NULL
);
