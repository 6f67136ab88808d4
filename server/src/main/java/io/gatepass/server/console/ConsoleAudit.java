package io.gatepass.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.codec.Json;
import io.gatepass.server.domain.AdminScopes;
import io.gatepass.server.domain.AuditEvent;
import io.gatepass.server.store.AuditRepository;
import io.gatepass.server.store.Store;
import io.gatepass.server.web.Problem;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** {@code /console/audit}: the audit log, newest first, filtered by app, type and time range (UTC), a page at a time. */
public final class ConsoleAudit {
    static final int PAGE_SIZE = 50;
    static final int MAX_PAGE = 10_000;
    private static final int DETAILS_SHOWN = 400;

    private final ConsoleHttp http;
    private final Store store;
    private final Json json;

    ConsoleAudit(ConsoleHttp http, Store store, Json json) {
        this.http = http;
        this.store = store;
        this.json = json;
    }

    /** The filter as the form shows it again. */
    public record Filter(String app, String type, String since, String until, int page) {
        public String query(int otherPage) {
            StringBuilder query = new StringBuilder("?page=").append(otherPage);
            append(query, "app", app);
            append(query, "type", type);
            append(query, "since", since);
            append(query, "until", until);
            return query.toString();
        }

        private static void append(StringBuilder query, String name, String value) {
            if (value != null && !value.isEmpty()) {
                query.append('&').append(name).append('=').append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    public record Row(AuditEvent event, String time, String via, String details) {
    }

    public record View(Page page, Filter filter, List<Row> rows, boolean more) {
    }

    void show(ServerRequest req, ServerResponse res) {
        ConsoleHttp.Signed signed = http.signedIn(req);
        signed.caller().require(AdminScopes.AUDIT_READ);
        String app = param(req, "app", 128);
        String type = param(req, "type", 64);
        String since = param(req, "since", 32);
        String until = param(req, "until", 32);
        int page = Optional.ofNullable(param(req, "page", 6)).map(ConsoleAudit::page).orElse(1);
        AuditRepository.Filter filter = new AuditRepository.Filter(app, type, instant("since", since), instant("until", until));
        List<AuditEvent> events = store.read(tx -> tx.audit().find(filter, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE));
        List<Row> rows = events.stream().limit(PAGE_SIZE).map(this::row).toList();
        http.render(res, 200, "audit.jte", new View(signed.page("Audit log", "audit"), new Filter(app, type, since, until, page),
                rows, events.size() > PAGE_SIZE));
    }

    private Row row(AuditEvent event) {
        String via = null;
        try {
            JsonNode via0 = json.parse(event.details().getBytes(StandardCharsets.UTF_8)).get("via");
            if (via0 != null && via0.isTextual()) via = via0.textValue();
        } catch (Json.MalformedJson e) {
            // shown as stored
        }
        String details = event.details().length() > DETAILS_SHOWN ? event.details().substring(0, DETAILS_SHOWN) + "…" : event.details();
        return new Row(event, Times.format(event.occurredAt()), via, details);
    }

    private static String param(ServerRequest req, String name, int max) {
        Optional<String> value = req.query().first(name).asOptional().map(String::trim).filter(v -> !v.isEmpty());
        if (value.isPresent() && (value.get().length() > max || io.gatepass.server.codec.Text.hasControlCharacter(value.get()))) {
            throw Problem.badField(name, "must be at most " + max + " printable characters");
        }
        return value.orElse(null);
    }

    private static int page(String value) {
        try {
            int page = Integer.parseInt(value);
            if (page >= 1 && page <= MAX_PAGE) return page;
        } catch (NumberFormatException e) {
            // below
        }
        throw Problem.badField("page", "must be a page number from 1 to " + MAX_PAGE);
    }

    /** A {@code datetime-local} field's value (UTC), or an ISO-8601 instant. */
    private static Instant instant(String name, String value) {
        if (value == null) return null;
        try {
            return value.endsWith("Z") ? Instant.parse(value) : LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw Problem.badField(name, "must be a time such as 2026-01-31T12:00 (UTC)");
        }
    }
}
