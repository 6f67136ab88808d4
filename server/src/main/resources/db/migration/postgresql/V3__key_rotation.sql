-- Rotation: a key is published from created_at and signs from activates_at, after a propagation delay
-- that lets resource servers fetch it first. A revoked (compromised) key is deleted outright.
ALTER TABLE signing_keys ADD COLUMN activates_at BIGINT;
UPDATE signing_keys SET activates_at = created_at;
