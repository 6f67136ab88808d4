-- An app's own token budget (tokens per minute; NULL = the server default) and its opt-in to be handed its
-- still-valid token for an identical request instead of a new one.
ALTER TABLE clients ADD COLUMN token_rate_limit INTEGER;
ALTER TABLE clients ADD COLUMN reuse_tokens BOOLEAN NOT NULL DEFAULT FALSE;
