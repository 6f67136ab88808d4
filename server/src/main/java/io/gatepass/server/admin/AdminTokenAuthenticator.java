package io.gatepass.server.admin;

import com.nimbusds.jwt.JWTClaimsSet;
import io.gatepass.server.domain.Api;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.web.Problem;
import io.gatepass.server.token.AccessTokenValidator;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks the bearer token of a management call: one of our own active RFC 9068 access tokens (not expired, not
 * revoked, its app neither blocked nor deleted) for the audience {@code urn:gatepass:admin}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-2.1">RFC 6750 §2.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-4">RFC 9068 §4</a>
 */
public final class AdminTokenAuthenticator {
    private final AccessTokenValidator validator;

    public AdminTokenAuthenticator(AccessTokenValidator validator) {
        this.validator = validator;
    }

    /** The caller, once its token is checked and carries {@code scope}; 401 or 403 problems otherwise. */
    public AdminCaller require(ServerRequest request, String scope) {
        return authenticate(request).require(scope);
    }

    public AdminCaller authenticate(ServerRequest request) {
        String header = request.headers().first(HeaderNames.AUTHORIZATION).orElseThrow(Problem::tokenMissing);
        // RFC 6750 §2.1: the scheme is case-insensitive
        if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw Problem.unauthorized("the Authorization header must use the Bearer scheme");
        }
        return caller(header.substring(7).trim());
    }

    /** The caller whose management token this is; a 401 problem when it is not an active one. */
    public AdminCaller caller(String token) {
        AccessTokenValidator.Verdict verdict = validator.check(token);
        if (!verdict.active()) throw Problem.unauthorized(verdict.failure().description());
        JWTClaimsSet claims = verdict.claims();
        if (!AccessTokenValidator.audiences(claims).contains(Api.ADMIN_IDENTIFIER)) {
            throw Problem.unauthorized("the access token is not for the management API (aud " + Api.ADMIN_IDENTIFIER + ")");
        }
        // a sender-constrained token is good only with its proof, which this API does not take: never as a bearer
        if (claims.getClaim("cnf") != null) {
            throw Problem.unauthorized("the access token is bound to a key (cnf; DPoP or a client certificate) and the "
                    + "management API takes bearer tokens only: get its token without a DPoP proof, and without "
                    + "tls_client_certificate_bound_access_tokens");
        }
        return new AdminCaller(verdict.clientId(), scopes(claims));
    }

    private static Set<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        if (!(scope instanceof String value) || value.isEmpty()) return Set.of();
        return new HashSet<>(Arrays.asList(value.split(" ")));
    }
}
