package io.gatepass.server.admin;

import io.gatepass.server.domain.AdminScopes;

import io.gatepass.server.audit.AuditLines;
import io.gatepass.server.domain.AuditEvent;
import io.gatepass.server.web.Problem;
import io.gatepass.server.store.AuditRepository;
import io.gatepass.server.store.Store;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /admin/audit?client_id=&type=&since=&until=&limit=&offset=}: management changes and OAuth events,
 * newest first. {@code client_id} matches what the app did and what was done to it; {@code since} (inclusive) and
 * {@code until} (exclusive) are ISO-8601 instants.
 */
public record AuditEndpoint(AdminHttp http, Store store) {
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public void list(ServerRequest req, ServerResponse res) {
        http.caller(req, AdminScopes.AUDIT_READ);
        Paging paging = Paging.from(req);
        AuditRepository.Filter filter = new AuditRepository.Filter(
                Paging.stringParam(req, "client_id", 128).orElse(null),
                Paging.stringParam(req, "type", 64).orElse(null),
                instant(req, "since").orElse(null),
                instant(req, "until").orElse(null));
        List<AuditEvent> events = store.read(tx -> tx.audit().find(filter, paging.limit(), paging.offset()));
        http.responses().send(res, 200, events.stream().map(this::view).toList());
    }

    /**
     * {@code GET /admin/audit/export?since=}: every event from {@code since} (default: all), oldest first, as JSON
     * lines ({@code application/x-ndjson}), streamed page by page so that a year of events needs no more memory than
     * a page; for a SIEM's import or an archive.
     */
    public void export(ServerRequest req, ServerResponse res) throws java.io.IOException {
        http.caller(req, AdminScopes.AUDIT_READ);
        Instant since = instant(req, "since").orElse(EARLIEST);
        res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/x-ndjson");
        res.header(io.helidon.http.HeaderNames.CACHE_CONTROL, "no-store");
        try (java.io.OutputStream out = res.outputStream()) {
            long after = 0;
            while (true) {
                long from = after;
                List<AuditEvent> page = store.read(tx -> tx.audit().after(since, from, EXPORT_PAGE));
                for (AuditEvent event : page) out.write(AuditLines.line(event, http.json()));
                if (page.size() < EXPORT_PAGE) break;
                after = page.get(page.size() - 1).id();
            }
        }
    }

    private static final int EXPORT_PAGE = 1_000;

    private static Optional<Instant> instant(ServerRequest req, String name) {
        return Paging.stringParam(req, name, 64).map(value -> {
            Instant instant;
            try {
                instant = Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw Problem.badField(name, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
            // the store keeps epoch milliseconds: years far from now overflow them
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                throw Problem.badField(name, "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
            }
            return instant;
        });
    }

    private Map<String, Object> view(AuditEvent event) {
        return AuditLines.view(event, http.json());
    }
}
