package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatepass apis …}: the APIs tokens are issued for, through {@code /admin/apis}. */
@Command(name = "apis", mixinStandardHelpOptions = true,
        description = "Register and manage APIs: an identifier (the token audience) and the scopes it understands.")
final class ApisCommand {
    static final String[] COLUMNS = {"id", "identifier", "name", "scopes", "token_lifetime", "signing_alg", "token_profile"};
    private static final String PROFILE = "Header typ of its tokens: rfc9068 (at+jwt, the default) or jwt (JWT, for "
            + "verifiers such as Spring Security's default that accept nothing else)";
    private static final String ACTORS = "An app that may exchange this API's tokens for tokens of other APIs on behalf of "
            + "their subjects (RFC 8693); repeat for more";

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Register an API.")
    int create(@Mixin Remote remote,
               @Option(names = "--identifier", required = true,
                       description = "Identifier and token audience, e.g. https://archive.example.com") String identifier,
               @Option(names = "--name", description = "Display name. Default: the identifier") String name,
               @Option(names = "--scope", paramLabel = "VALUE[=DESCRIPTION]",
                       description = "A scope of the API; repeat for more") List<String> scopes,
               @Option(names = "--token-lifetime", paramLabel = "SECONDS",
                       description = "Lifetime of its tokens. Default: 3600") Integer lifetime,
               @Option(names = "--signing-alg", description = "Algorithm its tokens are signed with") String alg,
               @Option(names = "--token-profile", description = PROFILE) String profile,
               @Option(names = "--token-exchange-actor", paramLabel = "CLIENT_ID", description = ACTORS) List<String> actors) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (actors != null) body.put("token_exchange_actors", actors);
        body.put("identifier", identifier);
        body.put("name", name == null ? identifier : name);
        body.put("scopes", scopes(scopes));
        if (lifetime != null) body.put("token_lifetime", lifetime);
        if (alg != null) body.put("signing_alg", alg);
        if (profile != null) body.put("token_profile", profile);
        JsonNode api = remote.client().admin("POST", "/admin/apis", body);
        Output out = remote.out();
        out.print(api, () -> out.fields(api));
        return ExitCode.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List APIs.")
    int list(@Mixin Remote remote, @Mixin Page page) {
        JsonNode apis = remote.client().admin("GET", "/admin/apis" + page.query(), null);
        Output out = remote.out();
        out.print(apis, () -> out.table(apis, COLUMNS));
        return ExitCode.OK;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one API.")
    int show(@Mixin Remote remote, @Parameters(paramLabel = "API", description = "The API's id or identifier") String ref) {
        GatepassClient client = remote.client();
        JsonNode api = client.admin("GET", "/admin/apis/" + GatepassClient.segment(apiId(client, ref)), null);
        Output out = remote.out();
        out.print(api, () -> out.fields(api));
        return ExitCode.OK;
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change an API. Scopes given replace all its scopes; a scope removed is removed from every grant.")
    int update(@Mixin Remote remote,
               @Parameters(paramLabel = "API", description = "The API's id or identifier") String ref,
               @Option(names = "--name", description = "New display name") String name,
               @Option(names = "--scope", paramLabel = "VALUE[=DESCRIPTION]",
                       description = "The API's scopes from now on; repeat for more") List<String> scopes,
               @Option(names = "--token-lifetime", paramLabel = "SECONDS", description = "New token lifetime") Integer lifetime,
               @Option(names = "--signing-alg", description = "New signing algorithm") String alg,
               @Option(names = "--token-profile", description = PROFILE) String profile,
               @Option(names = "--token-exchange-actor", paramLabel = "CLIENT_ID",
                       description = ACTORS + "; replaces the list, --token-exchange-actor= empties it") List<String> actors) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (actors != null) body.put("token_exchange_actors", actors.stream().filter(a -> !a.isEmpty()).toList());
        if (name != null) body.put("name", name);
        if (scopes != null) body.put("scopes", scopes(scopes));
        if (lifetime != null) body.put("token_lifetime", lifetime);
        if (alg != null) body.put("signing_alg", alg);
        if (profile != null) body.put("token_profile", profile);
        if (body.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "nothing to change: give --name, --scope, --token-lifetime, --signing-alg "
                    + "--token-profile or --token-exchange-actor");
        }
        GatepassClient client = remote.client();
        JsonNode api = client.admin("PATCH", "/admin/apis/" + GatepassClient.segment(apiId(client, ref)), body);
        Output out = remote.out();
        out.print(api, () -> out.fields(api));
        return ExitCode.OK;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove an API and every grant on it.")
    int delete(@Mixin Remote remote, @Parameters(paramLabel = "API", description = "The API's id or identifier") String ref) {
        GatepassClient client = remote.client();
        String id = apiId(client, ref);
        client.admin("DELETE", "/admin/apis/" + GatepassClient.segment(id), null);
        remote.out().message("Deleted API " + id);
        return ExitCode.OK;
    }

    /** {@code VALUE[=DESCRIPTION]} options as the management API's scope objects. */
    private static List<Object> scopes(List<String> options) {
        List<Object> scopes = new ArrayList<>();
        if (options == null) return scopes;
        for (String option : options) {
            int eq = option.indexOf('=');
            if (eq < 0) {
                scopes.add(option);
            } else {
                scopes.add(Map.of("value", option.substring(0, eq), "description", option.substring(eq + 1)));
            }
        }
        return scopes;
    }

    /** An API's id from its id ({@code api_…}) or its identifier. */
    static String apiId(GatepassClient client, String ref) {
        if (ref.startsWith("api_")) return ref;
        JsonNode found = client.admin("GET", "/admin/apis?identifier=" + GatepassClient.segment(ref), null);
        if (found == null || found.isEmpty()) throw new CliException(ExitCode.NOT_FOUND, "no API with identifier " + ref);
        return found.get(0).get("id").asText();
    }
}
