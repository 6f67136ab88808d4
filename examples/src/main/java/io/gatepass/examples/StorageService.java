package io.gatepass.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gatepass.verifier.GatepassVerifier;
import io.gatepass.verifier.TokenVerificationException;
import io.gatepass.verifier.VerifiedToken;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * The storage service of the brief's archive example: {@code POST /archive} stores an entry (scope
 * {@code archive:write}), {@code GET /archive} lists them ({@code archive:read}). Every request is checked by the
 * verifier SDK, offline, with the revocation feed polled in the background.
 */
public final class StorageService implements AutoCloseable {
    public static final String WRITE = "archive:write";
    public static final String READ = "archive:read";

    private final HttpServer server;
    private final GatepassVerifier verifier;
    private final List<String> entries = new CopyOnWriteArrayList<>();

    public StorageService(GatepassVerifier verifier, int port) throws IOException {
        this.verifier = verifier;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/archive", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<String> entries() {
        return List.copyOf(entries);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            boolean write = exchange.getRequestMethod().equals("POST");
            if (!write && !exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "{\"error\":\"use GET or POST\"}");
                return;
            }
            VerifiedToken caller;
            try {
                caller = verifier.verify(exchange.getRequestHeaders().getFirst("Authorization"), write ? WRITE : READ);
            } catch (TokenVerificationException e) {
                exchange.getResponseHeaders().add("WWW-Authenticate", e.wwwAuthenticate());
                send(exchange, e.status(), "{\"error\":\"" + (e.error() == null ? "unauthorized" : e.error()) + "\"}");
                return;
            }
            if (write) {
                String body = new String(exchange.getRequestBody().readNBytes(4096), StandardCharsets.UTF_8);
                entries.add(caller.clientId() + ": " + body);
                send(exchange, 201, "{\"stored\":" + entries.size() + "}");
            } else {
                send(exchange, 200, "{\"entries\":" + entries.size() + "}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        verifier.close();
    }
}
