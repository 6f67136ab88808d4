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
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.ClientStatus;
import io.gatepass.server.codec.Json;
import io.gatepass.server.keys.CryptoProviders;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.sql.SqlStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
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
 * The whole private_key_jwt check of one ES256 client assertion as the server runs it — parse, claims, registry,
 * key lookup, signature, replay list — without HTTP. Assertions are made up front (each has its own jti), so the
 * figure is verification only. Lives in the server's package to reach the package-private authenticator.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AssertionBenchmark {
    private static final int POOL = 300_000;
    private static final String ISSUER = "http://localhost:8080";

    @Param({"native", "jdk"})
    public String provider;

    private Path dir;
    private SqlStore store;
    private AuditBatchWriter writer;
    private PrivateKeyJwtAuthenticator authenticator;
    private String[] assertions;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("gatepass-bench");
        store = SqlStore.openSqlite(dir);
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
        Instant now = Instant.now();
        Client client = new Client("bench-app", "bench", ClientAuthMethod.PRIVATE_KEY_JWT, ClientStatus.ACTIVE, null,
                now, now, null, new JWKSet(key.toPublicJWK()).toString(), null, null, false, null, false, null, null, null);
        store.inTransaction(tx -> {
            tx.clients().insert(client);
            return null;
        });
        Clock clock = Clock.systemUTC();
        writer = new AuditBatchWriter(store, new Json(), clock);
        Provider chosen = provider.equals("native") ? CryptoProviders.detect().preferred() : null;
        authenticator = new PrivateKeyJwtAuthenticator(new RegistryCache(store), new ClientKeySource(new io.gatepass.server.fetch.OutboundFetcher(false), clock),
                new AssertionReplayCache(store, writer, clock), ISSUER, clock, chosen, new io.gatepass.server.limits.FailureThrottle(0, 0));
        ECDSASigner signer = new ECDSASigner(key);
        Provider fast = CryptoProviders.detect().preferred();
        if (fast != null) signer.getJCAContext().setProvider(fast);
        assertions = new String[POOL];
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("bench").build();
        for (int i = 0; i < POOL; i++) {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("bench-app").subject("bench-app")
                    .audience(ISSUER + "/oauth/token").issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(280))).jwtID("jti-" + i).build();
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            assertions[i] = jwt.serialize();
        }
    }

    @Benchmark
    public Object verifyAssertion() throws ClientAuthenticationRefused {
        String assertion = assertions[next++ % POOL]; // one benchmark thread: a plain counter suffices
        return authenticator.authenticate(PrivateKeyJwtAuthenticator.JWT_BEARER, assertion, Optional.empty(), id -> { });
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        BenchStores.close(writer, store, dir);
    }
}
