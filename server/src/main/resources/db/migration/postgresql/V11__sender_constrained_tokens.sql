-- Sender-constrained tokens. RFC 9449 §5.2 dpop_bound_access_tokens: the app's token requests must carry a DPoP
-- proof. RFC 8705 §3.4 tls_client_certificate_bound_access_tokens: its tokens are bound to its client certificate.
ALTER TABLE clients ADD COLUMN dpop_bound_access_tokens BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE clients ADD COLUMN tls_client_certificate_bound_access_tokens BOOLEAN NOT NULL DEFAULT FALSE;
-- RFC 8705 §2.1.2 tls_client_auth: the one certificate field the app is known by (subject_dn, san_dns, san_uri,
-- san_ip or san_email) and its value.
ALTER TABLE clients ADD COLUMN tls_client_auth_field VARCHAR(16);
ALTER TABLE clients ADD COLUMN tls_client_auth_value VARCHAR(1024);
