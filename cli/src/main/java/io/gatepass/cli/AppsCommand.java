package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatepass apps …}: M2M apps (OAuth clients), through {@code /admin/clients}. */
@Command(name = "apps", mixinStandardHelpOptions = true, subcommands = {SecretsCommand.class, FederatedCredentialsCommand.class},
        description = "Register and manage M2M apps: create, block or unblock, revoke their tokens, remove.")
final class AppsCommand {
    private static final String[] COLUMNS =
            {"client_id", "client_name", "status", "token_endpoint_auth_method", "last_used_at"};
    private static final String DEFAULT_AUDIENCE = "The API identifier its token requests are for when they name none "
            + "(clients such as Spring's never send an audience)";
    static final String SECRET_WARNING =
            "Save the client_secret now: Gatepass keeps only its digest and cannot show it again.";

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Register an app and print its secret once (none for private_key_jwt apps).")
    int create(@Mixin Remote remote,
               @Option(names = "--name", required = true, description = "Display name") String name,
               @Option(names = "--auth-method", description = "client_secret_basic (default), client_secret_post, "
                       + "private_key_jwt (implied by --jwks-file or --jwks-uri), federated_jwt (its platform's token; add "
                       + "its credentials with apps credentials add), tls_client_auth (implied by --tls-subject-dn or "
                       + "--tls-san-*) or self_signed_tls_client_auth (its certificate's key in --jwks-file)") String method,
               @Option(names = "--token-lifetime", paramLabel = "SECONDS",
                       description = "Cap on the lifetime of its tokens") Integer lifetime,
               @Option(names = "--default-audience", paramLabel = "IDENTIFIER", description = DEFAULT_AUDIENCE)
               String defaultAudience,
               @Mixin AppKeys keys, @Mixin AppLimits limits, @Mixin TokenClaims claims,
               @Mixin SenderConstraints constraints) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_name", name);
        addDefaultAudience(body, defaultAudience);
        if (method != null) body.put("token_endpoint_auth_method", method);
        else if (constraints.identityGiven()) body.put("token_endpoint_auth_method", "tls_client_auth");
        else if (keys.given()) body.put("token_endpoint_auth_method", "private_key_jwt");
        if (lifetime != null) body.put("token_lifetime", lifetime);
        keys.addTo(body);
        limits.addTo(body);
        claims.addTo(body);
        constraints.addTo(body);
        JsonNode app = remote.client().admin("POST", "/admin/clients", body);
        Output out = remote.out();
        out.print(app, () -> out.fields(app));
        if (app.has("client_secret")) out.warn(SECRET_WARNING);
        return ExitCode.OK;
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change an app: name, token lifetime cap, authentication method, public keys, token budget "
                    + "or token reuse.")
    int update(@Mixin Remote remote, @Parameters(paramLabel = "CLIENT_ID") String clientId,
               @Option(names = "--name", description = "New display name") String name,
               @Option(names = "--auth-method", description = "New authentication method") String method,
               @Option(names = "--token-lifetime", paramLabel = "SECONDS", description = "New cap on token lifetime")
               Integer lifetime,
               @Option(names = "--default-audience", paramLabel = "IDENTIFIER",
                       description = DEFAULT_AUDIENCE + "; an empty value removes it") String defaultAudience,
               @Mixin AppKeys keys, @Mixin AppLimits limits, @Mixin TokenClaims claims,
               @Mixin SenderConstraints constraints) {
        Map<String, Object> body = new LinkedHashMap<>();
        addDefaultAudience(body, defaultAudience);
        if (name != null) body.put("client_name", name);
        if (method != null) body.put("token_endpoint_auth_method", method);
        if (lifetime != null) body.put("token_lifetime", lifetime);
        keys.addTo(body);
        limits.addTo(body);
        claims.addTo(body);
        constraints.addTo(body);
        if (body.isEmpty()) throw new CliException(ExitCode.USAGE, "nothing to change: give --name, --auth-method, "
                + "--token-lifetime, --default-audience, --jwks-file, --jwks-uri, --token-rate-limit, --[no-]reuse-tokens, "
                + "--claims, --[no-]dpop-bound, --[no-]cert-bound or --tls-subject-dn / --tls-san-*");
        JsonNode app = remote.client().admin("PATCH", path(clientId), body);
        Output out = remote.out();
        out.print(app, () -> out.fields(app));
        return ExitCode.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List apps.")
    int list(@Mixin Remote remote, @Mixin Page page) {
        JsonNode apps = remote.client().admin("GET", "/admin/clients" + page.query(), null);
        Output out = remote.out();
        out.print(apps, () -> out.table(apps, COLUMNS));
        return ExitCode.OK;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one app.")
    int show(@Mixin Remote remote, @Parameters(paramLabel = "CLIENT_ID") String clientId) {
        JsonNode app = remote.client().admin("GET", path(clientId), null);
        Output out = remote.out();
        out.print(app, () -> out.fields(app));
        return ExitCode.OK;
    }

    @Command(name = "block", mixinStandardHelpOptions = true,
            description = "Block an app: it gets no more tokens and every token it holds stops working at once.")
    int block(@Mixin Remote remote, @Parameters(paramLabel = "CLIENT_ID") String clientId) {
        return setStatus(remote, clientId, "blocked");
    }

    @Command(name = "unblock", mixinStandardHelpOptions = true,
            description = "Unblock an app. Tokens voided by the block stay void; it can get new ones.")
    int unblock(@Mixin Remote remote, @Parameters(paramLabel = "CLIENT_ID") String clientId) {
        return setStatus(remote, clientId, "active");
    }

    private static int setStatus(Remote remote, String clientId, String status) {
        JsonNode app = remote.client().admin("PATCH", path(clientId), Map.of("status", status));
        Output out = remote.out();
        out.print(app, () -> out.message("App " + clientId + " is " + app.path("status").asText()));
        return ExitCode.OK;
    }

    @Command(name = "revoke-tokens", mixinStandardHelpOptions = true,
            description = "Void every token issued to the app until now; the app can get new ones.")
    int revokeTokens(@Mixin Remote remote, @Parameters(paramLabel = "CLIENT_ID") String clientId) {
        remote.client().admin("POST", path(clientId) + "/revoke-tokens", null);
        remote.out().message("Voided every token issued to " + clientId + " until now");
        return ExitCode.OK;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Remove an app with its secrets and grants; its tokens stop working at once.")
    int delete(@Mixin Remote remote, @Parameters(paramLabel = "CLIENT_ID") String clientId) {
        remote.client().admin("DELETE", path(clientId), null);
        remote.out().message("Deleted app " + clientId);
        return ExitCode.OK;
    }

    private static void addDefaultAudience(Map<String, Object> body, String defaultAudience) {
        if (defaultAudience != null) body.put("default_audience", defaultAudience.isEmpty() ? null : defaultAudience);
    }

    static String path(String clientId) {
        return "/admin/clients/" + GatepassClient.segment(clientId);
    }
}
