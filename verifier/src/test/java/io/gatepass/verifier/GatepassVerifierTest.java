package io.gatepass.verifier;

import io.gatepass.server.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier SDK against tokens of a real Gatepass: each refusal with its RFC 6750 error. */
class GatepassVerifierTest {
    @TempDir
    static Path dataDir;
    static TestGatepass gatepass;
    static String audience;
    static String apiId;
    static TestGatepass.App writer;

    @BeforeAll
    static void start() throws Exception {
        gatepass = new TestGatepass(dataDir);
        audience = "https://storage-" + System.nanoTime() + ".example.com";
        apiId = gatepass.api(audience, "archive:read", "archive:write");
        writer = gatepass.app(apiId, audience, "archive:write");
    }

    @AfterAll
    static void stop() {
        gatepass.close();
    }

    static GatepassVerifier.Builder verifier() {
        return GatepassVerifier.builder().issuer(gatepass.issuer()).audience(audience);
    }

    static void refused(GatepassVerifier verifier, String header, int status, String error, String text, String... scopes) {
        assertThatThrownBy(() -> verifier.verify(header, scopes)).isInstanceOfSatisfying(TokenVerificationException.class, e -> {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
            assertThat(e.error()).isEqualTo(error);
            assertThat(e.description()).contains(text);
            assertThat(e.wwwAuthenticate()).startsWith("Bearer realm=\"").contains(error == null ? "realm" : "error=\"" + error + "\"");
        });
    }

    @Test
    void verifyWhenValidTokenWithScopeThenCaller() {
        GatepassVerifier verifier = verifier().build();
        String token = writer.token();

        VerifiedToken verified = verifier.verify("Bearer " + token, "archive:write");

        assertThat(verified.clientId()).isEqualTo(writer.clientId());
        assertThat(verified.scopes()).containsExactly("archive:write");
        assertThat(verifier.verify("bearer " + token)).as("cached: verified once").isSameAs(verified);
        GatepassVerifier uncached = verifier().verifiedTokenCache(0).build();
        assertThat(uncached.verify("Bearer " + token)).isNotSameAs(uncached.verify("Bearer " + token));
    }

