package io.gatepass.server;

import io.gatepass.server.admin.AdminHttp;
import io.gatepass.server.admin.AdminTokenAuthenticator;
import io.gatepass.server.manage.AdminBootstrap;
import io.gatepass.server.manage.Management;
import io.gatepass.server.admin.ApisEndpoint;
import io.gatepass.server.admin.ClientSecretsEndpoint;
import io.gatepass.server.admin.ClientsEndpoint;
import io.gatepass.server.admin.ConsoleLinksEndpoint;
import io.gatepass.server.console.Console;
import io.gatepass.server.admin.AuditEndpoint;
import io.gatepass.server.admin.GrantsEndpoint;
import io.gatepass.server.admin.FederatedCredentialsEndpoint;
import io.gatepass.server.admin.InitialAccessTokensEndpoint;
import io.gatepass.server.admin.TrustedIssuersEndpoint;
import io.gatepass.server.admin.KeysEndpoint;
import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.audit.AuditRetention;
import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.config.ServerConfig;
import io.gatepass.server.fetch.OutboundFetcher;
import io.gatepass.server.http.AccessLog;
import io.gatepass.server.http.ConcurrencyBound;
import io.gatepass.server.http.ErrorResponder;
import io.gatepass.server.http.HealthEndpoint;
import io.gatepass.server.web.HttpRejection;
import io.gatepass.server.codec.Json;
import io.gatepass.server.metrics.Metrics;
import io.gatepass.server.web.Problem;
import io.gatepass.server.web.ReadDeadlines;
import io.gatepass.server.http.ServerTls;
import io.gatepass.server.codec.Text;
import io.gatepass.server.keys.CryptoProviders;
import io.gatepass.server.keys.KeyEncryption;
import io.gatepass.server.keys.KeyRing;
import io.gatepass.server.keys.KeyRotation;
import io.gatepass.server.keys.MasterKey;
import io.gatepass.server.limits.FailureThrottle;
import io.gatepass.server.limits.IssuanceBudget;
import io.gatepass.server.limits.RateLimitPolicy;
import io.gatepass.server.limits.RegistrationThrottle;
import io.gatepass.server.registration.RegistrationEndpoint;
import io.gatepass.server.oauth.AssertionReplayCache;
import io.gatepass.server.oauth.ClientAuthenticator;
import io.gatepass.server.oauth.ClientSecretAuthenticator;
import io.gatepass.server.oauth.PrivateKeyJwtAuthenticator;
import io.gatepass.server.oauth.DiscoveryEndpoints;
import io.gatepass.server.oauth.DpopCheck;
import io.gatepass.server.oauth.TlsClientAuthenticator;
import io.gatepass.server.web.ClientOrigins;
import io.gatepass.server.oauth.FederatedJwtAuthenticator;
import io.gatepass.server.oauth.IntrospectionEndpoint;
import io.gatepass.server.oauth.OAuthError;
import io.gatepass.server.oauth.RevocationEndpoint;
import io.gatepass.server.oauth.RevocationFeedEndpoint;
import io.gatepass.server.oauth.TokenEndpoint;
import io.gatepass.server.store.Change;
import io.gatepass.server.store.ChangeFeed;
import io.gatepass.server.store.Changes;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.Store;
import io.gatepass.server.store.sql.SqlStore;
import io.gatepass.server.token.AccessTokenMinter;
import io.gatepass.server.token.AccessTokenValidator;
import io.gatepass.server.token.RevocationList;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens the store, loads keys, wires every endpoint into one routing and starts the web
 * server. Tests start exactly this on port 0.
 */
