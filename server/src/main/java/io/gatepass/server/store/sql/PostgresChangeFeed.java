package io.gatepass.server.store.sql;

import io.gatepass.server.store.ChangeFeed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes between nodes through PostgreSQL's {@code LISTEN/NOTIFY}: a node announces each committed change
 * with {@code pg_notify}, and every node listens on its own connection, applying what it hears within
 * milliseconds. When the listening connection is lost (the database restarted) the node reconnects on its own and
 * drops everything it cached, since announcements may have been missed; the same full refresh also runs
 * periodically as a safety net.
 */
final class PostgresChangeFeed implements ChangeFeed, AutoCloseable {
    /** The application_name of each node's listening connection, by which {@code SqlStore.liveNodes} counts nodes. */
    static final String APPLICATION_NAME = "gatepass-node";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);
    static final String CHANNEL = "gatepass_changes";
    private static final Duration FULL_REFRESH = Duration.ofSeconds(30);
    private static final int POLL_MILLIS = 250;

    private final DataSource pool;
    private final String jdbcUrl;
    private final Consumer<String> apply;
    private final Runnable refreshAll;
    private final Thread listener;
    private volatile boolean closed;
    private volatile Connection listening;

    PostgresChangeFeed(DataSource pool, String jdbcUrl, Consumer<String> apply, Runnable refreshAll) {
        this.pool = pool;
        this.jdbcUrl = jdbcUrl;
        this.apply = apply;
        this.refreshAll = refreshAll;
        this.listener = Thread.ofPlatform().name("gatepass-change-listener").daemon().start(this::listen);
    }

    @Override
    public void publish(String change) {
        try (Connection connection = pool.getConnection();
             PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, change);
            notify.execute();
        } catch (SQLException e) {
            // the other nodes pick it up at their next full refresh
            LOG.warn("could not announce change '{}' to the other nodes: {}", change, e.getMessage());
        }
    }

    private void listen() {
        long backoff = 250;
        while (!closed) {
            java.util.Properties properties = new java.util.Properties();
            properties.setProperty("ApplicationName", APPLICATION_NAME); // one per node: how nodes count each other
            try (Connection connection = DriverManager.getConnection(jdbcUrl, properties)) {
                listening = connection;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                refreshSafely(); // whatever happened while not listening
                backoff = 250;
                PGConnection pg = connection.unwrap(PGConnection.class);
                long nextRefresh = System.nanoTime() + FULL_REFRESH.toNanos();
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) applySafely(notification.getParameter());
                    }
                    if (System.nanoTime() >= nextRefresh) {
                        refreshSafely();
                        nextRefresh = System.nanoTime() + FULL_REFRESH.toNanos();
                    }
                }
            } catch (SQLException e) {
                if (closed) return;
                LOG.warn("listening for changes of other nodes failed ({}); reconnecting in {} ms", e.getMessage(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private void applySafely(String change) {
        try {
            apply.accept(change);
        } catch (RuntimeException e) {
            LOG.warn("applying change '{}' failed: {}", change, e.getMessage());
        }
    }

    private void refreshSafely() {
        try {
            refreshAll.run();
        } catch (RuntimeException e) {
            LOG.warn("refreshing from the database failed: {}", e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            Connection connection = listening;
            if (connection != null) connection.close();
        } catch (SQLException e) {
            // closing anyway
        }
        try {
            listener.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
