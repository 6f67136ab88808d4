package io.gatepass.server.oauth;

import io.gatepass.server.domain.AuditEvent;
import io.gatepass.server.domain.Revocation;
import io.gatepass.server.store.Store;
import io.gatepass.server.token.AccessTokenValidator;
import io.gatepass.server.token.AccessTokenValidator.Verdict;
import io.gatepass.server.token.RevocationList;
import io.gatepass.server.codec.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.Map;

/**
 * {@code POST /oauth/revoke}: an app revokes one of its own access tokens. The revocation is stored before the
 * answer, so it survives a restart, and reaches introspection and the revocation feed at once.
 *
 * <p>RFC 7009 §2.2: the answer is 200 whether or not there was anything to revoke — an invalid, expired or
 * already revoked token, or another app's token (which is left alone), gets the same answer.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2">RFC 7009 §2</a>
 */
public final class RevocationEndpoint {
    private static final String ENDPOINT = "revoke";

    private final Json json;
    private final Store store;
    private final ClientAuthenticator authenticator;
    private final AccessTokenValidator validator;
    private final RevocationList revocations;
    private final Clock clock;

    public RevocationEndpoint(Json json, Store store, ClientAuthenticator authenticator, AccessTokenValidator validator,
                              RevocationList revocations, Clock clock) {
        this.json = json;
        this.store = store;
        this.authenticator = authenticator;
        this.validator = validator;
        this.revocations = revocations;
        this.clock = clock;
    }

    public void handle(ServerRequest req, ServerResponse res) {
        OAuthParameters params = OAuthParameters.read(req, json);
        ClientAuthenticator.TokenQuery query = authenticator.tokenQuery(ClientRequest.of(req), params, ENDPOINT);
        Verdict verdict = validator.check(query.token());
        // RFC 7009 §2.1: the server verifies the token was issued to the client making the request
        if (verdict.active() && query.caller().clientId().equals(verdict.clientId())) revoke(verdict);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.status(200).send();
    }

    private void revoke(Verdict verdict) {
        Revocation revocation = Revocation.token(verdict.clientId(), verdict.claims().getJWTID(), clock.instant(),
                verdict.claims().getExpirationTime().toInstant());
        store.inTransaction(tx -> {
            tx.revocations().insert(revocation);
            tx.audit().append(new AuditEvent(clock.instant(), verdict.clientId(), "token.revoked", verdict.clientId(),
                    json.writeString(Map.of("jti", revocation.jti()))));
            return null;
        });
    }
}
