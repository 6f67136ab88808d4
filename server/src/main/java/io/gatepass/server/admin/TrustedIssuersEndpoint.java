package io.gatepass.server.admin;

import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.domain.IssuerPreset;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.AdminViews;
import io.gatepass.server.manage.Patch;
import io.gatepass.server.manage.TrustedIssuerService;
import io.gatepass.server.web.Problem;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** {@code /admin/trusted-issuers}: the platforms whose tokens apps may authenticate with (workload identity federation). */
public record TrustedIssuersEndpoint(AdminHttp http, TrustedIssuerService issuers) {
    private static final Set<String> CREATE_FIELDS = Set.of("issuer", "name", "preset", "jwks", "jwks_uri", "audiences",
            "max_assertion_lifetime", "allow_reuse", "allow_private_network");
    private static final Set<String> UPDATE_FIELDS = Set.of("name", "jwks", "jwks_uri", "audiences", "max_assertion_lifetime",
            "allow_reuse", "allow_private_network", "status");

    public void create(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        JsonBody body = JsonBody.read(req, http.json(), CREATE_FIELDS);
        var issuer = issuers.create(caller, new TrustedIssuerService.NewIssuer(body.optionalString("issuer", 2048).orElse(null),
                body.optionalString("name", 255).orElse(null), preset(body).orElse(null), jwks(body).orElse(null),
                body.optionalString("jwks_uri", 2048).orElse(null), body.optionalStrings("audiences").orElse(null),
                body.optionalInt("max_assertion_lifetime").orElse(null), body.optionalBoolean("allow_reuse").orElse(null),
                body.optionalBoolean("allow_private_network").orElse(false)));
        res.header("Location", "/admin/trusted-issuers/" + issuer.id());
        http.responses().send(res, 201, AdminViews.trustedIssuer(issuer));
    }

    public void list(ServerRequest req, ServerResponse res) {
        http.caller(req, AdminScopes.CLIENTS_READ);
        Paging paging = Paging.from(req);
        http.responses().send(res, 200, issuers.list(paging.limit(), paging.offset()).stream().map(AdminViews::trustedIssuer).toList());
    }

    public void get(ServerRequest req, ServerResponse res) {
        http.caller(req, AdminScopes.CLIENTS_READ);
        http.responses().send(res, 200, AdminViews.trustedIssuer(issuers.find(AdminHttp.pathParameter(req, "id"))));
    }

    public void update(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        JsonBody body = JsonBody.read(req, http.json(), UPDATE_FIELDS);
        Optional<Boolean> active = body.optionalString("status", 16).map(value -> switch (value) {
            case "active" -> true;
            case "disabled" -> false;
            default -> throw Problem.badField("status", "must be active or disabled");
        });
        boolean keys = body.present("jwks") || body.present("jwks_uri");
        var change = new TrustedIssuerService.IssuerChange(body.clearable("name", body.optionalString("name", 255)),
                keys ? Patch.to(jwks(body).orElse(null)) : Patch.keep(),
                keys ? Patch.to(body.optionalString("jwks_uri", 2048).orElse(null)) : Patch.keep(),
                body.clearable("audiences", body.optionalStrings("audiences")),
                Patch.ifPresent(body.optionalInt("max_assertion_lifetime")), Patch.ifPresent(body.optionalBoolean("allow_reuse")),
                Patch.ifPresent(body.optionalBoolean("allow_private_network")), Patch.ifPresent(active));
        http.responses().send(res, 200, AdminViews.trustedIssuer(issuers.change(caller, AdminHttp.pathParameter(req, "id"), change)));
    }

    public void delete(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.CLIENTS_WRITE);
        issuers.remove(caller, AdminHttp.pathParameter(req, "id"));
        res.status(204).send();
    }

    private Optional<String> jwks(JsonBody body) {
        return body.optionalObject("jwks").map(http.json()::writeString);
    }

    private static Optional<IssuerPreset> preset(JsonBody body) {
        return body.optionalString("preset", 32).map(value -> IssuerPreset.parse(value).orElseThrow(() -> Problem.badField(
                "preset", "must be one of " + Arrays.stream(IssuerPreset.values()).map(IssuerPreset::value).toList())));
    }
}
