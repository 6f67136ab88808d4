package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatepass audit}: the audit log, newest first. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Show the audit log, newest first: management changes, tokens issued, failed authentications.")
final class AuditCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    Remote remote;

    @Mixin
    Page page;

    @Option(names = "--app", paramLabel = "CLIENT_ID", description = "Only what this app did or what was done to it")
    String clientId;

    @Option(names = "--type", description = "Only this event type, e.g. token.issued, client.blocked")
    String type;

    @Option(names = "--since", description = "From this instant, e.g. 2026-01-31T00:00:00Z")
    String since;

    @Option(names = "--until", description = "Before this instant")
    String until;

    @Override
    public Integer call() {
        StringBuilder query = new StringBuilder(page.query().isEmpty() ? "?" : page.query() + "&");
        append(query, "client_id", clientId);
        append(query, "type", type);
        append(query, "since", since);
        append(query, "until", until);
        String path = "/admin/audit" + query.substring(0, query.length() - 1);
        JsonNode events = remote.client().admin("GET", path, null);
        Output out = remote.out();
        out.print(events, () -> out.table(events, "occurred_at", "type", "actor", "target"));
        return ExitCode.OK;
    }

    private static void append(StringBuilder query, String name, String value) {
        if (value != null) query.append(name).append('=').append(GatepassClient.segment(value)).append('&');
    }
}
