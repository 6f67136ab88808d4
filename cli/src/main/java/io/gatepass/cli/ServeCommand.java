package io.gatepass.cli;

import io.gatepass.server.GatepassServer;
import io.gatepass.server.StartupException;
import io.gatepass.server.manage.AdminBootstrap;
import io.gatepass.server.config.ServerConfig;
import io.gatepass.server.web.TrustedProxies;
import io.gatepass.server.config.TlsFiles;
import io.gatepass.server.keys.KeyPolicy;
import io.gatepass.server.limits.RateLimitPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatepass serve}: runs the server until interrupted. Each flag falls back to its environment variable. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the authorization server. Each option falls back to the environment variable named in "
                + "its description; a flag wins over the environment.",
        footer = {"", "Settings read from the environment only (secrets never go in flags, which show in process lists):",
                "  GATEPASS_BOOTSTRAP_ADMIN_SECRET  the admin app's secret on the first start (32-512 characters)",
                "  GATEPASS_MASTER_KEY              base64 of the 32-byte key that encrypts signing keys",
                "  GATEPASS_LOG_LEVEL               log level (default INFO)",
                "  GATEPASS_LOG_FORMAT              text (default) or json",
                "  GATEPASS_ACCESS_LOG              INFO (default) or OFF for the per-request access log",
                "  GATEPASS_JAVA_OPTS               JVM options of the ./gatepass script"})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "${env:GATEPASS_HOST:-" + ServerConfig.DEFAULT_HOST + "}",
            description = "Interface to listen on (GATEPASS_HOST). Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--port", defaultValue = "${env:GATEPASS_PORT:-8080}",
            description = "TCP port, 0 for any free one (GATEPASS_PORT). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--issuer", defaultValue = "${env:GATEPASS_ISSUER}",
            description = "Issuer URL put in every token (GATEPASS_ISSUER). Default: http://localhost:<port>")
    String issuer;

    @Option(names = "--data-dir", defaultValue = "${env:GATEPASS_DATA_DIR:-data}",
            description = "Directory of the embedded store (GATEPASS_DATA_DIR). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--database-url", defaultValue = "${env:GATEPASS_DATABASE_URL}",
            description = "jdbc:postgresql:// URL of a database shared by several nodes (GATEPASS_DATABASE_URL); "
                    + "needs GATEPASS_MASTER_KEY. Default: the embedded store in --data-dir")
    String databaseUrl;

    @Option(names = "--key-propagation-delay", converter = IsoDuration.class, defaultValue = "${env:GATEPASS_KEY_PROPAGATION_DELAY:-PT1H}",
            description = "How long a new signing key is published before it signs, ISO-8601 "
                    + "(GATEPASS_KEY_PROPAGATION_DELAY). Default: ${DEFAULT-VALUE}")
    Duration keyPropagationDelay;

    @Option(names = "--key-rotation-period", converter = IsoDuration.class, defaultValue = "${env:GATEPASS_KEY_ROTATION_PERIOD:-P90D}",
            description = "How long a signing key signs before the next takes over, ISO-8601 "
                    + "(GATEPASS_KEY_ROTATION_PERIOD). Default: ${DEFAULT-VALUE}")
    Duration keyRotationPeriod;

    @Option(names = "--default-signing-alg", defaultValue = "${env:GATEPASS_DEFAULT_SIGNING_ALG:-RS256}",
            description = "signing_alg of APIs that name none: RS256, PS256, ES256 or EdDSA "
                    + "(GATEPASS_DEFAULT_SIGNING_ALG). Default: ${DEFAULT-VALUE}")
    String defaultSigningAlg;

    @Option(names = "--dev", defaultValue = "${env:GATEPASS_DEV:-false}",
            description = "Development mode (GATEPASS_DEV): allows http jwks_uri addresses and an http issuer on a "
                    + "non-loopback interface. Never in production")
    boolean development;

    @Option(names = "--tls-cert", defaultValue = "${env:GATEPASS_TLS_CERT}",
            description = "PEM certificate chain to serve HTTPS with, reloaded when the file changes (GATEPASS_TLS_CERT). "
                    + "Default: plain HTTP")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:GATEPASS_TLS_KEY}",
            description = "PEM private key (PKCS#8, or PKCS#1 RSA) of --tls-cert, reloaded with it (GATEPASS_TLS_KEY)")
    Path tlsKey;

    @Option(names = "--token-rate-limit", defaultValue = "${env:GATEPASS_TOKEN_RATE_LIMIT:-1200}",
            description = "Tokens per minute per app, unless the app sets its own token_rate_limit; 0 for none "
                    + "(GATEPASS_TOKEN_RATE_LIMIT). Default: ${DEFAULT-VALUE}")
    int tokenRateLimit;

    @Option(names = "--auth-failure-limit", defaultValue = "${env:GATEPASS_AUTH_FAILURE_LIMIT:-20}",
            description = "Failed client authentications per minute for one client_id before it is throttled; 0 for "
                    + "none (GATEPASS_AUTH_FAILURE_LIMIT). Default: ${DEFAULT-VALUE}")
    int authFailureLimit;

    @Option(names = "--auth-failure-limit-per-address",
            defaultValue = "${env:GATEPASS_AUTH_FAILURE_LIMIT_PER_ADDRESS:-100}",
            description = "Failed client authentications per minute from one address (IPv6: one /64) before it is "
                    + "throttled; 0 for none (GATEPASS_AUTH_FAILURE_LIMIT_PER_ADDRESS). Default: ${DEFAULT-VALUE}")
    int authFailureLimitPerAddress;

    @Option(names = "--max-concurrent-requests", defaultValue = "${env:GATEPASS_MAX_CONCURRENT_REQUESTS:-1000}",
            description = "Requests handled at once; as many more wait up to a second, the rest get 503; 0 for no "
                    + "bound (GATEPASS_MAX_CONCURRENT_REQUESTS). Default: ${DEFAULT-VALUE}")
    int maxConcurrentRequests;

    @Option(names = "--registration-limit-per-address",
            defaultValue = "${env:GATEPASS_REGISTRATION_LIMIT_PER_ADDRESS:-30}",
            description = "Client registration requests (POST /oauth/register) per minute from one address; 0 for none "
                    + "(GATEPASS_REGISTRATION_LIMIT_PER_ADDRESS). Default: ${DEFAULT-VALUE}")
    int registrationLimitPerAddress;

    @Option(names = "--audit-retention", converter = IsoDuration.class, defaultValue = "${env:GATEPASS_AUDIT_RETENTION:-P90D}",
            description = "How long audit events are kept (GATEPASS_AUDIT_RETENTION), removed in batches off the token path; "
                    + "P0D keeps them for ever. Default: ${DEFAULT-VALUE}")
    Duration auditRetention;

    @Option(names = "--audit-stream-url", defaultValue = "${env:GATEPASS_AUDIT_STREAM_URL}", paramLabel = "URL",
            description = "Stream the audit log to this collector (GATEPASS_AUDIT_STREAM_URL): batches of JSON lines, "
                    + "signed with HMAC-SHA256 under GATEPASS_AUDIT_STREAM_SECRET, delivered at least once. Default: off")
    java.net.URI auditStreamUrl;

    @Option(names = "--public-url", defaultValue = "${env:GATEPASS_PUBLIC_URL}",
            description = "The URL clients reach this server at, when a proxy is in front (GATEPASS_PUBLIC_URL): DPoP "
                    + "proofs are checked against it, the metadata names its endpoints under it, and it is the issuer "
                    + "unless --issuer says otherwise. Default: the issuer")
    String publicUrl;

    @Option(names = "--trusted-proxy", defaultValue = "${env:GATEPASS_TRUSTED_PROXY}", paramLabel = "CIDR,...",
            description = "Addresses or CIDR ranges of the proxies in front (GATEPASS_TRUSTED_PROXY): only their "
                    + "Forwarded / X-Forwarded-For name the client's address, and only they may send a client "
                    + "certificate header. Default: none")
    String trustedProxies;

    @Option(names = "--client-cert-header", defaultValue = "${env:GATEPASS_CLIENT_CERT_HEADER}", paramLabel = "NAME",
            description = "The header a trusted TLS-terminating proxy sends the client certificate in, URL-encoded PEM "
                    + "(GATEPASS_CLIENT_CERT_HEADER), e.g. X-SSL-Client-Cert (nginx) or X-Forwarded-Client-Cert (Envoy)")
    String clientCertHeader;

    @Option(names = "--tls-client-auth", defaultValue = "${env:GATEPASS_TLS_CLIENT_AUTH:-none}", paramLabel = "none|optional",
            description = "Whether this server's TLS asks callers for a client certificate (GATEPASS_TLS_CLIENT_AUTH), "
                    + "for tls_client_auth and self_signed_tls_client_auth apps and certificate-bound tokens. "
                    + "Default: ${DEFAULT-VALUE}")
    String tlsClientAuth;

    @Option(names = "--tls-client-ca", defaultValue = "${env:GATEPASS_TLS_CLIENT_CA}", paramLabel = "FILE",
            description = "PEM file of the CAs whose client certificates tls_client_auth apps present (GATEPASS_TLS_CLIENT_CA)")
    Path tlsClientCa;

    @Option(names = "--dpop-nonce", defaultValue = "${env:GATEPASS_DPOP_NONCE:-false}",
            description = "Require a server nonce in DPoP proofs (RFC 9449 §8; GATEPASS_DPOP_NONCE). Default: ${DEFAULT-VALUE}")
    boolean dpopNonce;

    @Option(names = "--config", defaultValue = "${env:GATEPASS_CONFIG}", paramLabel = "FILE",
            description = "Apply this configuration file (docs/config-as-code.md) at every start, before the server is "
                    + "announced ready (GATEPASS_CONFIG); a file with errors stops the start and changes nothing. Applied "
                    + "as GATEPASS_CLIENT_ID / GATEPASS_CLIENT_SECRET, or the admin app with GATEPASS_BOOTSTRAP_ADMIN_SECRET "
                    + "(or the secret a first start makes)")
    Path configFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** An ISO-8601 duration, refused in words a user can act on. */
    static final class IsoDuration implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Duration.parse(value);
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an ISO-8601 duration such as PT1H or P90D");
            }
        }
    }

    /** Secrets are read from the environment only, so that they never show in a process list. */
    ServerConfig config() {
        return ServerConfig.builder().host(host).port(port).issuer(issuer).dataDir(dataDir).databaseUrl(databaseUrl)
                .bootstrapAdminSecret(System.getenv("GATEPASS_BOOTSTRAP_ADMIN_SECRET"))
                .keyPolicy(new KeyPolicy(keyPropagationDelay, keyRotationPeriod, defaultSigningAlg))
                .masterKey(System.getenv("GATEPASS_MASTER_KEY"))
                .masterKeyPrevious(System.getenv("GATEPASS_MASTER_KEY_PREVIOUS")).development(development)
                .limits(new RateLimitPolicy(tokenRateLimit, authFailureLimit, authFailureLimitPerAddress, maxConcurrentRequests,
                        registrationLimitPerAddress))
                .tls(TlsFiles.of(tlsCert, tlsKey))
                .auditRetention(auditRetention)
                .auditStream(auditStreamUrl == null ? null
                        : new ServerConfig.AuditStream(auditStreamUrl, System.getenv("GATEPASS_AUDIT_STREAM_SECRET"),
                                System.getenv("GATEPASS_AUDIT_STREAM_HEADER")))
                .edge(new ServerConfig.Edge(publicUrl, TrustedProxies.parse(trustedProxies), clientCertHeader,
                        tlsClientAuth(), tlsClientCa, dpopNonce))
                .build();
    }

    private boolean tlsClientAuth() {
        return switch (tlsClientAuth == null ? "none" : tlsClientAuth) {
            case "none" -> false;
            case "optional" -> true;
            default -> throw new IllegalArgumentException("--tls-client-auth must be none or optional (a certificate is "
                    + "asked for, not required: apps that use none of it still connect)");
        };
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ServerConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException | NullPointerException e) {
            return refused(e, e.getMessage(), StartupException.CONFIGURATION);
        }
        com.fasterxml.jackson.databind.node.ObjectNode configuration = null;
        if (configFile != null) {
            try {
                configuration = ConfigFile.read(configFile); // checked before anything starts
            } catch (CliException e) {
                spec.commandLine().getErr().println("gatepass serve: --config " + configFile + ":\n" + e.getMessage());
                return StartupException.CONFIGURATION;
            }
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        GatepassServer server;
        try {
            server = GatepassServer.start(config);
        } catch (StartupException e) {
            return refused(e, e.getMessage(), e.exitCode());
        } catch (IllegalArgumentException e) {
            // a setting only starting can judge, such as TLS files that do not make a pair
            return refused(e, e.getMessage(), StartupException.CONFIGURATION);
        } catch (RuntimeException e) {
            return refused(e, "could not start: " + e.getMessage(), StartupException.ENVIRONMENT);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            // last: the asynchronous appenders (the access log) write what they still hold
            if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) logback.stop();
            stopped.countDown();
        }, "gatepass-shutdown"));
        server.bootstrap().ifPresent(result -> printBootstrap(out, result));
        if (configuration != null) {
            try {
                applyConfiguration(configuration, server, out);
            } catch (CliException e) {
                server.close();
                return refused(new IllegalStateException(e.getMessage()), "--config " + configFile + ": " + e.getMessage(),
                        StartupException.CONFIGURATION);
            }
        }
        out.printf("Gatepass is ready at %s://%s:%d (issuer %s). Stop it with Ctrl-C.%n", config.tls() == null ? "http" : "https",
                config.host(), server.port(), server.issuer());
        out.flush();
        stopped.await();
        return 0;
    }

    /** Applies the file through the server's own management API, as the configured app or the admin app. */
    private void applyConfiguration(com.fasterxml.jackson.databind.node.ObjectNode configuration, GatepassServer server,
                                    PrintWriter out) {
        String clientId = System.getenv("GATEPASS_CLIENT_ID");
        String secret = System.getenv("GATEPASS_CLIENT_SECRET");
        if (clientId == null || secret == null) {
            clientId = io.gatepass.server.domain.Client.ADMIN_CLIENT_ID;
            secret = server.bootstrap().flatMap(AdminBootstrap.Result::generatedSecret)
                    .orElse(System.getenv("GATEPASS_BOOTSTRAP_ADMIN_SECRET"));
        }
        if (secret == null) {
            throw new CliException(ExitCode.USAGE, "set GATEPASS_CLIENT_ID and GATEPASS_CLIENT_SECRET (an app with "
                    + "clients:write and apis:write), or GATEPASS_BOOTSTRAP_ADMIN_SECRET, to apply it");
        }
        String local = (config().tls() == null ? "http" : "https") + "://127.0.0.1:" + server.port();
        GatepassClient client = new GatepassClient(local.startsWith("https") ? server.issuer() : local, clientId, secret);
        ConfigSync sync = new ConfigSync(client, clientId);
        ConfigSync.Result result = sync.sync(configuration, false, true, true);
        if (result.changes().isEmpty()) {
            out.println("Configuration " + configFile + ": no changes.");
        } else {
            out.println("Configuration " + configFile + ": " + ConfigCommands.summary(result) + ".");
            for (ConfigSync.Change change : result.changes()) out.println("  " + change.line());
            for (ConfigSync.NewSecret made : result.secrets()) {
                out.println("  new app " + made.clientName() + ": client_id " + made.clientId() + " client_secret " + made.secret());
            }
            if (!result.secrets().isEmpty()) out.println(AppsCommand.SECRET_WARNING);
        }
    }

    /** One line on standard error; the stack trace only where the log level asks for details. */
    private int refused(RuntimeException e, String message, int exitCode) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("gatepass serve: " + message);
        if ("DEBUG".equalsIgnoreCase(System.getenv("GATEPASS_LOG_LEVEL")) || "TRACE".equalsIgnoreCase(System.getenv("GATEPASS_LOG_LEVEL"))) {
            e.printStackTrace(err);
        }
        err.flush();
        return exitCode;
    }

    private static void printBootstrap(PrintWriter out, AdminBootstrap.Result result) {
        out.println();
        out.println("First start: created the management API urn:gatepass:admin and its admin app.");
        out.println("  client_id:     " + result.clientId());
        if (result.generatedSecret().isPresent()) {
            out.println("  client_secret: " + result.generatedSecret().get());
            out.println("Save the secret now: it is stored only as a digest and is not shown again.");
        } else {
            out.println("  client_secret: the value of GATEPASS_BOOTSTRAP_ADMIN_SECRET");
        }
        out.println();
    }
}
