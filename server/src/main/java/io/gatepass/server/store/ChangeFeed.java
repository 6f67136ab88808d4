package io.gatepass.server.store;

/**
 * Tells the other nodes sharing a database what changed, so that they drop what they cached about it. Each
 * node applies changes it hears with {@code apply}-style methods that do not publish again. The embedded store
 * has one node and no feed.
 *
 * <p>Changes: {@code client <client_id>}, {@code api <id> <identifier>}, {@code clients} (every app),
 * {@code revocations}, {@code keys}.
 */
public interface ChangeFeed {
    ChangeFeed NONE = change -> {
    };

    /** Called after the change committed. */
    void publish(String change);
}
