package io.gatepass.server.store.sql;

import io.gatepass.server.store.Change;
import io.gatepass.server.store.Changes;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gatepass.server.store.Store;
import io.gatepass.server.store.StoreTransaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The store on a SQL database through JDBI: the embedded SQLite file, or PostgreSQL shared by several nodes. */
public final class SqlStore implements Store {
    static final String SQLITE_FILE = "gatepass.db";

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    /** The PostgreSQL URL, or {@code null} for the embedded store. */
    private final String postgresUrl;
    private PostgresChangeFeed feed;
    private volatile Changes changes = new Changes();

    private SqlStore(HikariDataSource dataSource, String postgresUrl) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.postgresUrl = postgresUrl;
    }

    /** Opens (creating if needed) the SQLite store in {@code dataDir} and brings its schema up to date. */
    public static SqlStore openSqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL); // a committed management change survives power loss
        sqlite.enforceForeignKeys(true);
        sqlite.setBusyTimeout(10_000);
        // Take the write lock at BEGIN: a deferred transaction that reads and then writes can fail
        // with SQLITE_BUSY instead of waiting when another writer got in between.
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource sqliteDataSource = new SQLiteDataSource(sqlite);
        sqliteDataSource.setUrl("jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE).toAbsolutePath());

        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqliteDataSource);
        hikari.setPoolName("gatepass-sqlite");
        hikari.setMaximumPoolSize(4);
        hikari.setMinimumIdle(1);
        return migrated(new HikariDataSource(hikari), null);
    }

    /**
     * Opens the PostgreSQL store at {@code jdbcUrl} (credentials in the URL or the usual pgjdbc parameters) and
     * brings its schema up to date; several nodes may do this at once (Flyway locks the schema history).
     */
    public static SqlStore openPostgres(String jdbcUrl) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl);
        hikari.setPoolName("gatepass-postgres");
        hikari.setMaximumPoolSize(10);
        hikari.setMinimumIdle(2);
        hikari.setConnectionTimeout(3_000); // fail fast when the database is away: requests get a 503
        hikari.setInitializationFailTimeout(10_000);
        return migrated(new HikariDataSource(hikari), jdbcUrl);
    }

    private static SqlStore migrated(HikariDataSource pooled, String postgresUrl) {
        String dialect = postgresUrl == null ? "sqlite" : "postgresql";
        try {
            Flyway.configure()
                    .dataSource(pooled)
                    .locations("classpath:db/migration/" + dialect)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pooled.close();
            throw e;
        }
        return new SqlStore(pooled, postgresUrl);
    }

    @Override
    public boolean shared() {
        return postgresUrl != null;
    }

    /** The nodes whose change listener is connected (PostgresChangeFeed names its connection); at least 1. */
    @Override
    public int liveNodes() {
        if (postgresUrl == null) return 1;
        int count = jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND application_name = :name")
                .bind("name", PostgresChangeFeed.APPLICATION_NAME).mapTo(Integer.class).one());
        return Math.max(1, count);
    }

    @Override
    public synchronized io.gatepass.server.store.ChangeFeed changeFeed(java.util.function.Consumer<String> apply,
                                                                      Runnable refreshAll) {
        if (postgresUrl == null) return io.gatepass.server.store.ChangeFeed.NONE;
        if (feed == null) feed = new PostgresChangeFeed(dataSource, postgresUrl, apply, refreshAll);
        return feed;
    }

    @Override
    public <T> T inTransaction(Function<StoreTransaction, T> work) {
        SqlTransaction[] tx = new SqlTransaction[1];
        T result = jdbi.inTransaction(handle -> {
            tx[0] = new SqlTransaction(handle, postgresUrl != null);
            return work.apply(tx[0]);
        });
        // committed: now what it changed may be announced (never for a transaction that rolled back)
        for (Change change : tx[0].changes()) changes.announce(change);
        return result;
    }

    @Override
    public void announceTo(Changes changes) {
        this.changes = changes;
    }

    @Override
    public <T> T read(Function<StoreTransaction, T> work) {
        // a pooled connection that died with the database (a restart) fails once and the pool drops it; a read is
        // safe to run again, on another connection (a few times: the pool may hold more than one dead connection)
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.withHandle(handle -> work.apply(new SqlTransaction(handle, postgresUrl != null)));
            } catch (org.jdbi.v3.core.JdbiException e) {
                if (attempt >= 3 || !brokenConnection(e)) throw e;
            }
        }
    }

    /** SQLSTATE class 08 (connection exception) or 57P0x (the server shut down): the connection, not the query. */
    private static boolean brokenConnection(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isReachable() {
        try {
            return jdbi.withHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (feed != null) feed.close();
        dataSource.close();
    }
}
