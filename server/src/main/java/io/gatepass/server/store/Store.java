package io.gatepass.server.store;

import java.util.function.Function;

/**
 * The persistent store. Every management change runs in one {@link #inTransaction} call, so a crash
 * mid-request never leaves half an app behind.
 */
public interface Store extends AutoCloseable {

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    <T> T inTransaction(Function<StoreTransaction, T> work);

    /**
     * Runs read-only {@code work} without taking the write lock. Reads in it may see changes committed while it
     * runs; callers that cache what they read rely on invalidation after each commit.
     */
    <T> T read(Function<StoreTransaction, T> work);

    /** Whether several nodes share this store (PostgreSQL), so that what one node holds in memory is not the truth. */
    default boolean shared() {
        return false;
    }

    /**
     * Starts hearing the changes other nodes announce, and returns where this node announces its own; the embedded
     * store returns {@link ChangeFeed#NONE}. Closed with the store.
     *
     * @param apply      applies one announced change
     * @param refreshAll drops everything cached, after announcements may have been missed
     */
    default ChangeFeed changeFeed(java.util.function.Consumer<String> apply, Runnable refreshAll) {
        return ChangeFeed.NONE;
    }

    /**
     * How many nodes share this store now (each listening for changes); 1 for the embedded store. Nodes divide an
     * app's token budget by it.
     */
    default int liveNodes() {
        return 1;
    }

    /** Where the changes committed transactions made are announced (after each commit). */
    void announceTo(Changes changes);

    /** Whether the store answers a trivial query now. */
    boolean isReachable();

    @Override
    void close();
}
