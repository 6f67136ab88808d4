package io.gatepass.server.store.sql;

import io.gatepass.server.store.DuplicateKeyException;
import java.sql.SQLException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

final class SqlErrors {
    private static final int SQLITE_CONSTRAINT = 19;

    private SqlErrors() {
    }

    /** Runs a write, turning a unique-constraint violation into {@link DuplicateKeyException}. */
    static void translateDuplicates(String message, Runnable write) {
        try {
            write.run();
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && isUniqueViolation(sql)) {
                throw new DuplicateKeyException(message, e);
            }
            throw e;
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        if ("23505".equals(state)) return true; // PostgreSQL unique_violation
        return (e.getErrorCode() & 0xff) == SQLITE_CONSTRAINT
                && e.getMessage() != null && e.getMessage().contains("UNIQUE");
    }
}
