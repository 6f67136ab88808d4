package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Configuration as code against a running server, through the management API only (so every change is checked,
 * audited and announced like any other): the server's configuration as a file ({@link #export}), and the changes
 * that make the server match a file ({@link #plan}), made or only listed. Apps are known by {@code client_id} when
 * the file gives one, else by {@code client_name}; APIs by {@code identifier}; trusted issuers by {@code issuer}.
 * The management API and the app running the command are never exported, changed or pruned.
 */
final class ConfigSync {
    static final String ADMIN_API = "urn:gatepass:admin";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int PAGE = 1000;
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue());
        return a.equals(b) ? 0 : 1;
    };

    private final GatepassClient client;
    private final String self;

    /** @param self the client_id running the command, never touched */
    ConfigSync(GatepassClient client, String self) {
        this.client = client;
        this.self = self;
    }

    /** What the server holds now, read once. */
    private record State(List<JsonNode> apis, List<JsonNode> apps, List<JsonNode> issuers, String issuer) {
        JsonNode api(String identifier) {
            return apis.stream().filter(a -> a.path("identifier").asText().equals(identifier)).findFirst().orElse(null);
        }

        JsonNode issuerByUrl(String url) {
            return issuers.stream().filter(i -> i.path("issuer").asText().equals(url)).findFirst().orElse(null);
        }

        String issuerUrl(String id) {
            return issuers.stream().filter(i -> i.path("id").asText().equals(id)).map(i -> i.path("issuer").asText())
                    .findFirst().orElse(id);
        }
    }

    private State state() {
        String issuer = client.get("/.well-known/oauth-authorization-server").path("issuer").asText();
        return new State(all("/admin/apis"), all("/admin/clients"), all("/admin/trusted-issuers"), issuer);
    }

    private List<JsonNode> all(String path) {
        List<JsonNode> items = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            JsonNode page = client.admin("GET", path + "?limit=" + PAGE + "&offset=" + offset, null);
            page.forEach(items::add);
            if (page.size() < PAGE) return items;
        }
    }

    // ---------------------------------------------------------------- export

    /** The server's configuration as the file has it, in a stable order. */
    ObjectNode export() {
        State state = state();
        ObjectNode root = NODES.objectNode();
        root.put("gatepass", ConfigFile.VERSION);
        ArrayNode apis = root.putArray("apis");
        state.apis().stream().filter(api -> !api.path("identifier").asText().equals(ADMIN_API))
                .sorted(Comparator.comparing(api -> api.path("identifier").asText()))
                .forEach(api -> apis.add(exportApi(api)));
        ArrayNode apps = root.putArray("apps");
        Map<String, Long> names = new HashMap<>();
        state.apps().forEach(app -> names.merge(app.path("client_name").asText(), 1L, Long::sum));
        state.apps().stream().filter(app -> !app.path("client_id").asText().equals(self))
                .sorted(Comparator.comparing((JsonNode app) -> app.path("client_name").asText())
                        .thenComparing(app -> app.path("client_id").asText()))
                .forEach(app -> apps.add(exportApp(app, names.get(app.path("client_name").asText()) > 1, state)));
        ArrayNode issuers = root.putArray("trusted_issuers");
        state.issuers().stream().sorted(Comparator.comparing(i -> i.path("issuer").asText()))
                .forEach(issuer -> issuers.add(exportIssuer(issuer, state)));
        return root;
    }

    private static ObjectNode exportApi(JsonNode api) {
        ObjectNode out = NODES.objectNode();
        out.put("identifier", api.path("identifier").asText());
        out.put("name", api.path("name").asText());
        out.set("scopes", scopes(api.path("scopes")));
        out.put("token_lifetime", api.path("token_lifetime").asInt());
        out.put("signing_alg", api.path("signing_alg").asText());
        out.put("token_profile", api.path("token_profile").asText());
        if (!api.path("token_exchange_actors").isEmpty()) out.set("token_exchange_actors", api.get("token_exchange_actors"));
        return out;
    }

    /** Scopes as the file writes them: a string, or value and description when it has one. */
    private static ArrayNode scopes(JsonNode scopes) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode scope : scopes) {
            String value = scope.isTextual() ? scope.asText() : scope.path("value").asText();
            String description = scope.isTextual() ? null : scope.path("description").asText(null);
            if (description == null || description.isEmpty()) {
                out.add(value);
            } else {
                out.addObject().put("value", value).put("description", description);
            }
        }
        return out;
    }

    /** The fields of an app that differ from a new app's, so that a file says what was chosen. */
    private ObjectNode exportApp(JsonNode app, boolean ambiguousName, State state) {
        ObjectNode out = NODES.objectNode();
        out.put("client_name", app.path("client_name").asText());
        if (ambiguousName) out.put("client_id", app.path("client_id").asText());
        out.put("token_endpoint_auth_method", app.path("token_endpoint_auth_method").asText());
        if (!app.path("status").asText().equals("active")) out.put("status", app.path("status").asText());
        for (String field : List.of("token_lifetime", "token_rate_limit", "default_audience", "jwks", "jwks_uri", "claims",
                "tls_client_auth_subject_dn", "tls_client_auth_san_dns", "tls_client_auth_san_uri", "tls_client_auth_san_ip",
                "tls_client_auth_san_email")) {
            if (app.hasNonNull(field)) out.set(field, app.get(field));
        }
        for (String flag : List.of("reuse_tokens", "allow_private_network", "dpop_bound_access_tokens",
                "tls_client_certificate_bound_access_tokens")) {
            if (app.path(flag).asBoolean()) out.put(flag, true);
        }
        String clientId = app.path("client_id").asText();
        ArrayNode grants = NODES.arrayNode();
        grants(clientId).values().forEach(grant -> {
            ObjectNode g = grants.addObject();
            g.put("api", grant.path("api_identifier").asText());
            g.set("scopes", grant.get("scopes"));
            if (grant.hasNonNull("claims")) g.set("claims", grant.get("claims"));
        });
        if (!grants.isEmpty()) out.set("grants", grants);
        ArrayNode credentials = NODES.arrayNode();
        credentials(clientId).stream()
                .map(c -> credential(state.issuerUrl(c.path("issuer_id").asText()), c))
                .sorted(Comparator.comparing(JsonNode::toString)).forEach(credentials::add);
        if (!credentials.isEmpty()) out.set("federated_credentials", credentials);
        return out;
    }

    private static ObjectNode credential(String issuer, JsonNode credential) {
        ObjectNode c = NODES.objectNode();
        c.put("issuer", issuer);
        if (credential.hasNonNull("subject")) c.put("subject", credential.get("subject").asText());
        if (credential.hasNonNull("claims") && !credential.get("claims").isEmpty()) c.set("claims", credential.get("claims"));
        return c;
    }

    private static ObjectNode exportIssuer(JsonNode issuer, State state) {
        ObjectNode out = NODES.objectNode();
        out.put("issuer", issuer.path("issuer").asText());
        out.put("name", issuer.path("name").asText());
        out.put("preset", issuer.path("preset").asText());
        if (issuer.hasNonNull("jwks")) out.set("jwks", issuer.get("jwks"));
        if (issuer.hasNonNull("jwks_uri")) out.put("jwks_uri", issuer.get("jwks_uri").asText());
        ArrayNode defaults = NODES.arrayNode().add(state.issuer()).add(state.issuer() + "/oauth/token");
        if (!issuer.path("audiences").equals(defaults)) out.set("audiences", issuer.get("audiences"));
        out.put("max_assertion_lifetime", issuer.path("max_assertion_lifetime").asInt());
        out.put("allow_reuse", issuer.path("allow_reuse").asBoolean());
        if (issuer.path("allow_private_network").asBoolean()) out.put("allow_private_network", true);
        if (!issuer.path("status").asText().equals("active")) out.put("status", issuer.path("status").asText());
        return out;
    }

    /** An app's grants by API identifier, sorted. */
    private Map<String, JsonNode> grants(String clientId) {
        Map<String, JsonNode> grants = new TreeMap<>();
        client.admin("GET", AppsCommand.path(clientId) + "/grants", null)
                .forEach(grant -> grants.put(grant.path("api_identifier").asText(), grant));
        return grants;
    }

    private List<JsonNode> credentials(String clientId) {
        List<JsonNode> list = new ArrayList<>();
        client.admin("GET", AppsCommand.path(clientId) + "/federated-credentials", null).forEach(list::add);
        return list;
    }

    // ---------------------------------------------------------------- plan and apply

    /** One change of a plan, as {@code terraform plan} would print it. */
    record Change(char action, String what, List<String> details) {
        String line() {
            return action + " " + what + (details.isEmpty() ? "" : ": " + String.join("; ", details));
        }
    }

    /** A secret made for an app the apply created: shown this once. */
    record NewSecret(String clientName, String clientId, String secret) {
    }

    /** The changes, made when {@code execute}, and the secrets of the apps made. */
    record Result(List<Change> changes, List<NewSecret> secrets) {
        long count(char action) {
            return changes.stream().filter(c -> c.action() == action).count();
        }
    }

    /**
     * The changes that make the server match {@code file}; made in dependency order when {@code execute}.
     *
     * @param prune also remove what the file does not name
     * @param secretsWanted whether secrets of created apps have somewhere to go (else an apply that would create
     *                      secret apps is refused before anything is changed)
     */
    Result sync(ObjectNode file, boolean prune, boolean execute, boolean secretsWanted) {
        State state = state();
        List<Change> changes = new ArrayList<>();
        List<NewSecret> secrets = new ArrayList<>();
        // a pre-flight that refuses what cannot be done, before anything is changed
        List<Matched> apps = matchApps(file, state);
        if (execute && !secretsWanted) {
            long secretApps = apps.stream().filter(m -> m.current() == null && usesSecret(m.desired())).count();
            if (secretApps > 0) {
                throw new CliException(ExitCode.USAGE, "this file creates " + secretApps + " app(s) with a client secret: "
                        + "give --secrets-out FILE (JSON, or .env) to receive their secrets once, or --show-secrets");
            }
        }
        for (JsonNode issuer : each(file, "trusted_issuers")) syncIssuer(issuer, state, changes, execute);
        for (JsonNode api : each(file, "apis")) syncApi(api, state, changes, execute);
        State afterApis = execute ? state() : state; // with the issuers and APIs just made
        for (Matched app : apps) syncApp(app, afterApis, changes, secrets, prune, execute);
        if (prune) prune(file, apps, state, changes, execute);
        return new Result(changes, secrets);
    }

    private static Iterable<JsonNode> each(JsonNode file, String section) {
        JsonNode list = file.get(section);
        return list == null || list.isNull() ? List.of() : list;
    }

    private record Matched(JsonNode desired, JsonNode current) {
        String label() {
            return "app " + desired.path("client_name").asText()
                    + (current != null ? " (" + current.path("client_id").asText() + ")" : "");
        }
    }

    private List<Matched> matchApps(JsonNode file, State state) {
        List<Matched> matched = new ArrayList<>();
        for (JsonNode app : each(file, "apps")) {
            JsonNode current;
            if (app.hasNonNull("client_id")) {
                String id = app.get("client_id").asText();
                current = state.apps().stream().filter(a -> a.path("client_id").asText().equals(id)).findFirst()
                        .orElseThrow(() -> new CliException(ExitCode.INVALID, "app client_id " + id + " is not on the server; "
                                + "leave client_id out to create the app (it is then known by its client_name)"));
            } else {
                String name = app.path("client_name").asText();
                List<JsonNode> named = state.apps().stream().filter(a -> a.path("client_name").asText().equals(name)
                        && !a.path("client_id").asText().equals(self)).toList();
                if (named.size() > 1) {
                    throw new CliException(ExitCode.INVALID, named.size() + " apps are named " + name + " on the server: "
                            + "give the file's app its client_id");
                }
                current = named.isEmpty() ? null : named.get(0);
            }
            if (current != null && current.path("client_id").asText().equals(self)) {
                throw new CliException(ExitCode.INVALID, "the file names the app running this command ("
                        + self + "); it is never changed by an apply");
            }
            matched.add(new Matched(app, current));
        }
        return matched;
    }

    private static boolean usesSecret(JsonNode app) {
        String method = app.path("token_endpoint_auth_method").asText("client_secret_basic");
        return method.equals("client_secret_basic") || method.equals("client_secret_post");
    }

    /** The fields of {@code desired} (but the key and the nested lists) whose value differs from {@code current}'s. */
    private static Map<String, JsonNode> differences(JsonNode desired, JsonNode current, Set<String> skip) {
        Map<String, JsonNode> changed = new LinkedHashMap<>();
        desired.fields().forEachRemaining(entry -> {
            if (skip.contains(entry.getKey())) return;
            JsonNode now = current.get(entry.getKey());
            JsonNode want = entry.getValue();
            boolean same = now == null ? want.isNull() : entry.getKey().equals("scopes") && want.isArray()
                    ? scopes(want).equals(scopes(now)) : want.equals(NUMBERS_BY_VALUE, now);
            if (!same) changed.put(entry.getKey(), want);
        });
        return changed;
    }

    private static List<String> described(Map<String, JsonNode> changed, JsonNode current) {
        List<String> details = new ArrayList<>();
        changed.forEach((field, value) -> details.add(field + " " + shown(current == null ? null : current.get(field), field)
                + " → " + shown(value, field)));
        return details;
    }

    private static String shown(JsonNode value, String field) {
        if (value == null || value.isNull()) return "(none)";
        if (field.equals("scopes")) value = scopes(value);
        String text = value.isTextual() ? value.asText() : value.toString();
        return text.length() > 80 ? text.substring(0, 77) + "…" : text;
    }

    private void syncApi(JsonNode api, State state, List<Change> changes, boolean execute) {
        String identifier = api.path("identifier").asText();
        JsonNode current = state.api(identifier);
        ObjectNode body = bodyFor(api, Set.of());
        if (body.has("scopes")) body.set("scopes", scopes(body.get("scopes")));
        if (current == null) {
            if (!body.has("name")) body.put("name", identifier);
            changes.add(new Change('+', "api " + identifier, List.of()));
            if (execute) client.admin("POST", "/admin/apis", body);
            return;
        }
        Map<String, JsonNode> changed = differences(body, current, Set.of("identifier"));
        if (changed.isEmpty()) return;
        changes.add(new Change('~', "api " + identifier, described(changed, current)));
        if (execute) client.admin("PATCH", "/admin/apis/" + current.path("id").asText(), object(changed));
    }

    private void syncIssuer(JsonNode issuer, State state, List<Change> changes, boolean execute) {
        String url = issuer.path("issuer").asText();
        JsonNode current = state.issuerByUrl(url);
        ObjectNode body = bodyFor(issuer, Set.of());
        if (current == null) {
            String status = body.has("status") ? body.remove("status").asText() : "active";
            changes.add(new Change('+', "trusted issuer " + url, List.of()));
            if (execute) {
                JsonNode made = client.admin("POST", "/admin/trusted-issuers", body);
                if (!status.equals("active")) {
                    client.admin("PATCH", "/admin/trusted-issuers/" + made.path("id").asText(), Map.of("status", status));
                }
            }
            return;
        }
        Map<String, JsonNode> changed = differences(body, current, Set.of("issuer"));
        if (changed.containsKey("preset")) {
            throw new CliException(ExitCode.INVALID, "trusted issuer " + url + ": its preset cannot change ("
                    + current.path("preset").asText() + " → " + changed.get("preset").asText() + "); delete it and apply again");
        }
        if (changed.isEmpty()) return;
        changes.add(new Change('~', "trusted issuer " + url, described(changed, current)));
        if (execute) client.admin("PATCH", "/admin/trusted-issuers/" + current.path("id").asText(), object(changed));
    }

    private void syncApp(Matched app, State state, List<Change> changes, List<NewSecret> secrets, boolean prune,
                         boolean execute) {
        JsonNode desired = app.desired();
        ObjectNode body = bodyFor(desired, Set.of("client_id", "grants", "federated_credentials"));
        String clientId;
        if (app.current() == null) {
            String status = body.has("status") ? body.remove("status").asText() : "active";
            changes.add(new Change('+', app.label(), List.of()));
            if (!execute) {
                clientId = null;
            } else {
                JsonNode made = client.admin("POST", "/admin/clients", body);
                clientId = made.path("client_id").asText();
                if (made.hasNonNull("client_secret")) {
                    secrets.add(new NewSecret(desired.path("client_name").asText(), clientId, made.get("client_secret").asText()));
                }
                if (!status.equals("active")) client.admin("PATCH", AppsCommand.path(clientId), Map.of("status", status));
            }
        } else {
            clientId = app.current().path("client_id").asText();
            Map<String, JsonNode> changed = differences(body, app.current(), Set.of("client_name"));
            if (!changed.isEmpty()) {
                changes.add(new Change('~', app.label(), described(changed, app.current())));
                if (execute) client.admin("PATCH", AppsCommand.path(clientId), object(changed));
            }
        }
        syncGrants(app, clientId, state, changes, prune, execute);
        syncCredentials(app, clientId, state, changes, prune, execute);
    }

    private void syncGrants(Matched app, String clientId, State state, List<Change> changes, boolean prune, boolean execute) {
        JsonNode wanted = app.desired().get("grants");
        if (wanted == null || wanted.isNull()) return;
        Map<String, JsonNode> current = clientId == null ? Map.of() : grants(clientId);
        String who = app.desired().path("client_name").asText();
        for (JsonNode grant : wanted) {
            String api = grant.path("api").asText();
            JsonNode now = current.get(api);
            JsonNode scopes = grant.has("scopes") ? grant.get("scopes") : NODES.arrayNode();
            boolean sameScopes = now != null && sortedTexts(now.path("scopes")).equals(sortedTexts(scopes));
            boolean sameClaims = !grant.has("claims") || now != null && Objects.equals(nullIfEmpty(now.get("claims")),
                    nullIfEmpty(grant.get("claims")));
            if (now != null && sameScopes && sameClaims) continue;
            changes.add(new Change(now == null ? '+' : '~', "grant " + who + " → " + api, now == null
                    ? List.of("scopes " + sortedTexts(scopes)) : List.of("scopes " + sortedTexts(now.path("scopes")) + " → "
                    + sortedTexts(scopes) + (sameClaims ? "" : "; claims"))));
            if (execute) {
                JsonNode target = state.api(api);
                if (target == null) throw new CliException(ExitCode.INVALID, "API " + api + " is not on the server");
                ObjectNode body = NODES.objectNode();
                body.set("scopes", scopes);
                if (grant.has("claims")) body.set("claims", grant.get("claims"));
                client.admin("PUT", AppsCommand.path(clientId) + "/grants/" + target.path("id").asText(), body);
            }
        }
        if (!prune || clientId == null) return;
        Set<String> named = new java.util.HashSet<>();
        wanted.forEach(g -> named.add(g.path("api").asText()));
        current.forEach((api, grant) -> {
            if (named.contains(api)) return;
            changes.add(new Change('-', "grant " + who + " → " + api, List.of()));
            if (execute) client.admin("DELETE", AppsCommand.path(clientId) + "/grants/" + grant.path("api_id").asText(), null);
        });
    }

    private void syncCredentials(Matched app, String clientId, State state, List<Change> changes, boolean prune,
                                 boolean execute) {
        JsonNode wanted = app.desired().get("federated_credentials");
        if (wanted == null || wanted.isNull()) return;
        List<JsonNode> current = clientId == null ? List.of() : credentials(clientId);
        Map<String, JsonNode> byForm = new HashMap<>();
        for (JsonNode c : current) byForm.put(credential(state.issuerUrl(c.path("issuer_id").asText()), c).toString(), c);
        String who = app.desired().path("client_name").asText();
        Set<String> named = new java.util.HashSet<>();
        for (JsonNode credential : wanted) {
            ObjectNode form = credential(credential.path("issuer").asText(), credential);
            named.add(form.toString());
            if (byForm.containsKey(form.toString())) continue;
            changes.add(new Change('+', "federated credential " + who + " ← " + form.path("issuer").asText(),
                    form.has("subject") ? List.of("subject " + form.get("subject").asText()) : List.of()));
            if (execute) {
                JsonNode issuer = state.issuerByUrl(form.path("issuer").asText()); // read after the issuers were made
                if (issuer == null) throw new CliException(ExitCode.INVALID, "trusted issuer " + form.path("issuer").asText()
                        + " is not on the server");
                ObjectNode body = NODES.objectNode().put("issuer_id", issuer.path("id").asText());
                if (form.has("subject")) body.put("subject", form.get("subject").asText());
                if (form.has("claims")) body.set("claims", form.get("claims"));
                client.admin("POST", AppsCommand.path(clientId) + "/federated-credentials", body);
            }
        }
        if (!prune || clientId == null) return;
        byForm.forEach((form, c) -> {
            if (named.contains(form)) return;
            changes.add(new Change('-', "federated credential " + who + " ← " + state.issuerUrl(c.path("issuer_id").asText()),
                    List.of()));
            if (execute) {
                client.admin("DELETE", AppsCommand.path(clientId) + "/federated-credentials/" + c.path("id").asText(), null);
            }
        });
    }

    private void prune(JsonNode file, List<Matched> apps, State state, List<Change> changes, boolean execute) {
        Set<String> keptApps = new java.util.HashSet<>();
        apps.stream().filter(m -> m.current() != null).forEach(m -> keptApps.add(m.current().path("client_id").asText()));
        for (JsonNode app : state.apps()) {
            String id = app.path("client_id").asText();
            if (id.equals(self) || keptApps.contains(id)) continue;
            changes.add(new Change('-', "app " + app.path("client_name").asText() + " (" + id + ")", List.of()));
            if (execute) client.admin("DELETE", AppsCommand.path(id), null);
        }
        Set<String> keptApis = new java.util.HashSet<>(List.of(ADMIN_API));
        each(file, "apis").forEach(api -> keptApis.add(api.path("identifier").asText()));
        for (JsonNode api : state.apis()) {
            if (keptApis.contains(api.path("identifier").asText())) continue;
            changes.add(new Change('-', "api " + api.path("identifier").asText(), List.of()));
            if (execute) client.admin("DELETE", "/admin/apis/" + api.path("id").asText(), null);
        }
        Set<String> keptIssuers = new java.util.HashSet<>();
        each(file, "trusted_issuers").forEach(i -> keptIssuers.add(i.path("issuer").asText()));
        for (JsonNode issuer : state.issuers()) {
            if (keptIssuers.contains(issuer.path("issuer").asText())) continue;
            changes.add(new Change('-', "trusted issuer " + issuer.path("issuer").asText(), List.of()));
            if (execute) client.admin("DELETE", "/admin/trusted-issuers/" + issuer.path("id").asText(), null);
        }
    }

    private static ObjectNode bodyFor(JsonNode desired, Set<String> skip) {
        ObjectNode body = NODES.objectNode();
        desired.fields().forEachRemaining(entry -> {
            if (!skip.contains(entry.getKey())) body.set(entry.getKey(), entry.getValue());
        });
        return body;
    }

    private static ObjectNode object(Map<String, JsonNode> fields) {
        ObjectNode body = NODES.objectNode();
        fields.forEach(body::set);
        if (body.has("scopes")) body.set("scopes", scopes(body.get("scopes")));
        return body;
    }

    private static List<String> sortedTexts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        texts.sort(null);
        return texts;
    }

    private static JsonNode nullIfEmpty(JsonNode node) {
        return node == null || node.isNull() || node.isEmpty() ? null : node;
    }
}
