package io.gatepass.spring;

import io.gatepass.verifier.GatepassVerifier;

/**
 * A bean of this type changes the verifier the starter builds from {@code gatepass.*} (accepted algorithms, clock
 * skew, the HTTP client, the clock) before it is built.
 */
@FunctionalInterface
public interface GatepassVerifierCustomizer {
    void customize(GatepassVerifier.Builder builder);
}
