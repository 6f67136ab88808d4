-- Web console sign-in (issue 20). A row starts as a single-use login link (link_digest, valid until
-- link_expires_at) asked for by a management token, and becomes a session when the link is redeemed: then
-- session_digest is set, once, which is what makes the link single-use on every node. Only SHA-256 digests (hex) of
-- the link code and of the session cookie are kept. scopes: the asking token's scopes, space separated.
CREATE TABLE console_sessions (
    id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    link_digest     VARCHAR(64)   NOT NULL UNIQUE,
    client_id       VARCHAR(128)  NOT NULL,
    scopes          VARCHAR(2000) NOT NULL,
    link_expires_at BIGINT        NOT NULL,
    session_digest  VARCHAR(64)   UNIQUE,
    csrf_token      VARCHAR(64),
    started_at      BIGINT,
    last_seen_at    BIGINT
);
CREATE INDEX console_sessions_by_expiry ON console_sessions (link_expires_at);
