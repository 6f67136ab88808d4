package io.gatepass.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The logging the server sets up for itself (these tests run with it: there is no logback-test.xml). */
class LogConfiguratorTest {
    @Test
    void helidonWhenItRejectsAConnectionDuringTheStopThenOneWarningWithoutAStackTrace() {
        Logger listener = (Logger) LoggerFactory.getLogger("io.helidon.webserver.ServerListener");
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        listener.addAppender(events);
        try {
            // as Helidon logs it when a connection was accepted just before its executor shut down
            listener.error("Executor rejected handler for new connection", new RejectedExecutionException());
            // anything else of the listener's is left as it is
            listener.error("Exception thrown on socket close", new IllegalStateException("closed"));
        } finally {
            listener.detachAppender(events);
        }
        assertThat(events.list).hasSize(2);
        ILoggingEvent rejected = events.list.get(0);
        assertThat(rejected.getLevel()).isEqualTo(Level.WARN);
        assertThat(rejected.getFormattedMessage()).isEqualTo("a connection that arrived while the server was stopping was closed");
        assertThat(rejected.getThrowableProxy()).isNull();
        assertThat(events.list.get(1).getLevel()).isEqualTo(Level.ERROR);
        assertThat(events.list.get(1).getThrowableProxy()).isNotNull();
    }
}
