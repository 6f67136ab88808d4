package io.gatepass.server.oauth;

/**
 * One way an app proves who it is at the token, introspection and revocation endpoints: one class per
 * {@code token_endpoint_auth_method}, chosen by the shape of the request and checked against the app's registration.
 * A new method is a new implementation and one line in the composition root.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3">RFC 6749 §2.3</a>
 */
public interface ClientAuthenticationMethod {
    /** Whether the request carries this method's credentials (RFC 6749 §2.3: a request carries one method's only). */
    boolean presentIn(ClientRequest request, OAuthParameters params);

    /**
     * The app the credentials prove.
     *
     * @throws ClientAuthenticationRefused when they prove nothing; recorded (metrics, throttle, audit) by the caller
     * @throws OAuthError                  for a request too malformed to count as an attempt
     */
    AuthenticatedClient authenticate(ClientRequest request, OAuthParameters params) throws ClientAuthenticationRefused;

    /** What the credentials are, for error messages: "a client secret". */
    String credentials();
}
