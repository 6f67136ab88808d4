package io.gatepass.server.oauth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.codec.Json;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.ClientStatus;
import io.gatepass.server.domain.FederatedCredential;
import io.gatepass.server.domain.IssuerPreset;
import io.gatepass.server.domain.TrustedIssuer;
import io.gatepass.server.keys.CryptoProviders;
import io.gatepass.server.limits.FailureThrottle;
import io.gatepass.server.metrics.Metrics;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.sql.SqlStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole workload-identity check of one ES256 platform token as the server runs it — form parameters, routing to
 * the method, parse, header, trusted issuer, signature with the issuer's cached keys, times, audience, the app's
 * credentials — without HTTP: {@code verifyPlatformToken} sends one Kubernetes projected token again and again, as
 * the kubelet does (its signature is checked once and remembered), {@code verifyFreshPlatformToken} a new token
 * each time (every signature checked).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FederatedAssertionBenchmark {
    private static final String SERVER = "http://localhost:8080";
    private static final String CLUSTER = "https://kubernetes.default.svc";

    @Param({"native", "jdk"})
    public String provider;

    private Path dir;
    private SqlStore store;
    private AuditBatchWriter writer;
    private FederatedJwtAuthenticator authenticator;
    private static final int POOL = 100_000;
    private byte[] form;
    private byte[][] fresh;
    private int next;
    private ClientRequest request;
    private Json json;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("gatepass-bench");
        store = SqlStore.openSqlite(dir);
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("cluster").generate();
        Instant now = Instant.now();
        TrustedIssuer issuer = new TrustedIssuer("iss_bench", CLUSTER, "cluster", IssuerPreset.KUBERNETES,
                new JWKSet(key.toPublicJWK()).toString(), null, List.of(SERVER, SERVER + "/oauth/token"), 3600, true, false,
                true, now, now);
        Client client = new Client("bench-app", "bench", ClientAuthMethod.FEDERATED_JWT, ClientStatus.ACTIVE, null, now, now);
        store.inTransaction(tx -> {
            tx.trustedIssuers().insert(issuer);
            tx.clients().insert(client);
            tx.federatedCredentials().insert(new FederatedCredential("fc_bench", "bench-app", "iss_bench",
                    "system:serviceaccount:jobs:nightly", null, now));
            return null;
        });
        Clock clock = Clock.systemUTC();
        json = new Json();
        writer = new AuditBatchWriter(store, json, clock);
        Provider chosen = provider.equals("native") ? CryptoProviders.detect().preferred() : null;
        authenticator = new FederatedJwtAuthenticator(new RegistryCache(store), new io.gatepass.server.fetch.OutboundFetcher(false),
                new AssertionReplayCache(store, writer, clock), clock, chosen, new FailureThrottle(0, 0), new Metrics());
        ECDSASigner signer = new ECDSASigner(key);
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("cluster").build(),
                new JWTClaimsSet.Builder().issuer(CLUSTER).subject("system:serviceaccount:jobs:nightly").audience(SERVER)
                        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3000))).build());
        token.sign(signer);
        form = ("grant_type=client_credentials&client_id=bench-app&client_assertion_type="
                + URLEncoder.encode(PrivateKeyJwtAuthenticator.JWT_BEARER, StandardCharsets.UTF_8)
                + "&client_assertion=" + token.serialize()).getBytes(StandardCharsets.US_ASCII);
        request = new ClientRequest(Optional.empty(), () -> "127.0.0.1");
        fresh = new byte[POOL][];
        for (int i = 0; i < POOL; i++) {
            SignedJWT one = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("cluster").build(),
                    new JWTClaimsSet.Builder().issuer(CLUSTER).subject("system:serviceaccount:jobs:nightly").audience(SERVER)
                            .jwtID("t-" + i).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3000))).build());
            one.sign(signer);
            fresh[i] = ("grant_type=client_credentials&client_id=bench-app&client_assertion_type="
                    + URLEncoder.encode(PrivateKeyJwtAuthenticator.JWT_BEARER, StandardCharsets.UTF_8)
                    + "&client_assertion=" + one.serialize()).getBytes(StandardCharsets.US_ASCII);
        }
    }

    @Benchmark
    public Object verifyFreshPlatformToken() throws ClientAuthenticationRefused {
        OAuthParameters params = OAuthParameters.parse("application/x-www-form-urlencoded", fresh[next++ % POOL], json);
        if (!authenticator.presentIn(request, params)) throw new IllegalStateException("not routed to federation");
        return authenticator.authenticate(request, params);
    }

    @Benchmark
    public Object verifyPlatformToken() throws ClientAuthenticationRefused {
        OAuthParameters params = OAuthParameters.parse("application/x-www-form-urlencoded", form, json);
        if (!authenticator.presentIn(request, params)) throw new IllegalStateException("not routed to federation");
        return authenticator.authenticate(request, params);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        BenchStores.close(writer, store, dir);
    }
}
