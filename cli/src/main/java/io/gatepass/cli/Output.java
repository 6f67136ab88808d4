package io.gatepass.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints answers as human-readable tables (the default) or as the server's JSON, for scripts. */
final class Output {
    enum Format { table, json }

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final PrintWriter err;
    private final Format format;

    Output(PrintWriter out, PrintWriter err, Format format) {
        this.out = out;
        this.err = err;
        this.format = format;
    }

    boolean json() {
        return format == Format.json;
    }

    /** In JSON mode the answer as the server sent it; otherwise whatever {@code table} prints. */
    void print(JsonNode answer, Runnable table) {
        if (json()) {
            try {
                out.println(PRETTY.writeValueAsString(answer));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            table.run();
        }
        out.flush();
    }

    /** One row per element of {@code items}, one column per field, headed by the upper-cased field name. */
    void table(JsonNode items, String... fields) {
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[fields.length];
        for (int i = 0; i < fields.length; i++) header[i] = fields[i].toUpperCase().replace('_', ' ');
        rows.add(header);
        for (JsonNode item : items) {
            String[] row = new String[fields.length];
            for (int i = 0; i < fields.length; i++) row[i] = text(item.get(fields[i]));
            rows.add(row);
        }
        aligned(rows);
        if (items.isEmpty()) out.println("(none)");
    }

    /** Every field of one object, one per line. */
    void fields(JsonNode item) {
        List<String[]> rows = new ArrayList<>();
        item.fields().forEachRemaining(field -> rows.add(new String[] {field.getKey(), text(field.getValue())}));
        aligned(rows);
    }

    /** A line for people; in JSON mode nothing, so that standard output stays parseable. */
    void message(String line) {
        if (!json()) out.println(line);
        out.flush();
    }

    /** A warning on standard error, in both modes. */
    void warn(String line) {
        err.println(line);
        err.flush();
    }

    private void aligned(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) for (int i = 0; i < columns; i++) widths[i] = Math.max(widths[i], row[i].length());
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) line.append(" ".repeat(widths[i] - row[i].length() + 2));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** A cell: text as is, arrays joined by spaces (scopes), objects of scopes by their value, null as "-". */
    static String text(JsonNode value) {
        if (value == null || value.isNull()) return "-";
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode element : value) parts.add(element.isObject() && element.has("value") ? element.get("value").asText() : text(element));
            return String.join(" ", parts);
        }
        if (value.isObject()) return value.toString();
        return value.asText();
    }
}
