package io.gatepass.server.admin;

import io.gatepass.server.codec.Json;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.web.JsonResponses;
import io.helidon.webserver.http.ServerRequest;

/** What every management endpoint translates HTTP with: the caller's token check, JSON in and JSON out. */
public record AdminHttp(AdminTokenAuthenticator auth, Json json, JsonResponses responses) {
    public AdminHttp(AdminTokenAuthenticator auth, Json json) {
        this(auth, json, new JsonResponses(json));
    }

    /** The caller, once its token is checked and carries {@code scope}. */
    AdminCaller caller(ServerRequest request, String scope) {
        return auth.require(request, scope);
    }

    static String pathParameter(ServerRequest request, String name) {
        return request.path().pathParameters().get(name);
    }
}
