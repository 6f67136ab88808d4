package io.gatepass.server.config;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Marker;

/**
 * The server's logging, set up in code instead of from a {@code logback.xml}: reading one (Logback's XML parser and
 * configuration model) was a tenth of a restart. Logs go to standard error, as text or, with
 * {@code GATEPASS_LOG_FORMAT=json}, one JSON object per line; standard output carries what the operator must read
 * (bootstrap credentials). {@code GATEPASS_LOG_LEVEL} sets the level (default INFO), {@code GATEPASS_ACCESS_LOG=OFF}
 * turns off the per-request access log. A file named by {@code -Dlogback.configurationFile} is read instead.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        // keeps java.util.logging levels in step with these, so filtered JUL records cost nothing
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        context.addListener(propagator);
        propagator.start();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder(context, System.getenv("GATEPASS_LOG_FORMAT")));
        console.start();

        // one line per request, off the request path
        AsyncAppender access = new AsyncAppender();
        access.setContext(context);
        access.setName("access");
        access.setNeverBlock(true);
        access.setQueueSize(8192);
        access.setDiscardingThreshold(0);
        access.addAppender(console);
        access.start();
        Logger accessLog = context.getLogger("gatepass.access");
        accessLog.setLevel(Level.toLevel(System.getenv("GATEPASS_ACCESS_LOG"), Level.INFO));
        accessLog.setAdditive(false);
        accessLog.addAppender(access);

        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        context.getLogger("io.helidon.common.features").setLevel(Level.WARN);
        // a malformed request is answered with a 4xx by ErrorResponder; Helidon's own stack trace for it is noise
        context.getLogger("io.helidon.webserver.http1.Http1Connection").setLevel(Level.ERROR);
        context.addTurboFilter(new StopRaceFilter());
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv("GATEPASS_LOG_LEVEL"), Level.INFO));
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * A connection accepted in the instant before the stop closed the listening socket finds the web server's executor
     * shut down; Helidon logs that as an ERROR with a stack trace. The client only sees its connection closed, as any
     * connection after the stop; one line says so.
     */
    private static final class StopRaceFilter extends TurboFilter {
        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                                  Throwable t) {
            if (!(t instanceof RejectedExecutionException)
                    || !logger.getName().equals("io.helidon.webserver.ServerListener")) {
                return FilterReply.NEUTRAL;
            }
            logger.warn("a connection that arrived while the server was stopping was closed");
            return FilterReply.DENY;
        }
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
        if (format != null && format.toLowerCase(Locale.ROOT).equals("json")) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            json.setWithMDC(false);
            json.setWithArguments(false);
            json.setWithContext(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(PATTERN);
        text.start();
        return text;
    }
}
