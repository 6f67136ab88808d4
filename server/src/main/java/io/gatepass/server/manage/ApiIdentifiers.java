package io.gatepass.server.manage;

import io.gatepass.server.web.Problem;
import java.text.Normalizer;
import java.util.Locale;

/**
 * What an API identifier may be, and when two are too alike to tell apart: a token's {@code aud} is compared
 * exactly, but people read identifiers, so {@code URN:GATEPASS:ADMIN}, {@code urn:gatepass:admin} with a zero-width
 * space, or {@code https://orders.example.com/} beside {@code https://orders.example.com} are refused as
 * look-alikes of an API that exists.
 */
final class ApiIdentifiers {
    private ApiIdentifiers() {
    }

    /** 400 unless visible characters only, already in Unicode NFC. */
    static void check(String identifier) {
        for (int i = 0; i < identifier.length(); ) {
            int c = identifier.codePointAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || invisible(Character.getType(c))) {
                throw Problem.badField("identifier", "must not contain whitespace, control or invisible characters "
                        + String.format("(U+%04X at %d)", c, i));
            }
            i += Character.charCount(c);
        }
        if (!Normalizer.isNormalized(identifier, Normalizer.Form.NFC)) {
            throw Problem.badField("identifier", "must be in Unicode normalization form C (NFC)");
        }
    }

    private static boolean invisible(int type) {
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
    }

    /**
     * The form in which look-alikes are equal: compatibility-normalized (NFKC), case-folded (the scheme and a URN's
     * namespace are case-insensitive, and a case difference elsewhere is no way to tell two APIs apart), without
     * trailing slashes.
     */
    static String lookAlikeKey(String identifier) {
        String key = Normalizer.normalize(identifier, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        int end = key.length();
        while (end > 0 && key.charAt(end - 1) == '/') end--;
        return key.substring(0, end);
    }
}
