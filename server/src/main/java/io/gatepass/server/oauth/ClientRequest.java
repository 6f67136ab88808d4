package io.gatepass.server.oauth;

import io.gatepass.server.limits.FailureThrottle;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What client authentication reads from an HTTP request besides its parameters: the Authorization header, and
 * the caller's address for the audit log of failures (looked up only then).
 */
public record ClientRequest(Optional<String> authorization, Supplier<String> remoteHost) {
    static ClientRequest of(ServerRequest request) {
        return new ClientRequest(request.headers().first(HeaderNames.AUTHORIZATION), () -> request.remotePeer().host());
    }

    /** The caller's address as failed authentications are throttled by. */
    public String address() {
        return FailureThrottle.addressKey(remoteHost.get());
    }
}
