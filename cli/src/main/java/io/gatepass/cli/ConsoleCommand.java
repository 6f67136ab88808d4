package io.gatepass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Desktop;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gatepass console}: signs in to the web console with the app's credentials. The server hands out a
 * single-use link (good for 60 seconds) that becomes a browser session acting with this app's scopes.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Open the web console in a browser, signed in as this app (a single-use link, good for 60 s;",
                "the session acts with exactly this app's management scopes, 30 minutes idle and 8 hours at most)."})
final class ConsoleCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    Remote remote;

    @Option(names = "--print-url", description = "Print the link instead of opening a browser (for another machine's browser, or a script)")
    boolean printUrl;

    @Override
    public Integer call() {
        JsonNode link = remote.client().admin("POST", "/admin/console-links", null);
        String url = link.path("url").asText();
        if (printUrl) {
            Output out = remote.out();
            out.print(link, () -> out.message(url));
            return ExitCode.OK;
        }
        if (open(url)) {
            remote.out().message("Opened the console in your browser (the link is good once, for "
                    + link.path("expires_in").asInt() + " s).");
        } else {
            remote.out().message("Open this link in your browser within " + link.path("expires_in").asInt()
                    + " s (it is good once):");
            remote.out().message(url);
        }
        return ExitCode.OK;
    }

    /** The desktop's browser, or the platform's opener; false where there is none (a server, a container). */
    private static boolean open(String url) {
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(URI.create(url));
                return true;
            }
        } catch (Exception | LinkageError e) {
            // headless, or no browser registered: try the platform's opener
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        List<String> command = os.contains("mac") ? List.of("open", url)
                : os.contains("win") ? List.of("rundll32", "url.dll,FileProtocolHandler", url)
                : List.of("xdg-open", url);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
