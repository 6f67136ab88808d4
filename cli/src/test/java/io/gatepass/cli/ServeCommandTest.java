package io.gatepass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatepass.server.config.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeCommandTest {
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        // the tree main builds for these arguments: serve's own root
        CommandLine cli = GatepassCommand.commandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void serveHelpWhenAskedThenNamesEverySettingAndItsEnvironmentVariable() {
        Run run = run("serve", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--host", "GATEPASS_HOST", "--port", "GATEPASS_PORT", "--issuer", "GATEPASS_ISSUER",
                "--data-dir", "GATEPASS_DATA_DIR", "--database-url", "GATEPASS_DATABASE_URL");
    }

    @Test
    void serveWhenFlagsGivenThenTheyMakeTheConfig() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--port", "9099", "--host", "0.0.0.0", "--issuer", "https://auth.example.com/",
                "--data-dir", "/tmp/gp");
        ServerConfig config = serve.config();
        assertThat(config.port()).isEqualTo(9099);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.issuer()).isEqualTo("https://auth.example.com");
        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/gp"));
    }

    @Test
    void serveWhenNoFlagsThenDefaultsOfTheContract() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs();
        ServerConfig config = serve.config();
        // the environment of a build may set these; the defaults apply only where it does not
        if (System.getenv("GATEPASS_PORT") == null) assertThat(config.port()).isEqualTo(8080);
        if (System.getenv("GATEPASS_HOST") == null) assertThat(config.host()).isEqualTo("127.0.0.1");
        if (System.getenv("GATEPASS_DATA_DIR") == null) assertThat(config.dataDir()).isEqualTo(Path.of("data"));
        if (System.getenv("GATEPASS_ISSUER") == null) assertThat(config.issuerFor(8080)).isEqualTo("http://localhost:8080");
    }

    @Test
    void serveWhenKeySettingsInvalidThenExit2NamingThem() {
        Run alg = run("serve", "--default-signing-alg", "HS256");
        assertThat(alg.exitCode()).isEqualTo(2);
        assertThat(alg.err()).contains("--default-signing-alg");
        Run period = run("serve", "--key-rotation-period", "PT30M");
        assertThat(period.exitCode()).isEqualTo(2);
        assertThat(period.err()).contains("--key-rotation-period");
        assertThat(run("serve", "--help").out()).contains("GATEPASS_KEY_PROPAGATION_DELAY", "GATEPASS_KEY_ROTATION_PERIOD",
                "GATEPASS_DEFAULT_SIGNING_ALG", "GATEPASS_MASTER_KEY", "GATEPASS_BOOTSTRAP_ADMIN_SECRET", "GATEPASS_LOG_FORMAT",
                "GATEPASS_ACCESS_LOG", "GATEPASS_DEV");
    }

    @Test
    void serveWhenSettingInvalidThenExit2NamingIt() {
        Run port = run("serve", "--port", "70000");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).contains("--port");
        Run issuer = run("serve", "--issuer", "ftp://x?y");
        assertThat(issuer.exitCode()).isEqualTo(2);
        assertThat(issuer.err()).contains("--issuer");
        Run notNumber = run("serve", "--port", "eighty");
        assertThat(notNumber.exitCode()).isEqualTo(2);
        assertThat(notNumber.err()).contains("--port");
    }

    @Test
    void serveWhenAuditStreamUrlIsPlainHttpElsewhereOrHasNoSecretThenExit2SayingWhatToDo() {
        Run http = run("serve", "--audit-stream-url", "http://logs.example.com/intake");
        assertThat(http.exitCode()).isEqualTo(2);
        assertThat(http.err()).contains("--audit-stream-url must be https");
        // GATEPASS_AUDIT_STREAM_SECRET is not set in the test's environment
        Run secret = run("serve", "--audit-stream-url", "https://logs.example.com/intake");
        assertThat(secret.exitCode()).isEqualTo(2);
        assertThat(secret.err()).contains("GATEPASS_AUDIT_STREAM_SECRET").doesNotContain("Exception");
    }
}
