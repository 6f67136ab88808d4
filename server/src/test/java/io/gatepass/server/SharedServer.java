package io.gatepass.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real server for all the tests of a class: started on a fresh data directory before the first (and before
 * the class's own {@code @BeforeAll}), closed after the last.
 */
abstract class SharedServer {
    @TempDir
    static Path dataDir;
    static TestServer gatepass;

    @BeforeAll
    static void startSharedServer() {
        gatepass = TestServer.start(dataDir);
    }

    @AfterAll
    static void stopSharedServer() {
        gatepass.close();
    }
}
