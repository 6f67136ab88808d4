package io.gatepass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatepass.server.GatepassServer;
import io.gatepass.server.config.ServerConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatepass serve} as its own process, started wrongly: each failure is one line on standard error that says
 * what to do, with exit status 2 for a setting and 1 for the machine, and no stack trace.
 */
class ServeStartupFailureTest {
    private static final String OTHER_MASTER_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
        /** The failure as a user sees it: one line, no Java internals. */
        void assertOneLine(int expectedExit, String... phrases) {
            assertThat(exitCode).as(err).isEqualTo(expectedExit);
            List<String> lines = err.lines().filter(line -> line.startsWith("gatepass")).toList();
            assertThat(lines).as(err).hasSize(1);
            assertThat(lines.get(0)).contains(phrases);
            assertThat(err).doesNotContain("\tat ", "Exception", "Caused by");
        }
    }

    private Run serve(Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), GatepassCommand.class.getName(), "serve"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("GATEPASS_LOG_LEVEL");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("serve did not stop on its own: " + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void serveWhenPortInUseThenOneLineExit1AndNothingCreated() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path data = dir.resolve("data");
            Run run = serve(Map.of(), "--port", String.valueOf(taken.getLocalPort()), "--data-dir", data.toString());

            run.assertOneLine(1, "cannot listen on", String.valueOf(taken.getLocalPort()), "--port");
            // a first start that cannot listen must not make an admin secret nobody was shown
            assertThat(data).doesNotExist();
        }
    }

    @Test
    void serveWhenMasterKeyIsNotTheStoresThenOneLineExit2() throws Exception {
        Path data = dir.resolve("data");
        GatepassServer.start(ServerConfig.builder().port(0).dataDir(data).build()).close();

        Run run = serve(Map.of("GATEPASS_MASTER_KEY", OTHER_MASTER_KEY), "--port", "0", "--data-dir", data.toString());

        run.assertOneLine(2, "master key", "GATEPASS_MASTER_KEY");
    }

    @Test
    void serveWhenDatabaseUrlWithoutMasterKeyThenOneLineExit2() throws Exception {
        Run run = serve(Map.of(), "--port", "0", "--database-url", "jdbc:postgresql://127.0.0.1:1/gatepass");

        run.assertOneLine(2, "GATEPASS_MASTER_KEY");
    }

    @Test
    void serveWhenDatabaseUnreachableThenOneLineExit1WithoutThePassword() throws Exception {
        Run run = serve(Map.of("GATEPASS_MASTER_KEY", OTHER_MASTER_KEY), "--port", "0", "--database-url",
                "jdbc:postgresql://127.0.0.1:1/gatepass?user=gp&password=hunter2-secret");

        run.assertOneLine(1, "--database-url", "check that PostgreSQL runs there");
        assertThat(run.err()).doesNotContain("hunter2-secret");
    }

    @Test
    void serveWhenDataDirCannotBeCreatedThenOneLineExit2() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

        Run run = serve(Map.of(), "--port", "0", "--data-dir", file.resolve("data").toString());

        run.assertOneLine(2, "--data-dir", "choose a directory");
    }

    @Test
    void serveWhenFlagValueBadThenOneLineExit2NamingItWithoutTheUsage() throws Exception {
        Run port = serve(Map.of(), "--port", "eighty");
        port.assertOneLine(2, "--port", "eighty", "--help");
        assertThat(port.err()).doesNotContain("Usage:");

        Run duration = serve(Map.of(), "--key-rotation-period", "ninety days");
        duration.assertOneLine(2, "--key-rotation-period", "ISO-8601");
    }

    @Test
    void serveWhenDebugLogLevelThenTheStackTraceToo() throws Exception {
        Run run = serve(Map.of("GATEPASS_LOG_LEVEL", "DEBUG"), "--port", "0", "--database-url",
                "jdbc:postgresql://127.0.0.1:1/gatepass");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("GATEPASS_MASTER_KEY", "\tat ");
    }
}
