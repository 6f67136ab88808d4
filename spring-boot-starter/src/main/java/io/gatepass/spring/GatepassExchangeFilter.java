package io.gatepass.spring;

import io.gatepass.client.GatepassTokenSource;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The {@link GatepassRequestInterceptor} of {@code WebClient}: the app's token (and a DPoP proof for a bound one)
 * on each request. The token source may call the token endpoint, which blocks: that runs on Reactor's
 * bounded-elastic scheduler, never on an event loop.
 *
 * <pre>{@code
 * WebClient archive = WebClient.builder().baseUrl("https://archive.example.com").filter(gatepassExchangeFilter).build();
 * }</pre>
 */
public final class GatepassExchangeFilter implements ExchangeFilterFunction {
    private final GatepassTokenSource tokens;

    public GatepassExchangeFilter(GatepassTokenSource tokens) {
        this.tokens = tokens;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return Mono.fromCallable(() -> authorize(request)).subscribeOn(Schedulers.boundedElastic()).flatMap(next::exchange);
    }

    private ClientRequest authorize(ClientRequest request) {
        ClientRequest.Builder builder = ClientRequest.from(request);
        tokens.headers(request.method().name(), request.url()).forEach((name, value) -> builder.headers(h -> h.set(name, value)));
        return builder.build();
    }
}
