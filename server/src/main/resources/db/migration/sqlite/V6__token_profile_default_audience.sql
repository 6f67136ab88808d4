-- The header typ of an API's tokens (rfc9068: at+jwt, jwt: JWT) and the API an app's token request is for when it
-- names none (an API identifier; checked against the app's grants when a token is requested).
ALTER TABLE apis ADD COLUMN token_profile VARCHAR(16) NOT NULL DEFAULT 'rfc9068';
ALTER TABLE clients ADD COLUMN default_audience VARCHAR(255);
