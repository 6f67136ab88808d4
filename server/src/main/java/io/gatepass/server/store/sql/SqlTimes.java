package io.gatepass.server.store.sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Epoch-millisecond columns, the one time format of the schema. */
final class SqlTimes {
    private SqlTimes() {
    }

    static Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /** Sets {@code last_used_at} of each row to its time unless the row already holds a later one. */
    static void touch(Handle handle, String table, String idColumn, Map<String, Instant> lastUseById) {
        if (lastUseById.isEmpty()) return;
        PreparedBatch batch = handle.prepareBatch("UPDATE " + table + " SET last_used_at = :at WHERE " + idColumn
                + " = :id AND (last_used_at IS NULL OR last_used_at < :at)");
        for (Map.Entry<String, Instant> use : lastUseById.entrySet()) {
            batch.bind("id", use.getKey()).bind("at", use.getValue().toEpochMilli()).add();
        }
        batch.execute();
    }
}
