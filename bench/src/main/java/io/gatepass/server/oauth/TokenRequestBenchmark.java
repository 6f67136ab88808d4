package io.gatepass.server.oauth;

import io.gatepass.server.credentials.ClientSecrets;
import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.ApiScope;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.ClientStatus;
import io.gatepass.server.domain.Grant;
import io.gatepass.server.codec.Json;
import io.gatepass.server.limits.FailureThrottle;
import io.gatepass.server.limits.IssuanceBudget;
import io.gatepass.server.keys.CryptoProviders;
import io.gatepass.server.keys.KeyEncryption;
import io.gatepass.server.keys.KeyPolicy;
import io.gatepass.server.keys.KeyRing;
import io.gatepass.server.keys.KeyRotation;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.RegistryCache.SecretDigest;
import io.gatepass.server.store.sql.SqlStore;
import io.gatepass.server.token.AccessTokenMinter;
import io.gatepass.server.token.RevocationList;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
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
 * The token request without the socket: the server's own {@code TokenEndpoint.issue} from a form body to a signed
 * token (parameters, client_secret_basic, grant, scope, minting, audit record), per algorithm; and the client
 * secret check alone. Lives in the server's package to reach the package-private pieces.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenRequestBenchmark {
    private static final String ISSUER = "http://localhost:8080";

    @Param({"RS256", "ES256"})
    public String alg;

    private Path dir;
    private SqlStore store;
    private AuditBatchWriter writer;
    private TokenEndpoint endpoint;
    private ClientRequest request;
    private byte[] body;
    private final Json json = new Json();
    private String secret;
    private List<SecretDigest> digests;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("gatepass-token-bench");
        store = SqlStore.openSqlite(dir);
        Clock clock = Clock.systemUTC();
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        KeyRing keys = KeyRing.loadOrCreate(store, clock, KeyPolicy.DEFAULT, new KeyEncryption(new SecretKeySpec(master, "AES")),
                CryptoProviders.detect());
        AuditTrail trail = new AuditTrail(json, clock);
        // as the server wires it: the key ring reloads when the store announces a key change
        io.gatepass.server.store.Changes changes = new io.gatepass.server.store.Changes();
        changes.listen(change -> {
            if (change instanceof io.gatepass.server.store.Change.Keys) keys.reload();
        });
        store.announceTo(changes);
        new KeyRotation(store, keys, trail).ensureRing(io.gatepass.server.audit.Actor.of("bench"), alg);
        Instant now = Instant.now();
        Api api = new Api("api_bench", "https://bench.example.com", "bench", List.of(new ApiScope("read", "")), 3600, alg,
                io.gatepass.server.domain.TokenProfile.RFC9068, now, now);
        Client client = new Client("bench-app", "bench", ClientAuthMethod.CLIENT_SECRET_BASIC, ClientStatus.ACTIVE, null, now, now);
        secret = ClientSecrets.generate();
        store.inTransaction(tx -> {
            tx.apis().insert(api);
            tx.clients().insert(client);
            tx.secrets().insert(new io.gatepass.server.domain.ClientSecret("sec_bench", "bench-app", ClientSecrets.digest(secret), now));
            tx.grants().upsert(new Grant("bench-app", "api_bench", Set.of("read"), now, now));
            return null;
        });
        RegistryCache registry = new RegistryCache(store);
        io.gatepass.server.metrics.Metrics metrics = new io.gatepass.server.metrics.Metrics();
        RevocationList revocations = RevocationList.load(store, clock);
        writer = new AuditBatchWriter(store, json, clock);
        FailureThrottle throttle = new FailureThrottle(20, 100);
        ClientAuthenticator authenticator = new ClientAuthenticator(List.of(new ClientSecretAuthenticator(registry, throttle),
                new PrivateKeyJwtAuthenticator(registry, new io.gatepass.server.fetch.OutboundFetcher(false),
                        new AssertionReplayCache(store, writer, clock), ISSUER, clock, CryptoProviders.detect().preferred(), throttle)),
                writer, metrics, throttle);
        // the budget's bookkeeping is measured too, with a budget this one thread cannot spend
        endpoint = new TokenEndpoint(json, registry, authenticator, new AccessTokenMinter(ISSUER, keys, revocations, clock), writer,
                metrics, new IssuanceBudget(1_000_000), revocations,
                new io.gatepass.server.token.AccessTokenValidator(ISSUER, keys, registry, revocations, clock),
                new DpopCheck(CryptoProviders.detect().preferred(), store, writer,
                        ISSUER + "/oauth/token", null, clock), clock);
        request = new ClientRequest(Optional.of("Basic " + Base64.getEncoder().encodeToString(
                ("bench-app:" + secret).getBytes(StandardCharsets.UTF_8))), () -> "127.0.0.1");
        body = "grant_type=client_credentials&audience=https%3A%2F%2Fbench.example.com".getBytes(StandardCharsets.UTF_8);
        digests = List.of(new SecretDigest("sec_bench", ClientSecrets.digest(secret)));
    }

    /** Everything the server does for a token request except reading and writing the socket. */
    @Benchmark
    public Object tokenRequest() {
        return endpoint.issue(request, OAuthParameters.parse("application/x-www-form-urlencoded", body, json), null);
    }

    /** client_secret_basic's own cost: the SHA-256 of the presented secret against the stored digests. */
    @Benchmark
    public String clientSecretCheck() {
        return ClientSecrets.matching(secret, digests);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        BenchStores.close(writer, store, dir);
    }
}
