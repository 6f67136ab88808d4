package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatepass audit}: the audit log, newest first. */
@Command(name = "audit", mixinStandardHelpOptions = true, subcommands = AuditCommand.Export.class,
        description = "Show the audit log, newest first: management changes, tokens issued, failed authentications.")
final class AuditCommand implements java.util.concurrent.Callable<Integer> {
    /** {@code gatepass audit export}: every event as JSON lines, oldest first. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write every audit event from --since on, oldest first, as JSON lines (for a SIEM or an archive).")
    static final class Export implements java.util.concurrent.Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(names = "--since", description = "From this instant, e.g. 2026-01-31T00:00:00Z. Default: all")
        String since;

        @Override
        public Integer call() {
            String path = "/admin/audit/export" + (since == null ? "" : "?since="
                    + java.net.URLEncoder.encode(since, java.nio.charset.StandardCharsets.UTF_8));
            java.io.PrintWriter out = remote.spec.commandLine().getOut();
            out.print(remote.client().adminText(path));
            out.flush();
            return ExitCode.OK;
        }
    }

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
