package io.gatepass.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.gatepass.jose.DpopProofs;
import io.gatepass.jose.Ed25519Jca;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The client SDK's DPoP proofs pass the checks the server and the verifier make, for each kind of key. */
class DpopKeyTest {
    private static final DpopProofs CHECKS = new DpopProofs(Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.EdDSA),
            null, Duration.ofSeconds(60), Duration.ofSeconds(5));

    @Test
    void proofWhenMadeWithAnEcRsaOrEd25519KeyThenItPassesTheRfc9449ChecksAndNamesTheKey() throws Exception {
        URI url = URI.create("https://reports.example.com/reports/2026?page=2#top");
        List<DpopKey> keys = List.of(DpopKey.generate(),
                DpopKey.of(new RSAKeyGenerator(2048).generate(), JWSAlgorithm.RS256),
                DpopKey.of(Ed25519Jca.generate(), JWSAlgorithm.EdDSA));
        for (DpopKey key : keys) {
            String proof = key.proof("GET", url, "the-token", "n-1", Instant.now());
            DpopProofs.Proof checked = CHECKS.check(List.of(proof), "GET", "https://reports.example.com/reports/2026", "the-token",
                    nonce -> "n-1".equals(nonce), Instant.now());
            assertThat(checked.thumbprint()).as(key.toString()).isEqualTo(key.thumbprint());
            assertThat(key.toString()).doesNotContain("\"d\"");
        }
        assertThatThrownBy(() -> DpopKey.of(DpopKey.generate().publicKey(), JWSAlgorithm.ES256))
                .hasMessageContaining("private part");
    }

    @Test
    void sdkWhenBuiltThenItsClassesRunOnJava17() throws Exception {
        // an SDK is used from Spring Boot 3 apps on Java 17: class file version 61 for the client and what it uses
        for (Class<?> type : List.of(DpopKey.class, GatepassTokenSource.class, DpopProofs.class, Ed25519Jca.class)) {
            try (var in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
                byte[] head = in.readNBytes(8);
                assertThat(((head[6] & 0xff) << 8) | (head[7] & 0xff)).as(type.getName()).isEqualTo(61);
            }
        }
    }
}
