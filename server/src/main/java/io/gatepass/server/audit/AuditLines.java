package io.gatepass.server.audit;

import io.gatepass.server.codec.Json;
import io.gatepass.server.domain.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An audit event as the outside sees it — in {@code GET /admin/audit}, the JSON lines of the export and of the
 * stream: {@code id}, {@code occurred_at}, {@code actor}, {@code type}, {@code target}, {@code details}.
 */
public final class AuditLines {
    private AuditLines() {
    }

    public static Map<String, Object> view(AuditEvent event, Json json) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", event.id());
        view.put("occurred_at", event.occurredAt().truncatedTo(ChronoUnit.MILLIS).toString());
        view.put("actor", event.actor());
        view.put("type", event.type());
        view.put("target", event.target());
        try {
            view.put("details", json.parse(event.details().getBytes(StandardCharsets.UTF_8)));
        } catch (Json.MalformedJson e) {
            view.put("details", event.details()); // written by us, so never expected; shown as stored
        }
        return view;
    }

    /** One JSON line, newline included. */
    public static byte[] line(AuditEvent event, Json json) {
        byte[] object = json.write(view(event, json));
        byte[] line = java.util.Arrays.copyOf(object, object.length + 1);
        line[object.length] = '\n';
        return line;
    }
}