public final class GatepassServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatepassServer.class);
    /** Helidon's own backstop; our endpoints refuse bodies over 64 KiB first, with a clear error. */
    private static final long TRANSPORT_MAX_PAYLOAD = 1024 * 1024;

    /** Like nginx's keep-alive time-out, a little under: clients' pools reconnect. */
    private static final Duration IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(60);
    /** How long a stop waits for requests in flight before it interrupts them. */
    private static final Duration SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(5);

    /** How often expired revocations are pruned. */
    private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofMinutes(10);
    /** How often a node counts the nodes it shares token budgets with. */
    private static final Duration NODE_COUNT_INTERVAL = Duration.ofSeconds(5);

    private final WebServer webServer;
    private final Store store;
    private final AuditBatchWriter auditWriter;
    private final ScheduledExecutorService housekeeping;
    private final String issuer;
    private final Optional<AdminBootstrap.Result> bootstrap;
    private final ServerTls tls;
    private AuditRetention auditRetention;
    private io.gatepass.server.audit.AuditStreamer auditStreamer;
    private final ReadDeadlines readDeadlines;

    private GatepassServer(WebServer webServer, Store store, AuditBatchWriter auditWriter,
                           ScheduledExecutorService housekeeping, String issuer, Optional<AdminBootstrap.Result> bootstrap,
                           ServerTls tls, ReadDeadlines readDeadlines) {
        this.tls = tls;
        this.readDeadlines = readDeadlines;
        this.webServer = webServer;
        this.store = store;
        this.auditWriter = auditWriter;
        this.housekeeping = housekeeping;
        this.issuer = issuer;
        this.bootstrap = bootstrap;
    }

    public static GatepassServer start(ServerConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static GatepassServer start(ServerConfig config, Clock clock) {
        int port = config.port() == 0 && config.issuer() == null ? freePort() : config.port();
        String issuer = config.issuerFor(port);
        String publicUrl = config.publicUrlFor(port);
        if (config.databaseUrl() != null && config.masterKey() == null) {
            // before the database is touched: a key file is per machine, every node needs the one key
            throw new StartupException(StartupException.CONFIGURATION, "with --database-url, set GATEPASS_MASTER_KEY "
                    + "(the same on every node; for example: openssl rand -base64 32)", null);
        }
        // before the store: a first start that cannot listen must not create an admin secret nobody is shown
        if (port != 0) portAvailableCheck(config.host(), port);
        // while the store opens (SQLite's native library, the migrations, the first queries), the second core loads
        // the native crypto provider (its library and self-tests) and Helidon's service registry: each was a sixth
        // of a restart, on the main thread, and none depends on the store
        FutureTask<CryptoProviders> providersLoaded = new FutureTask<>(() -> {
            CryptoProviders detected = CryptoProviders.detect();
            HttpRouting.builder();
            return detected;
        });
        Thread.ofPlatform().name("gatepass-start").daemon().start(providersLoaded);
        Store store = openStore(config);
        AuditBatchWriter auditWriter = null;
        ScheduledExecutorService housekeeping = null;
        ReadDeadlines readDeadlines = null;
        try {
            Json json = new Json();
            AuditTrail audit = new AuditTrail(json, clock);
            boolean storeHasKeys = store.read(tx -> !tx.keys().list().isEmpty());
            KeyEncryption encryption;
            KeyRing keys;
            CryptoProviders providers = loaded(providersLoaded);
            try {
                encryption = new KeyEncryption(MasterKey.resolve(config.masterKey(), config.dataDir(), storeHasKeys,
                        config.databaseUrl() != null), MasterKey.previous(config.masterKeyPrevious()));
                keys = KeyRing.loadOrCreate(store, clock, config.keyPolicy(), encryption, providers);
            } catch (IllegalStateException | UncheckedIOException e) { // a wrong or missing master key among them
                throw new StartupException(StartupException.CONFIGURATION, e.getMessage(), e);
            }
            Optional<AdminBootstrap.Result> bootstrap = AdminBootstrap.run(store, audit, clock, config.bootstrapAdminSecret());
            KeyRotation rotation = new KeyRotation(store, keys, audit);
            for (String alg : store.read(tx -> tx.apis().signingAlgorithms())) rotation.ensureRing(KeyRotation.SYSTEM, alg);
            RegistryCache registry = new RegistryCache(store);
            RevocationList revocations = RevocationList.load(store, clock);
            auditWriter = new AuditBatchWriter(store, json, clock);
            AssertionReplayCache replays = new AssertionReplayCache(store, auditWriter, clock);
            // what the store's commits changed, here or on another node, reaches what this node holds in memory
            Changes changes = new Changes();
            changes.listen(registry::changed);
            changes.listen(change -> {
                if (change instanceof Change.Revocations) revocations.catchUp();
                else if (change instanceof Change.Keys) keys.reload();
            });
            changes.onMissed(registry::invalidateEverything);
            changes.onMissed(revocations::catchUp);
            changes.onMissed(keys::reload);
            store.announceTo(changes);
            ChangeFeed feed = store.changeFeed(changes::heard, changes::missed);
            changes.publishTo(feed);
            AuditRetention auditRetention = new AuditRetention(store, config.auditRetention(), clock);
            housekeeping = startHousekeeping(revocations, rotation, replays, auditRetention);
            java.util.concurrent.atomic.AtomicInteger liveNodes = new java.util.concurrent.atomic.AtomicInteger(1);
            if (store.shared()) {
                Store counted = store;
                housekeeping.scheduleWithFixedDelay(() -> {
                    try {
                        liveNodes.set(counted.liveNodes());
                    } catch (RuntimeException e) {
                        // the database is away: the last count stands
                    }
                }, 0, NODE_COUNT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
            Metrics metrics = new Metrics();
            ErrorResponder errors = new ErrorResponder(json, metrics);
            registry.bindTo(metrics.registry());
            metrics.gauge("gatepass.audit.queue", "Audit events waiting to be written", auditWriter, AuditBatchWriter::queued);
            metrics.gauge("gatepass.nodes", "Nodes sharing the store, and so each app's token budget", liveNodes,
                    java.util.concurrent.atomic.AtomicInteger::get);
            RateLimitPolicy limits = config.limits();
            FailureThrottle throttle = new FailureThrottle(limits.failuresPerClientId(), limits.failuresPerAddress());
            OutboundFetcher fetcher = new OutboundFetcher(config.development());
            // the client authentication methods offered: one line each
            ClientAuthenticator authenticator = new ClientAuthenticator(List.of(
                    new ClientSecretAuthenticator(registry, throttle),
                    new PrivateKeyJwtAuthenticator(registry, fetcher, replays, issuer, clock, providers.preferred(), throttle),
                    new FederatedJwtAuthenticator(registry, fetcher, replays, clock, providers.preferred(), throttle, metrics),
                    new TlsClientAuthenticator(registry, fetcher, TlsClientAuthenticator.readCas(config.edge().clientCa()),
                            throttle, clock)),
                    auditWriter, metrics, throttle);
            ServerConfig.Edge edge = config.edge();
            DpopCheck dpop = new DpopCheck(providers.preferred(), store, auditWriter, publicUrl + "/oauth/token",
                    edge.dpopNonces() ? encryption.derive("dpop-nonce") : null, clock);
            Endpoints endpoints = new Endpoints(new Parts(json, store, registry, keys, rotation, revocations, audit,
                    auditWriter, authenticator, issuer, clock, config.development(), metrics,
                    new IssuanceBudget(limits.tokensPerMinute(), liveNodes::get), limits, publicUrl, edge, dpop));
            io.gatepass.server.manage.ConsoleSessions consoleSessions = endpoints.consoleLinks().sessions();
            housekeeping.scheduleWithFixedDelay(() -> {
                try {
                    consoleSessions.prune();
                } catch (RuntimeException e) {
                    LOG.warn("removing ended console sessions failed; trying again in {}", HOUSEKEEPING_INTERVAL, e);
                }
            }, 1, HOUSEKEEPING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            ClientOrigins origins = new ClientOrigins(edge.trustedProxies(), edge.clientCertHeader());
            readDeadlines = new ReadDeadlines(ReadDeadlines.DEFAULT);
            ReadDeadlines deadlines = readDeadlines;
            WebServer webServer = WebServer.builder()
                    .host(config.host())
                    .port(port)
                    .maxPayloadSize(TRANSPORT_MAX_PAYLOAD)
                    // a kept-alive connection that sends nothing for this long is closed (and so is one whose
                    // request line trickles in); headers and bodies have ReadDeadlines
                    .idleConnectionTimeout(IDLE_CONNECTION_TIMEOUT)
                    .idleConnectionPeriod(Duration.ofSeconds(5))
                    // close() stops the server, then the audit writer and the store, in that order; Helidon's own
                    // JVM hook would stop it in parallel, and close() would find it stopped and close the store
                    // under requests still running
                    .shutdownHook(false)
                    .shutdownGracePeriod(SHUTDOWN_GRACE_PERIOD)
                    .update(server -> {
                        // HTTP/2 by ALPN over TLS only: with the HTTP/2 provider on a plain listener, a request line
                        // that is neither protocol gets the connection closed instead of a 400
                        server.protocolsDiscoverServices(false)
                                .addProtocol(Http1Config.builder().addReceiveListener(deadlines).build());
                        if (config.tls() != null) {
                            server.tls(ServerTls.initial(config.tls(), edge.tlsClientAuth())).addProtocol(Http2Config.create());
                        }
                    })
                    .directHandlers(directHandlers(errors))
                    .routing(routing -> {
                        routing.addFilter(origins::filter);
                        routing.addFilter(new AccessLog(metrics)::filter);
                        routing.addFilter(deadlines::filter);
                        if (limits.maxConcurrentRequests() > 0) {
                            routing.addFilter(new ConcurrencyBound(limits.maxConcurrentRequests(), errors)::filter);
                        }
                        routing(routing, endpoints, errors);
                    })
                    .build()
                    .start();
            ServerTls tls = config.tls() == null ? null : ServerTls.watch(config.tls(), edge.tlsClientAuth(), webServer);
            LOG.info("Gatepass listening on {}://{}:{} with issuer {}", tls == null ? "http" : "https", config.host(),
                    webServer.port(), issuer);
            GatepassServer started = new GatepassServer(webServer, store, auditWriter, housekeeping, issuer, bootstrap, tls,
                    readDeadlines);
            started.auditRetention = auditRetention;
            if (config.auditStream() != null) {
                started.auditStreamer = new io.gatepass.server.audit.AuditStreamer(store, json, clock, metrics,
                        config.auditStream().url(), config.auditStream().secret(), config.auditStream().header()).start();
            }
            return started;
        } catch (RuntimeException e) {
            if (readDeadlines != null) readDeadlines.close();
            if (housekeeping != null) housekeeping.shutdownNow();
            if (auditWriter != null) auditWriter.close();
            store.close();
            throw e;
        }
    }

    private static ScheduledExecutorService startHousekeeping(RevocationList revocations, KeyRotation rotation,
                                                              AssertionReplayCache replays, AuditRetention audit) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("gatepass-housekeeping").daemon().factory());
        long every = HOUSEKEEPING_INTERVAL.toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                int pruned = revocations.prune();
                if (pruned > 0) LOG.info("pruned {} expired revocation(s)", pruned);
                replays.prune();
            } catch (RuntimeException e) {
                LOG.warn("pruning revocations failed; trying again in {}", HOUSEKEEPING_INTERVAL, e);
            }
            try {
                int removed = audit.prune();
                if (removed > 0) LOG.info("removed {} audit event(s) older than the retention", removed);
            } catch (RuntimeException e) {
                LOG.warn("removing old audit events failed; trying again in {}", HOUSEKEEPING_INTERVAL, e);
            }
            try {
                rotation.maintain();
            } catch (RuntimeException e) {
                LOG.warn("key rotation or clean-up failed; trying again in {}", HOUSEKEEPING_INTERVAL, e);
            }
        }, 0, every, TimeUnit.MILLISECONDS);
        return executor;
    }

    /** The shared parts every endpoint is built from. */
    record Parts(Json json, Store store, RegistryCache registry, KeyRing keys, KeyRotation rotation, RevocationList revocations,
                 AuditTrail audit, AuditBatchWriter auditWriter, ClientAuthenticator authenticator, String issuer,
                 Clock clock, boolean development, Metrics metrics, IssuanceBudget budget, RateLimitPolicy limits,
                 String publicUrl, ServerConfig.Edge edge, DpopCheck dpop) {
        AccessTokenValidator validator() {
            return new AccessTokenValidator(issuer, keys, registry, revocations, clock);
        }
    }

    /** Everything the routing needs, built once. */
    record Endpoints(TokenEndpoint token, IntrospectionEndpoint introspection, RevocationEndpoint revocation,
                     RevocationFeedEndpoint revocationFeed, DiscoveryEndpoints discovery, HealthEndpoint health,
                     ApisEndpoint apis, ClientsEndpoint clients, ClientSecretsEndpoint secrets, GrantsEndpoint grants,
                     KeysEndpoint keys, AuditEndpoint audit, InitialAccessTokensEndpoint initialTokens,
                     RegistrationEndpoint registration, TrustedIssuersEndpoint issuers,
                     FederatedCredentialsEndpoint federatedCredentials, Metrics metrics, ConsoleLinksEndpoint consoleLinks,
                     Console console) {
        Endpoints(Parts p) {
            this(p, p.validator());
        }

        private Endpoints(Parts p, AccessTokenValidator validator) {
            this(p, new AdminTokenAuthenticator(validator), validator, Management.create(p.store(), p.registry(), p.audit(), p.auditWriter(), p.keys(), p.rotation(), p.issuer(), p.clock(),
                            p.development()));
        }

        private Endpoints(Parts p, AdminTokenAuthenticator managementTokens, AccessTokenValidator validator, Management manage) {
            this(p, new AdminHttp(managementTokens, p.json()), managementTokens, validator, manage);
        }

        private Endpoints(Parts p, AdminHttp admin, AdminTokenAuthenticator managementTokens, AccessTokenValidator validator,
                          Management manage) {
            this(new TokenEndpoint(p.json(), p.registry(), p.authenticator(),
                            new AccessTokenMinter(p.issuer(), p.keys(), p.revocations(), p.clock()), p.auditWriter(),
                            p.metrics(), p.budget(), p.revocations(), validator, p.dpop(), p.clock()),
                    new IntrospectionEndpoint(p.json(), p.registry(), p.authenticator(), validator),
                    new RevocationEndpoint(p.json(), p.store(), p.authenticator(), validator, p.revocations(),
                            p.clock()),
                    new RevocationFeedEndpoint(p.json(), p.revocations()),
                    new DiscoveryEndpoints(p.issuer(), p.publicUrl(), p.edge().clientCertificates(), p.keys(), p.json()),
                    new HealthEndpoint(p.store(), p.keys(), p.json()),
                    new ApisEndpoint(admin, manage.apis()), new ClientsEndpoint(admin, manage.apps()),
                    new ClientSecretsEndpoint(admin, manage.apps()), new GrantsEndpoint(admin, manage.grants()),
                    new KeysEndpoint(admin, p.keys(), p.rotation()), new AuditEndpoint(admin, p.store()),
                    new InitialAccessTokensEndpoint(admin, manage.initialTokens()),
                    new RegistrationEndpoint(p.json(), manage.registrations(), managementTokens,
                            new RegistrationThrottle(p.limits().registrationsPerAddress()), p.publicUrl(), p.clock()),
                    new TrustedIssuersEndpoint(admin, manage.issuers()),
                    new FederatedCredentialsEndpoint(admin, manage.federatedCredentials()), p.metrics(),
                    new ConsoleLinksEndpoint(admin, manage.consoleSessions(), p.publicUrl()),
                    new Console(manage, p.store(), p.keys(), p.rotation(), p.metrics().throttled(), p.json(), p.publicUrl(),
                            p.clock()));
        }
    }

    static void routing(HttpRouting.Builder routing, Endpoints e, ErrorResponder errors) {
        // ids in paths reach the store: a control character (NUL above all, which PostgreSQL cannot even compare)
        // names nothing that exists, so it is answered here
        Handler noControlCharacters = (req, res) -> {
            if (Text.hasControlCharacter(req.path().path())) throw new HttpRejection(404, "no such resource");
            res.next();
        };
        routing.any("/admin/*", noControlCharacters).any("/console/*", noControlCharacters);
        e.console().routing(routing);
        routing.post("/oauth/token", e.token()::handle)
                .any("/oauth/token", methodNotAllowed("POST"))
                .post("/oauth/introspect", e.introspection()::handle)
                .any("/oauth/introspect", methodNotAllowed("POST"))
                .post("/oauth/revoke", e.revocation()::handle)
                .any("/oauth/revoke", methodNotAllowed("POST"))
                .get("/oauth/revocations", e.revocationFeed()::handle)
                .any("/oauth/revocations", methodNotAllowed("GET"))
                .get("/.well-known/oauth-authorization-server", e.discovery()::metadata)
                .any("/.well-known/oauth-authorization-server", methodNotAllowed("GET"))
                .get("/.well-known/openid-configuration", e.discovery()::openidConfiguration)
                .any("/.well-known/openid-configuration", methodNotAllowed("GET"))
                .get("/.well-known/jwks.json", e.discovery()::jwks)
                .any("/.well-known/jwks.json", methodNotAllowed("GET"))
                .get("/health/live", e.health()::live)
                .any("/health/live", methodNotAllowed("GET"))
                .get("/health/ready", e.health()::ready)
                .any("/health/ready", methodNotAllowed("GET"))
                .get("/metrics", e.metrics()::scrape)
                .any("/metrics", methodNotAllowed("GET"))

                .post("/admin/apis", e.apis()::create)
                .get("/admin/apis", e.apis()::list)
                .any("/admin/apis", methodNotAllowed("GET, POST"))
                .get("/admin/apis/{id}", e.apis()::get)
                .patch("/admin/apis/{id}", e.apis()::update)
                .delete("/admin/apis/{id}", e.apis()::delete)
                .any("/admin/apis/{id}", methodNotAllowed("GET, PATCH, DELETE"))

                .post("/admin/clients", e.clients()::create)
                .get("/admin/clients", e.clients()::list)
                .any("/admin/clients", methodNotAllowed("GET, POST"))
                .get("/admin/clients/{client_id}", e.clients()::get)
                .patch("/admin/clients/{client_id}", e.clients()::update)
                .delete("/admin/clients/{client_id}", e.clients()::delete)
                .any("/admin/clients/{client_id}", methodNotAllowed("GET, PATCH, DELETE"))
                .post("/admin/clients/{client_id}/revoke-tokens", e.clients()::revokeTokens)
                .any("/admin/clients/{client_id}/revoke-tokens", methodNotAllowed("POST"))
                .post("/admin/clients/{client_id}/secrets", e.secrets()::create)
                .get("/admin/clients/{client_id}/secrets", e.secrets()::list)
                .any("/admin/clients/{client_id}/secrets", methodNotAllowed("GET, POST"))
                .delete("/admin/clients/{client_id}/secrets/{secret_id}", e.secrets()::delete)
                .any("/admin/clients/{client_id}/secrets/{secret_id}", methodNotAllowed("DELETE"))
                .get("/admin/clients/{client_id}/grants", e.grants()::list)
                .any("/admin/clients/{client_id}/grants", methodNotAllowed("GET"))
                .put("/admin/clients/{client_id}/grants/{api_id}", e.grants()::put)
                .get("/admin/clients/{client_id}/grants/{api_id}", e.grants()::get)
                .delete("/admin/clients/{client_id}/grants/{api_id}", e.grants()::delete)
                .any("/admin/clients/{client_id}/grants/{api_id}", methodNotAllowed("GET, PUT, DELETE"))
                .get("/admin/keys", e.keys()::list)
                .any("/admin/keys", methodNotAllowed("GET"))
                .post("/admin/keys/rotate", e.keys()::rotate)
                .any("/admin/keys/rotate", methodNotAllowed("POST"))
                .post("/admin/keys/rewrap", e.keys()::rewrap)
                .any("/admin/keys/rewrap", methodNotAllowed("POST"))
                .delete("/admin/keys/{kid}", e.keys()::delete)
                .any("/admin/keys/{kid}", methodNotAllowed("DELETE"))
                .get("/admin/audit", e.audit()::list)
                .get("/admin/audit/export", e.audit()::export)
                .any("/admin/audit/export", methodNotAllowed("GET"))
                .any("/admin/audit", methodNotAllowed("GET"))
                .post("/admin/trusted-issuers", e.issuers()::create)
                .get("/admin/trusted-issuers", e.issuers()::list)
                .any("/admin/trusted-issuers", methodNotAllowed("GET, POST"))
                .get("/admin/trusted-issuers/{id}", e.issuers()::get)
                .patch("/admin/trusted-issuers/{id}", e.issuers()::update)
                .delete("/admin/trusted-issuers/{id}", e.issuers()::delete)
                .any("/admin/trusted-issuers/{id}", methodNotAllowed("GET, PATCH, DELETE"))
                .post("/admin/clients/{client_id}/federated-credentials", e.federatedCredentials()::create)
                .get("/admin/clients/{client_id}/federated-credentials", e.federatedCredentials()::list)
                .any("/admin/clients/{client_id}/federated-credentials", methodNotAllowed("GET, POST"))
                .delete("/admin/clients/{client_id}/federated-credentials/{id}", e.federatedCredentials()::delete)
                .any("/admin/clients/{client_id}/federated-credentials/{id}", methodNotAllowed("DELETE"))
                .post("/admin/console-links", e.consoleLinks()::create)
                .any("/admin/console-links", methodNotAllowed("POST"))
                .post("/admin/initial-access-tokens", e.initialTokens()::create)
                .get("/admin/initial-access-tokens", e.initialTokens()::list)
                .any("/admin/initial-access-tokens", methodNotAllowed("GET, POST"))
                .delete("/admin/initial-access-tokens/{id}", e.initialTokens()::delete)
                .any("/admin/initial-access-tokens/{id}", methodNotAllowed("DELETE"))
                .post("/oauth/register", e.registration()::register)
                .any("/oauth/register", methodNotAllowed("POST"))
                .get("/oauth/register/{client_id}", e.registration()::read)
                .put("/oauth/register/{client_id}", e.registration()::update)
                .delete("/oauth/register/{client_id}", e.registration()::delete)
                .any("/oauth/register/{client_id}", methodNotAllowed("GET, PUT, DELETE"))

                .any((req, res) -> {
                    throw new HttpRejection(404, "no endpoint at " + req.prologue().method().text() + " " + shortPath(req.path().path()));
                })

                .error(OAuthError.class, errors::oauth)
                .error(Problem.class, (req, res, problem) -> errors.problem(res, problem))
                .error(HttpRejection.class, errors::rejection)
                .error(org.jdbi.v3.core.JdbiException.class, errors::store)
                .error(Throwable.class, errors::unexpected);
    }

    private static Handler methodNotAllowed(String allow) {
        return (req, res) -> {
            throw new HttpRejection(405, req.prologue().method().text() + " is not allowed here; use " + allow, allow);
        };
    }

    private static String shortPath(String path) {
        return path.length() > 100 ? path.substring(0, 100) + "…" : path;
    }

    private static DirectHandlers directHandlers(ErrorResponder errors) {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        DirectHandler handler = errors.directHandler();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) builder.addHandler(type, handler);
        return builder.build();
    }

    private static Store openStore(ServerConfig config) {
        if (config.databaseUrl() != null) {
            try {
                return SqlStore.openPostgres(config.databaseUrl());
            } catch (RuntimeException e) {
                // the URL may hold a password: never repeat it
                throw new StartupException(StartupException.ENVIRONMENT, "cannot open the database of --database-url: "
                        + StartupException.rootMessage(e) + "; check that PostgreSQL runs there and that the URL's host, "
                        + "port, database, user and password are right", e);
            }
        }
        try {
            return SqlStore.openSqlite(config.dataDir());
        } catch (RuntimeException e) {
            throw new StartupException(StartupException.CONFIGURATION, "cannot open the embedded store in --data-dir "
                    + config.dataDir().toAbsolutePath() + ": " + StartupException.rootMessage(e)
                    + "; choose a directory this user can create and write", e);
        }
    }

    private static void portAvailableCheck(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the web server binds: a port in TIME_WAIT is free
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new StartupException(StartupException.ENVIRONMENT, "cannot listen on " + host + ":" + port + " ("
                    + StartupException.rootMessage(e) + "): stop what uses that port, or choose another --port / "
                    + "GATEPASS_PORT", e);
        }
    }

    private static <T> T loaded(FutureTask<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    public int port() {
        return webServer.port();
    }

    /** Removes audit events older than the retention now (housekeeping does it every few minutes). */
    int pruneAuditNow() {
        return auditRetention.prune();
    }

    public String issuer() {
        return issuer;
    }

    /** What the first start on this store created, if this start was the first. */
    public Optional<AdminBootstrap.Result> bootstrap() {
        return bootstrap;
    }

    @Override
    public void close() {
        if (tls != null) tls.close();
        webServer.stop();
        readDeadlines.close();
        housekeeping.shutdownNow();
        auditWriter.close(); // after the last request, so that its events are written too
        if (auditStreamer != null) auditStreamer.close(); // what it has not sent, the next start sends
        store.close();
        LOG.info("Gatepass stopped");
    }
}
