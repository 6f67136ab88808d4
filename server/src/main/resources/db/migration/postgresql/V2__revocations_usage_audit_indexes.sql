-- Revocations void already-issued tokens before they expire. Their id is the revocation feed's cursor.
-- kind 'token': one token by its jti (RFC 7009). kind 'client': every token of client_id issued before revoked_at.
CREATE TABLE revocations (
    id         BIGSERIAL    NOT NULL PRIMARY KEY,
    kind       VARCHAR(16)  NOT NULL,
    client_id  VARCHAR(128) NOT NULL,
    jti        VARCHAR(128),
    revoked_at BIGINT       NOT NULL,
    expires_at BIGINT       NOT NULL -- after this no token it voids is still valid; the entry is pruned
);
CREATE UNIQUE INDEX revocations_by_jti ON revocations (jti);
CREATE INDEX revocations_by_expiry ON revocations (expires_at);

-- Written in batches off the token path, so they may lag the last use by a moment.
ALTER TABLE clients ADD COLUMN last_used_at BIGINT;
ALTER TABLE client_secrets ADD COLUMN last_used_at BIGINT;

-- GET /admin/audit filters by app (as actor or as target) and type, newest first.
CREATE INDEX audit_events_by_actor ON audit_events (actor, occurred_at);
CREATE INDEX audit_events_by_target ON audit_events (target, occurred_at);
CREATE INDEX audit_events_by_type ON audit_events (type, occurred_at);
