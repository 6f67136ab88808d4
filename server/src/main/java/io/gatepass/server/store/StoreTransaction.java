package io.gatepass.server.store;

/** The repositories of one transaction. */
public interface StoreTransaction {
    ApiRepository apis();

    ClientRepository clients();

    SecretRepository secrets();

    GrantRepository grants();

    KeyRepository keys();

    AuditRepository audit();

    RevocationRepository revocations();

    AssertionRepository assertions();

    InitialAccessTokenRepository initialAccessTokens();

    RegistrationRepository registrations();

    TrustedIssuerRepository trustedIssuers();

    FederatedCredentialRepository federatedCredentials();

    ConsoleSessionRepository consoleSessions();

    /**
     * Holds a lock named {@code name} until this transaction ends, so that nodes sharing the database do one thing
     * (say, creating the first signing key) one at a time. The embedded store's transactions are serial already.
     */
    void lock(String name);
}
