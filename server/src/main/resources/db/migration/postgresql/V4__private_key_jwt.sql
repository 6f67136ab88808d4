-- private_key_jwt (RFC 7523, OIDC Core §9): an app's public keys, inline (RFC 7591 "jwks") or by URL.
ALTER TABLE clients ADD COLUMN jwks TEXT;
ALTER TABLE clients ADD COLUMN jwks_uri VARCHAR(2048);

-- Client assertion ids already used, kept until the assertion expires (RFC 7523 §3 "jti" single use).
CREATE TABLE assertion_jtis (
    client_id  VARCHAR(128) NOT NULL,
    jti        VARCHAR(255) NOT NULL,
    expires_at BIGINT       NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX assertion_jtis_by_expiry ON assertion_jtis (expires_at);
