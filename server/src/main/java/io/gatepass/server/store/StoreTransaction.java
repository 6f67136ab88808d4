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
}
