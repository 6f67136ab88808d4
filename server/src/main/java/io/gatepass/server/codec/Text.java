package io.gatepass.server.codec;

/** Checks on strings that come from requests. */
public final class Text {
    private Text() {
    }

    public static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) return true;
        }
        return false;
    }

    /** Safe to echo in an error message. */
    public static String printable(String s) {
        if (s.length() > 64 || hasControlCharacter(s)) return "(unprintable)";
        return s;
    }

    /**
     * A request path for a log line: at most {@code max} characters (then "…"), and every character that is not
     * visible ASCII percent-encoded as UTF-8, so that a line can neither break nor hide what was asked.
     */
    public static String loggable(String path, int max) {
        StringBuilder out = new StringBuilder(Math.min(path.length(), max) + 8);
        for (int i = 0; i < path.length() && out.length() <= max; i++) {
            char c = path.charAt(i);
            if (c > 0x20 && c < 0x7f) {
                out.append(c);
                continue;
            }
            int end = Character.isHighSurrogate(c) && i + 1 < path.length() ? i + 2 : i + 1;
            for (byte b : path.substring(i, end).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
            i = end - 1;
        }
        if (out.length() > max) {
            out.setLength(max);
            out.append('…');
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    public static boolean isScopeToken(String scope) {
        if (scope.isEmpty()) return false;
        for (int i = 0; i < scope.length(); i++) {
            char c = scope.charAt(i);
            if (c < 0x21 || c == 0x22 || c == 0x5c || c > 0x7e) return false;
        }
        return true;
    }
}
