package io.gatepass.server.console;

import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.ClientSecret;
import io.gatepass.server.domain.ClientStatus;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.AppKeys;
import io.gatepass.server.manage.AppService;
import io.gatepass.server.manage.GrantService;
import io.gatepass.server.manage.Patch;
import io.gatepass.server.web.Problem;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;

/**
 * {@code /console/apps}: list, register, block and unblock apps, revoke their tokens, rotate secrets with overlap
 * (a second secret, then the old one removed), their keys for {@code private_key_jwt}, and their limits; through
 * {@link AppService}, so the management-power rule and the audit log are the management API's.
 */
public final class ConsoleApps {
    /** The methods an admin picks in the console; the others (certificates, platform tokens) have their own setup. */
    static final List<ClientAuthMethod> METHODS = List.of(ClientAuthMethod.CLIENT_SECRET_BASIC,
            ClientAuthMethod.CLIENT_SECRET_POST, ClientAuthMethod.PRIVATE_KEY_JWT);
    static final int LISTED = 1000;

    private final ConsoleHttp http;
    private final AppService apps;
    private final GrantService grants;

    ConsoleApps(ConsoleHttp http, AppService apps, GrantService grants) {
        this.http = http;
        this.apps = apps;
        this.grants = grants;
    }

    public record ListView(Page page, List<Client> apps, List<ClientAuthMethod> methods) {
    }

    public record AppView(Page page, Client app, List<ClientSecret> secrets, List<GrantService.GrantOnApi> grants) {
        public boolean usesSecrets() {
            return app.authMethod().usesSecret();
        }

        public boolean usesKeys() {
            return app.authMethod() == ClientAuthMethod.PRIVATE_KEY_JWT;
        }
    }

    /** A secret, shown this once. */
    public record SecretView(Page page, Client app, String secret, String secretId, boolean first) {
    }

    void list(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Signed signed = http.signedIn(req);
        signed.caller().require(AdminScopes.CLIENTS_READ);
        http.render(res, 200, "apps.jte", new ListView(signed.page("Apps", "apps", Notices.of(req)), apps.list(LISTED, 0), METHODS));
    }

    void create(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Form form = http.form(req);
        ConsoleHttp.Signed signed = http.changing(req, form);
        AdminCaller caller = signed.caller().require(AdminScopes.CLIENTS_WRITE);
        ClientAuthMethod method = form.first("token_endpoint_auth_method").map(ConsoleApps::method)
                .orElse(ClientAuthMethod.CLIENT_SECRET_BASIC);
        AppService.Registered registered = apps.register(caller, new AppService.NewApp(form.required("client_name", "Name"),
                method, form.integer("token_lifetime", "Token lifetime").orElse(null), keys(form),
                form.integer("token_rate_limit", "Tokens per minute").orElse(null), false, null, false, null, null, null));
        Client app = registered.client();
        if (registered.secret() == null) {
            http.redirect(res, "/console/apps/" + app.clientId());
            return;
        }
        http.render(res, 201, "secret.jte", new SecretView(signed.page("App " + app.name() + " registered", "apps"), app,
                registered.secret().value(), registered.secret().stored().id(), true));
    }

    void show(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Signed signed = http.signedIn(req);
        signed.caller().require(AdminScopes.CLIENTS_READ);
        Client app = apps.find(clientId(req));
        http.render(res, 200, "app.jte", new AppView(signed.page("App " + app.name(), "apps", Notices.of(req)), app,
                apps.secrets(app.clientId()), grants.list(app.clientId())));
    }

    void update(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Form form = http.form(req);
        AdminCaller caller = writer(req, form);
        // an empty lifetime or limit clears it: no cap of the app's own, the server's default budget
        change(caller, clientId(req), Patch.to(form.required("client_name", "Name")), Patch.keep(),
                Patch.to(form.integer("token_lifetime", "Token lifetime").orElse(null)),
                Patch.to(form.integer("token_rate_limit", "Tokens per minute").orElse(null)), AppKeys.UNCHANGED);
        http.redirect(res, "/console/apps/" + clientId(req) + "?done=app-updated");
    }

    void status(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Form form = http.form(req);
        AdminCaller caller = writer(req, form);
        ClientStatus status = form.first("status").flatMap(ClientStatus::parse)
                .orElseThrow(() -> Problem.badField("status", "must be active or blocked"));
        change(caller, clientId(req), Patch.keep(), Patch.to(status), Patch.keep(), Patch.keep(), AppKeys.UNCHANGED);
        http.redirect(res, "/console/apps/" + clientId(req) + "?done=" + (status == ClientStatus.BLOCKED ? "app-blocked" : "app-unblocked"));
    }

    void keys(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Form form = http.form(req);
        AdminCaller caller = writer(req, form);
        change(caller, clientId(req), Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), keys(form));
        http.redirect(res, "/console/apps/" + clientId(req) + "?done=keys-updated");
    }

    void revokeTokens(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Form form = http.form(req);
        apps.revokeTokens(writer(req, form), clientId(req));
        http.redirect(res, "/console/apps/" + clientId(req) + "?done=tokens-revoked");
    }

    void createSecret(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Form form = http.form(req);
        ConsoleHttp.Signed signed = http.changing(req, form);
        AdminCaller caller = signed.caller().require(AdminScopes.CLIENTS_WRITE);
        AppService.NewSecret secret = apps.createSecret(caller, clientId(req));
        Client app = apps.find(clientId(req));
        http.render(res, 201, "secret.jte", new SecretView(signed.page("New secret for " + app.name(), "apps"), app,
                secret.value(), secret.stored().id(), false));
    }

    void deleteSecret(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Form form = http.form(req);
        apps.removeSecret(writer(req, form), clientId(req), req.path().pathParameters().get("secret_id"));
        http.redirect(res, "/console/apps/" + clientId(req) + "?done=secret-deleted");
    }

    void delete(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Form form = http.form(req);
        apps.remove(writer(req, form), clientId(req));
        http.redirect(res, "/console/apps?done=app-deleted");
    }

    private AdminCaller writer(ServerRequest req, ConsoleHttp.Form form) {
        return http.changing(req, form).caller().require(AdminScopes.CLIENTS_WRITE);
    }

    private void change(AdminCaller caller, String clientId, Patch<String> name, Patch<ClientStatus> status,
                        Patch<Integer> lifetime, Patch<Integer> rateLimit, AppKeys keys) {
        apps.change(caller, clientId, new AppService.AppChange(name, Patch.keep(), status, lifetime, rateLimit, Patch.keep(),
                Patch.keep(), Patch.keep(), keys, Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep()));
    }

    private static AppKeys keys(ConsoleHttp.Form form) {
        var jwks = form.first("jwks");
        var jwksUri = form.first("jwks_uri");
        if (jwks.isEmpty() && jwksUri.isEmpty()) return AppKeys.UNCHANGED;
        return AppKeys.of(jwks.orElse(null), jwksUri.orElse(null));
    }

    private static ClientAuthMethod method(String value) {
        return ClientAuthMethod.parse(value).filter(METHODS::contains).orElseThrow(() -> Problem.badField(
                "token_endpoint_auth_method", "must be one of " + METHODS.stream().map(ClientAuthMethod::value).toList()));
    }

    private static String clientId(ServerRequest req) {
        return req.path().pathParameters().get("client_id");
    }
}
