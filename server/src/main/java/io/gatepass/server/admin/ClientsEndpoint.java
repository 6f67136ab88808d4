package io.gatepass.server.admin;

import io.gatepass.server.credentials.ClientKeys;
import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.ClientStatus;
import io.gatepass.server.domain.TlsClientIdentity;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.AdminViews;
import io.gatepass.server.manage.AppKeys;
import io.gatepass.server.manage.AppService;
import io.gatepass.server.manage.Patch;
import io.gatepass.server.web.Problem;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /admin/clients}: register, list, read, change (block, unblock) and remove M2M apps. */
public record ClientsEndpoint(AdminHttp http, AppService apps) {
    private static final Set<String> CREATE_FIELDS = Set.of("client_name", "token_endpoint_auth_method", "token_lifetime",
            "jwks", "jwks_uri", "token_rate_limit", "reuse_tokens", "default_audience", "allow_private_network", "claims",
            "dpop_bound_access_tokens", "tls_client_certificate_bound_access_tokens", "tls_client_auth_subject_dn",
            "tls_client_auth_san_dns", "tls_client_auth_san_uri", "tls_client_auth_san_ip", "tls_client_auth_san_email");
    private static final Set<String> UPDATE_FIELDS = Set.of("client_name", "token_endpoint_auth_method", "token_lifetime",
            "status", "jwks", "jwks_uri", "token_rate_limit", "reuse_tokens", "default_audience",
            "allow_private_network", "claims", "dpop_bound_access_tokens", "tls_client_certificate_bound_access_tokens",
            "tls_client_auth_subject_dn", "tls_client_auth_san_dns", "tls_client_auth_san_uri", "tls_client_auth_san_ip",
            "tls_client_auth_san_email");

    public void create(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        JsonBody body = JsonBody.read(req, http.json(), CREATE_FIELDS);
        AppService.Registered registered = apps.register(caller, new AppService.NewApp(
                body.requiredString("client_name", 255), authMethod(body).orElse(null),
                body.optionalInt("token_lifetime").orElse(null), keys(body),
                body.optionalInt("token_rate_limit").orElse(null), body.optionalBoolean("reuse_tokens").orElse(false),
                defaultAudience(body).orElse(null), body.optionalBoolean("allow_private_network").orElse(false), null,
                claims(body).orElse(null), new Client.SenderConstraints(body.optionalBoolean("dpop_bound_access_tokens").orElse(false),
                        body.optionalBoolean("tls_client_certificate_bound_access_tokens").orElse(false),
                        tlsIdentity(body).orElse(null))));
        Client client = registered.client();
        Map<String, Object> view = AdminViews.client(client);
        if (registered.secret() != null) {
            view.put("client_secret", registered.secret().value()); // RFC 7591 §3.2.1; shown this once, never again
            view.put("client_secret_id", registered.secret().stored().id());
            view.put("client_secret_expires_at", 0);
        }
        res.header("Location", "/admin/clients/" + client.clientId());
        http.responses().sendNoStore(res, 201, view);
    }

    public void list(ServerRequest req, ServerResponse res) {
        http.caller(req, AdminScopes.CLIENTS_READ);
        Paging paging = Paging.from(req);
        http.responses().send(res, 200, apps.list(paging.limit(), paging.offset()).stream().map(AdminViews::client).toList());
    }

    public void get(ServerRequest req, ServerResponse res) {
        http.caller(req, AdminScopes.CLIENTS_READ);
        http.responses().send(res, 200, AdminViews.client(apps.find(AdminHttp.pathParameter(req, "client_id"))));
    }

    public void update(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        JsonBody body = JsonBody.read(req, http.json(), UPDATE_FIELDS);
        Optional<ClientStatus> status = body.optionalString("status", 16).map(value -> ClientStatus.parse(value)
                .orElseThrow(() -> Problem.badField("status", "must be active or blocked")));
        // null clears token_lifetime (no cap of its own), token_rate_limit (the server default) and default_audience
        // (a request that names no API must again be for the app's only grant)
        AppService.AppChange change = new AppService.AppChange(
                Patch.ifPresent(body.optionalString("client_name", 255)), Patch.ifPresent(authMethod(body)),
                Patch.ifPresent(status), body.clearable("token_lifetime", body.optionalInt("token_lifetime")),
                body.clearable("token_rate_limit", body.optionalInt("token_rate_limit")),
                Patch.ifPresent(body.optionalBoolean("reuse_tokens")),
                body.clearable("default_audience", defaultAudience(body)),
                Patch.ifPresent(body.optionalBoolean("allow_private_network")), keys(body),
                body.clearable("claims", claims(body)), Patch.ifPresent(body.optionalBoolean("dpop_bound_access_tokens")),
                Patch.ifPresent(body.optionalBoolean("tls_client_certificate_bound_access_tokens")),
                tlsIdentity(body).map(Patch::to).orElseGet(Patch::keep));
        http.responses().send(res, 200, AdminViews.client(apps.change(caller, AdminHttp.pathParameter(req, "client_id"), change)));
    }

    public void delete(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        apps.remove(caller, AdminHttp.pathParameter(req, "client_id"));
        res.status(204).send();
    }

    /** {@code POST /admin/clients/{client_id}/revoke-tokens}: voids every token issued to the app until now. */
    public void revokeTokens(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        apps.revokeTokens(caller, AdminHttp.pathParameter(req, "client_id"));
        res.status(204).send();
    }

    private AppKeys keys(JsonBody body) {
        if (!body.present("jwks") && !body.present("jwks_uri")) return AppKeys.UNCHANGED;
        return AppKeys.of(body.optionalObject("jwks").map(http.json()::writeString).orElse(null),
                body.optionalString("jwks_uri", ClientKeys.MAX_JWKS_URI_LENGTH).orElse(null));
    }

    /** RFC 8705 §2.1.2: the one {@code tls_client_auth_*} field given, if any. */
    static Optional<TlsClientIdentity> tlsIdentity(JsonBody body) {
        TlsClientIdentity found = null;
        for (TlsClientIdentity.Field field : TlsClientIdentity.Field.values()) {
            Optional<String> value = body.optionalString(field.metadataName(), 1024);
            if (value.isEmpty()) continue;
            if (found != null) {
                throw Problem.badField(field.metadataName(), "give one of the tls_client_auth_* fields, not "
                        + found.field().metadataName() + " too (RFC 8705 §2.1.2)");
            }
            found = new TlsClientIdentity(field, value.get());
        }
        return Optional.ofNullable(found);
    }

    /** A JSON object of claims, as text for the service to check; {@code null} (on a change) removes them. */
    private Optional<String> claims(JsonBody body) {
        return body.optionalObject("claims").map(http.json()::writeString);
    }

    private static Optional<String> defaultAudience(JsonBody body) {
        return body.optionalString("default_audience", 255);
    }

    private static Optional<ClientAuthMethod> authMethod(JsonBody body) {
        return body.optionalString("token_endpoint_auth_method", 32).map(value -> ClientAuthMethod.parse(value)
                .orElseThrow(() -> Problem.badField("token_endpoint_auth_method", "must be one of "
                        + Arrays.stream(ClientAuthMethod.values()).map(ClientAuthMethod::value).toList())));
    }
}
