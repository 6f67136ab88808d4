-- Audit log streaming: how far each stream has delivered the audit log (events up to delivered_id were
-- acknowledged by the collector), and which node sends it until lease_until (epoch ms), so that several nodes on
-- one database stream it once. The audit log itself is the outbox.
CREATE TABLE audit_streams (
    name         VARCHAR(64) PRIMARY KEY,
    delivered_id BIGINT      NOT NULL,
    owner        VARCHAR(128),
    lease_until  BIGINT      NOT NULL
);
