package io.gatepass.spring;

import io.gatepass.client.GatepassTokenSource;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Puts the app's token on a {@code RestClient} (or {@code RestTemplate}) request: {@code Authorization: Bearer …},
 * or for a DPoP-bound token {@code Authorization: DPoP …} with a proof for this request (RFC 9449 §7.1). When the
 * API answers 401 {@code invalid_token} (the token was revoked), the cached token is dropped and the request sent
 * once more with a new one.
 *
 * <pre>{@code
 * RestClient archive = RestClient.builder().baseUrl("https://archive.example.com")
 *         .requestInterceptor(gatepassRequestInterceptor).build();
 * }</pre>
 */
public final class GatepassRequestInterceptor implements ClientHttpRequestInterceptor {
    private final GatepassTokenSource tokens;

    public GatepassRequestInterceptor(GatepassTokenSource tokens) {
        this.tokens = tokens;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
        authorize(request);
        ClientHttpResponse response = execution.execute(request, body);
        if (response.getStatusCode().value() != HttpStatus.UNAUTHORIZED.value() || !invalidToken(response.getHeaders())) {
            return response;
        }
        response.close();
        tokens.invalidate();
        authorize(request);
        return execution.execute(request, body);
    }

    private void authorize(HttpRequest request) {
        tokens.headers(request.getMethod().name(), request.getURI()).forEach(request.getHeaders()::set);
    }

    private static boolean invalidToken(HttpHeaders headers) {
        String challenge = headers.getFirst(HttpHeaders.WWW_AUTHENTICATE);
        return challenge != null && challenge.contains("invalid_token");
    }
}