    @Test
    void verifyWhenScopeMissingThenInsufficientScope() {
        GatepassVerifier verifier = verifier().build();
        assertThatThrownBy(() -> verifier.verify("Bearer " + writer.token(), "archive:read"))
                .isInstanceOfSatisfying(TokenVerificationException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.wwwAuthenticate()).contains("error=\"insufficient_scope\"", "scope=\"archive:read\"");
                });
    }

    @Test
    void verifyWhenNoOrMalformedHeaderThenRfc6750Answers() {
        GatepassVerifier verifier = verifier().build();
        refused(verifier, null, 401, null, "required");
        refused(verifier, "Basic abc", 400, "invalid_request", "Bearer");
        refused(verifier, "Bearer not-a-jwt", 401, "invalid_token", "malformed");
    }

    @Test
    void verifyWhenTokenForAnotherApiThenInvalidToken() throws Exception {
        String other = "https://other-" + System.nanoTime() + ".example.com";
        TestGatepass.App app = gatepass.app(gatepass.api(other, "x"), other, "x");
        refused(verifier().build(), "Bearer " + app.token(), 401, "invalid_token", "not for this API");
    }

    @Test
    void verifyWhenApiIssuesTheJwtProfileThenRefusedUnlessAcceptedAndThenEveryOtherCheckStays() throws Exception {
        String plain = "https://plain-" + System.nanoTime() + ".example.com";
        String id = gatepass.api(plain, "x");
        gatepass.admin("PATCH", "/admin/apis/" + id, "{\"token_profile\":\"jwt\"}");
        TestGatepass.App app = gatepass.app(id, plain, "x");
        String token = app.token();

        refused(GatepassVerifier.builder().issuer(gatepass.issuer()).audience(plain).build(), "Bearer " + token, 401,
                "invalid_token", "typ must be at+jwt");
        GatepassVerifier accepting = GatepassVerifier.builder().issuer(gatepass.issuer()).audience(plain)
                .acceptJwtProfile(true).build();
        assertThat(accepting.verify("Bearer " + token, "x").clientId()).isEqualTo(app.clientId());
        refused(verifier().acceptJwtProfile(true).build(), "Bearer " + token, 401, "invalid_token", "not for this API");
    }

    @Test
    void verifyWhenTokenOfAnotherServerThenInvalidToken(@TempDir Path otherDir) throws Exception {
        try (TestGatepass other = new TestGatepass(otherDir)) {
            String id = other.api(audience, "archive:write");
            TestGatepass.App app = other.app(id, audience, "archive:write");
            refused(verifier().build(), "Bearer " + app.token(), 401, "invalid_token", "not signed by a key of");
        }
    }

    @Test
    void verifyWhenExpiredThenInvalidToken() {
        MutableClock clock = new MutableClock();
        GatepassVerifier verifier = verifier().clock(clock).build();
        String token = writer.token();
        verifier.verify("Bearer " + token);

        clock.advance(Duration.ofHours(2));

        refused(verifier, "Bearer " + token, 401, "invalid_token", "expired");
    }

    @Test
    void verifyWhenTypMissingOrAlgSwappedThenInvalidToken() throws Exception {
        GatepassVerifier verifier = verifier().build();
        SignedJWT real = SignedJWT.parse(writer.token());
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(real.getHeader().getKeyID()).generate();

        SignedJWT noTyp = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(attacker.getKeyID()).build(),
                real.getJWTClaimsSet());
        noTyp.sign(new RSASSASigner(attacker));
        refused(verifier, "Bearer " + noTyp.serialize(), 401, "invalid_token", "typ");

        // the classic swap: HS256 "signed" with the server's public key as the HMAC secret
        RSAKey published = (RSAKey) JWKSet.parse(fetchJwks())
                .getKeyByKeyId(real.getHeader().getKeyID());
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(real.getHeader().getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), real.getJWTClaimsSet());
        hmac.sign(new MACSigner(published.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
        refused(verifier, "Bearer " + hmac.serialize(), 401, "invalid_token", "alg");

        // PS256 with the kid of an RS256 key: the key's own algorithm only
        SignedJWT ps = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(real.getHeader().getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), real.getJWTClaimsSet());
        ps.sign(new RSASSASigner(attacker));
        refused(verifier, "Bearer " + ps.serialize(), 401, "invalid_token", "not signed by a key");
    }

    private static String fetchJwks() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(gatepass.server.issuer() + "/.well-known/jwks.json")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void verifyWhenKeyRotatedThenUnknownKidFetchedAndAccepted() throws Exception {
        GatepassVerifier verifier = verifier().minJwksRefetch(Duration.ZERO).build();
        verifier.verify("Bearer " + writer.token());

        gatepass.admin("POST", "/admin/keys/rotate", "{\"immediate\":true}");
        writer.tokens().invalidate();
        String afterRotation = writer.token();

        assertThat(verifier.verify("Bearer " + afterRotation).clientId()).isEqualTo(writer.clientId());
    }

    @Test
    void verifyWhenAppBlockedThenRefusedWithinThePollingBound() throws Exception {
        TestGatepass.App blocked = gatepass.app(apiId, audience, "archive:write");
        try (GatepassVerifier verifier = verifier().pollRevocations(Duration.ofMillis(200)).build()) {
            String token = blocked.token();
            assertThat(verifier.verify("Bearer " + token, "archive:write").clientId()).isEqualTo(blocked.clientId());

            gatepass.admin("PATCH", "/admin/clients/" + blocked.clientId(), "{\"status\":\"blocked\"}");

            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            Consumer<String> check = t -> verifier.verify("Bearer " + t);
            boolean refusedInTime = false;
            while (System.nanoTime() < deadline && !refusedInTime) {
                try {
                    check.accept(token);
                    Thread.sleep(50);
                } catch (TokenVerificationException e) {
                    assertThat(e.description()).contains("revoked");
                    refusedInTime = true;
                }
            }
            assertThat(refusedInTime).as("refused within the polling bound although the JWT has not expired").isTrue();
            assertThat(verifier.revocationsCurrent()).isTrue();
            assertThat(verifier.verify("Bearer " + writer.token()).clientId()).as("other apps unaffected").isEqualTo(writer.clientId());
        }
    }

    @Test
    void verifyWhenTokenExchangedByTheClientSdkThenActorsShownAndBlockingTheSubjectRefusesIt() throws Exception {
        String inventory = "https://inventory-" + System.nanoTime() + ".example.com";
        String inventoryApi = gatepass.api(inventory, "stock:read");
        TestGatepass.App customer = gatepass.app(apiId, audience, "archive:read");
        gatepass.admin("PUT", "/admin/clients/" + customer.clientId() + "/grants/" + inventoryApi, "{\"scopes\":[\"stock:read\"]}");
        // the storage service, called with the customer's token, calls the inventory API on the customer's behalf
        TestGatepass.App storage = gatepass.app(inventoryApi, inventory, "stock:read");
        gatepass.admin("PATCH", "/admin/apis/" + apiId, "{\"token_exchange_actors\":[\"" + storage.clientId() + "\"]}");

        io.gatepass.client.AccessToken onBehalf = storage.tokens().exchange(customer.token(), inventory, "stock:read");

        try (GatepassVerifier inventoryVerifier = GatepassVerifier.builder().issuer(gatepass.issuer()).audience(inventory)
                .pollRevocations(Duration.ofMillis(200)).build()) {
            VerifiedToken verified = inventoryVerifier.verify("Bearer " + onBehalf.value(), "stock:read");
            assertThat(verified.subject()).isEqualTo(customer.clientId());
            assertThat(verified.clientId()).isEqualTo(storage.clientId());
            assertThat(verified.actors()).containsExactly(storage.clientId());

            gatepass.admin("PATCH", "/admin/clients/" + customer.clientId(), "{\"status\":\"blocked\"}");

            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            boolean refused = false;
            while (System.nanoTime() < deadline && !refused) {
                try {
                    inventoryVerifier.verify("Bearer " + onBehalf.value());
                    Thread.sleep(50);
                } catch (TokenVerificationException e) {
                    assertThat(e.description()).contains("revoked");
                    refused = true;
                }
            }
            assertThat(refused).as("the exchanged token falls with its subject app, within the polling bound").isTrue();
        }
    }

    /** A clock the test moves. */

}
