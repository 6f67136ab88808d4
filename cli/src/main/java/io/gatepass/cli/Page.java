package io.gatepass.cli;

import picocli.CommandLine.Option;

/** {@code --limit} and {@code --offset} of list commands. */
final class Page {
    @Option(names = "--limit", description = "At most this many (1-1000). Default: 100")
    Integer limit;

    @Option(names = "--offset", description = "Skip this many")
    Integer offset;

    /** The query string, starting with {@code ?}, or "" when neither is set. */
    String query() {
        StringBuilder query = new StringBuilder();
        if (limit != null) query.append("limit=").append(limit);
        if (offset != null) query.append(query.isEmpty() ? "" : "&").append("offset=").append(offset);
        return query.isEmpty() ? "" : "?" + query;
    }
}
