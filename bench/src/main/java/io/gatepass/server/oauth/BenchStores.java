package io.gatepass.server.oauth;

import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.store.sql.SqlStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** The throwaway embedded store a benchmark runs on: closed, and its directory removed, at the end of a trial. */
final class BenchStores {
    private BenchStores() {
    }

    static void close(AuditBatchWriter writer, SqlStore store, Path dir) throws IOException {
        writer.close();
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
