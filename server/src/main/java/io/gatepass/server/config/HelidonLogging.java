package io.gatepass.server.config;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Tells Helidon that the server's logging is set up already ({@link LogConfigurator}; Helidon's own System.Logger
 * records reach it through SLF4J: the platform-logging binding in the CLI, or the JUL bridge): without a provider,
 * Helidon prints a line of its own to standard error on every start, which is not a log event, and no JSON in
 * {@code GATEPASS_LOG_FORMAT=json}.
 */
public final class HelidonLogging implements LoggingProvider {
    @Override
    public void initialization() {
        // nothing to set up: Logback is configured by the time Helidon starts
    }

    @Override
    public void runTime() {
        // likewise: no native image, no reconfiguration at run time
    }
}
