-- An admin's choice that an app's jwks_uri may be on a loopback or private network (the outbound fetcher refuses
-- such addresses otherwise).
ALTER TABLE clients ADD COLUMN allow_private_network BOOLEAN NOT NULL DEFAULT FALSE;
