package io.gatepass.server.oauth;

import com.nimbusds.jose.JWSAlgorithm;
import io.gatepass.jose.DpopProofs;
import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.store.Store;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.security.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * DPoP at the token endpoint (RFC 9449 §5): the request's proof checked ({@link DpopProofs}) against this server's
 * public token endpoint URL, its {@code jti} used once per key, and the nonce when nonces are on. The proof is
 * checked before the app authenticates, so that a {@code use_dpop_nonce} answer has not used up a client
 * assertion the retry sends again.
 */
public final class DpopCheck {
    public static final HeaderName DPOP = HeaderNames.create(DpopProofs.HEADER);
    public static final HeaderName DPOP_NONCE = HeaderNames.create("DPoP-Nonce");
    /** The algorithms a proof may be signed with: the asymmetric ones the server verifies fast. */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.EdDSA);
    /** A proof is made for one request: one minute old at most, and a little ahead for clocks that run fast. */
    static final Duration MAX_AGE = Duration.ofSeconds(60);
    static final Duration MAX_AHEAD = Duration.ofSeconds(5);

    private final DpopProofs proofs;
    private final DpopReplays replays;
    private final DpopNonces nonces;
    private final String tokenUrl;
    private final Clock clock;

    /**
     * @param tokenUrl the token endpoint's URL as clients use it ({@code htu})
     * @param nonceKey the key nonces are made with, or {@code null} when nonces are off
     */
    public DpopCheck(Provider provider, Store store, AuditBatchWriter writer, String tokenUrl, byte[] nonceKey, Clock clock) {
        this.proofs = new DpopProofs(ALGORITHMS, provider, MAX_AGE, MAX_AHEAD);
        this.replays = new DpopReplays(store, writer, clock);
        this.tokenUrl = tokenUrl;
        this.nonces = nonceKey == null ? null : new DpopNonces(nonceKey, clock);
        this.clock = clock;
    }

    /** The thumbprint of the key the request's proof is made with, or {@code null} when it sends no proof. */
    String thumbprint(ServerRequest req) {
        List<String> headers = req.headers().all(DPOP, List::of);
        if (headers.isEmpty()) return null;
        return thumbprint(headers);
    }

    /** The same for the header values themselves (a benchmark calls it without HTTP). */
    String thumbprint(List<String> headers) {
        DpopProofs.Proof proof;
        try {
            proof = proofs.check(headers, "POST", tokenUrl, null, nonces, clock.instant());
        } catch (DpopProofs.NonceRequired e) {
            throw OAuthError.useDpopNonce(e.getMessage(), nonces.current());
        } catch (DpopProofs.Invalid e) {
            throw OAuthError.invalidDpopProof(e.getMessage());
        }
        if (proof.issuedAt().isBefore(replays.startedAt())) {
            throw OAuthError.invalidDpopProof("this DPoP proof was made before the server started, which forgot the proofs "
                    + "used until then: make a new one for every request (RFC 9449 §11.1)");
        }
        if (!replays.firstUse(proof.thumbprint(), proof.jti(), proof.issuedAt().plus(proofs.window()))) {
            throw OAuthError.invalidDpopProof("this DPoP proof was used before: make a new one, with a new jti, for every "
                    + "request (RFC 9449 §11.1)");
        }
        return proof.thumbprint();
    }

    /** RFC 9449 §8.2: with nonces on, every answer carries the nonce for the next proof. */
    void nonceHeader(ServerResponse res) {
        if (nonces != null) res.header(DPOP_NONCE, nonces.current());
    }

    /** The {@code dpop_signing_alg_values_supported} of the metadata. */
    public static List<String> algorithmNames() {
        return ALGORITHMS.stream().map(JWSAlgorithm::getName).sorted().toList();
    }
}
