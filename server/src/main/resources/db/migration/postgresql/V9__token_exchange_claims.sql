-- RFC 8693 token exchange: the apps (client ids, space separated) that may exchange this API's tokens for
-- tokens of other APIs, on behalf of the token's subject.
ALTER TABLE apis ADD COLUMN token_exchange_actors TEXT;
-- Custom claims in every token of the app, and in every token of a grant (for its API): a JSON object.
ALTER TABLE clients ADD COLUMN claims TEXT;
ALTER TABLE grants ADD COLUMN claims TEXT;
