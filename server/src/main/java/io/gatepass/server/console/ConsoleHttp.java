package io.gatepass.server.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.gatepass.server.domain.ConsoleSession;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.ConsoleSessions;
import io.gatepass.server.web.FormFields;
import io.gatepass.server.web.HttpRejection;
import io.gatepass.server.web.Problem;
import io.gatepass.server.web.RequestBodies;
import io.gatepass.server.web.TrustedProxies;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every console page is served with: the session cookie, the CSRF and {@code Origin} checks on every change, the
 * compiled templates, and the headers that keep pages out of frames, caches and other sites' scripts. Errors become
 * HTML pages with the same status and the service's own message.
 */
public final class ConsoleHttp {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHttp.class);
    /** No inline script or style anywhere: the pages' own files only, and no framing (clickjacking). */
    static final String CSP = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";
    static final String FORM = "application/x-www-form-urlencoded";

    private final TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html,
            ConsoleHttp.class.getClassLoader(), "io.gatepass.server.console.pages");
    private final ConsoleSessions sessions;
    private final String origin;
    private final boolean secure;
    private final String cookieName;

    ConsoleHttp(ConsoleSessions sessions, String publicUrl) {
        this.sessions = sessions;
        URI uri = URI.create(publicUrl);
        this.origin = uri.getScheme() + "://" + uri.getRawAuthority();
        // Secure everywhere but plain HTTP on loopback, where a browser would not send a Secure cookie back; the
        // __Host- prefix (RFC 6265bis §4.1.3.2: Secure, Path=/, no Domain) wherever it may be used
        this.secure = "https".equals(uri.getScheme()) || !TrustedProxies.loopbackHost(uri.getHost());
        this.cookieName = secure ? "__Host-gatepass-console" : "gatepass-console";
    }

    /** A signed-in request: its session, the cookie it came with, and the caller the session acts as. */
    record Signed(ConsoleSession session, String cookie, AdminCaller caller) {
        Page page(String title, String section, String notice) {
            return new Page(title, section, caller.clientId(), session.csrfToken(), caller.scopes(), notice);
        }

        Page page(String title, String section) {
            return page(title, section, null);
        }
    }

    /** The session of a page request; 401 (the sign-in page) without one. */
    Signed signedIn(ServerRequest req) {
        Optional<String> cookie = req.headers().cookies().first(cookieName).asOptional();
        Optional<ConsoleSession> session = cookie.flatMap(sessions::find);
        if (session.isEmpty()) throw new SignedOut(cookie.isPresent());
        return new Signed(session.get(), cookie.get(), ConsoleSessions.caller(session.get()));
    }

    /**
     * The session of a change, once the request shows it comes from the console's own page: no foreign
     * {@code Origin} or {@code Sec-Fetch-Site}, and the session's CSRF token in the form. 403 otherwise.
     */
    Signed changing(ServerRequest req, Form form) {
        Signed signed = signedIn(req);
        Optional<String> from = req.headers().first(HeaderNames.ORIGIN);
        if (from.isPresent() && !from.get().equals(origin)) {
            throw Problem.of(403, "this change came from another site (Origin " + printable(from.get()) + "), not from "
                    + origin + "; it was not made");
        }
        Optional<String> site = req.headers().first(HeaderNames.create("Sec-Fetch-Site"));
        if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
            throw Problem.of(403, "this change came from another site (Sec-Fetch-Site " + printable(site.get()) + "); it was not made");
        }
        if (!ConsoleSessions.csrfMatches(signed.session(), form.first("csrf").orElse(null))) {
            throw Problem.of(403, "the form's CSRF token is missing or not this session's; reload the page and try again");
        }
        return signed;
    }

    private static String printable(String value) {
        return io.gatepass.server.codec.Text.printable(value.length() > 100 ? value.substring(0, 100) : value);
    }

    /** The form fields of a POST; 415 for any other body. */
    Form form(ServerRequest req) {
        String type = RequestBodies.mediaType(req);
        byte[] body = RequestBodies.read(req);
        if (body.length > 0 && !type.equals(FORM)) {
            throw new HttpRejection(415, "console forms are sent as " + FORM);
        }
        try {
            return new Form(FormFields.parse(body, true));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }

    void render(ServerResponse res, int status, String template, Object model) {
        StringOutput output = new StringOutput();
        templates.render(template, model, output);
        res.status(status);
        headers(res);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.send(output.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** After a change: back to a page (303, so that reloading it does not repeat the change). */
    void redirect(ServerResponse res, String location) {
        headers(res);
        res.status(303);
        res.header(HeaderNames.LOCATION, location);
        res.send();
    }

    static void headers(ServerResponse res) {
        res.header(HeaderNames.create("Content-Security-Policy"), CSP);
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with the pages' own forms
        res.header(HeaderNames.create("Referrer-Policy"), "same-origin");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
    }

    /** The cookie that starts a session, for the browser that redeemed the link. */
    void startSession(ServerResponse res, ConsoleSessions.Started started) {
        res.header(HeaderNames.SET_COOKIE, cookieName + "=" + started.cookie() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + ConsoleSessions.MAX_LIFETIME.toSeconds() + (secure ? "; Secure" : ""));
    }

    void endSession(ServerResponse res, Signed signed) {
        sessions.end(signed.session(), signed.cookie());
        res.header(HeaderNames.SET_COOKIE, cookieName + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + (secure ? "; Secure" : ""));
    }

    ConsoleSessions sessions() {
        return sessions;
    }

    /** A console handler whose failures are pages: a service's 4xx with its message, a lost session the sign-in page. */
    Handler page(Handler handler) {
        return (req, res) -> {
            try {
                handler.handle(req, res);
            } catch (SignedOut e) {
                render(res, 401, "signed-out.jte", new SignedOutView(e.hadCookie()));
            } catch (Problem e) {
                render(res, e.status(), "error.jte", new ErrorView(e.status(), e.detail()));
            } catch (HttpRejection e) {
                render(res, e.status(), "error.jte", new ErrorView(e.status(), e.getMessage()));
            } catch (org.jdbi.v3.core.JdbiException e) {
                LOG.warn("console: the store failed", e);
                render(res, 503, "error.jte", new ErrorView(503, "the store is not available; try again shortly"));
            }
        };
    }

    /** No session behind the request's cookie (none, signed out, idle, too old, or its app blocked). */
    static final class SignedOut extends RuntimeException {
        private final boolean hadCookie;

        SignedOut(boolean hadCookie) {
            super(null, null, false, false);
            this.hadCookie = hadCookie;
        }

        boolean hadCookie() {
            return hadCookie;
        }
    }

    public record SignedOutView(boolean expired) {
    }

    public record ErrorView(int status, String message) {
    }

    public record SignedInView(String clientId) {
    }

    /** The fields of a console form; an empty field counts as absent. */
    record Form(Map<String, List<String>> values) {
        Optional<String> first(String name) {
            List<String> list = values.get(name);
            if (list == null || list.isEmpty()) return Optional.empty();
            String value = list.get(0).trim();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        String required(String name, String label) {
            return first(name).orElseThrow(() -> Problem.badField(name, label + " is required"));
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of()).stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
        }

        Optional<Integer> integer(String name, String label) {
            return first(name).map(value -> {
                try {
                    return Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw Problem.badField(name, label + " must be a whole number");
                }
            });
        }

        boolean checked(String name) {
            return first(name).isPresent();
        }
    }
}
