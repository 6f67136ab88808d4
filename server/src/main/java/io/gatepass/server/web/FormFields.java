package io.gatepass.server.web;

import io.gatepass.server.codec.Text;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} body (the OAuth endpoints, the console's forms) within the request
 * limits: at most {@link HttpLimits#MAX_PARAMETERS} fields, names of 64 characters, values of
 * {@link HttpLimits#MAX_PARAMETER_LENGTH}, no control characters. What breaks a limit is an
 * {@link IllegalArgumentException} whose message says so; each caller turns it into its own error.
 */
public final class FormFields {
    private FormFields() {
    }

    /** @param lineBreaks whether values may hold line breaks (a text area's), which the OAuth endpoints refuse */
    public static Map<String, List<String>> parse(byte[] body, boolean lineBreaks) {
        String text = new String(body, StandardCharsets.UTF_8);
        Map<String, List<String>> values = new HashMap<>();
        int count = 0;
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) continue;
            if (++count > HttpLimits.MAX_PARAMETERS) {
                throw new IllegalArgumentException("too many parameters (at most " + HttpLimits.MAX_PARAMETERS + ")");
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            add(values, name, value, lineBreaks);
        }
        return values;
    }

    /** Adds one field, within the limits on its name and value. */
    public static void add(Map<String, List<String>> values, String name, String value, boolean lineBreaks) {
        if (name.length() > 64 || Text.hasControlCharacter(name)) {
            throw new IllegalArgumentException("a parameter name is too long or contains control characters");
        }
        if (value.length() > HttpLimits.MAX_PARAMETER_LENGTH) {
            throw new IllegalArgumentException("parameter " + name + " is longer than " + HttpLimits.MAX_PARAMETER_LENGTH + " characters");
        }
        if (Text.hasControlCharacter(lineBreaks ? value.replace("\r\n", "").replace("\n", "") : value)) {
            throw new IllegalArgumentException("parameter " + name + " contains control characters");
        }
        values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
    }

    private static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the form body has a malformed %-escape");
        }
    }
}
