package io.gatepass.server.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where committed changes are announced: to this node's listeners (the caches), and through the change feed to
 * the other nodes sharing the database, whose listeners hear the same. Writers never invalidate a cache
 * themselves: the store announces what its repositories wrote once the transaction commits.
 */
public final class Changes {
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private volatile ChangeFeed feed = ChangeFeed.NONE;
    private final List<Runnable> everything = new CopyOnWriteArrayList<>();

    /** Hears every change, made here or announced by another node. */
    public void listen(Consumer<Change> listener) {
        listeners.add(listener);
    }

    /** Told when announcements may have been missed (a lost database connection): drop everything held. */
    public void onMissed(Runnable refresh) {
        everything.add(refresh);
    }

    /** Where this node's changes go to the others. */
    public void publishTo(ChangeFeed feed) {
        this.feed = feed;
    }

    /** A change this node committed. */
    public void announce(Change change) {
        tell(change);
        feed.publish(change.wire());
    }

    /** A change another node announced; not announced again. */
    public void heard(String wire) {
        Change change = Change.parse(wire);
        if (change == null) {
            missed(); // from a newer version: safest to drop everything
        } else {
            tell(change);
        }
    }

    /** Announcements may have been missed. */
    public void missed() {
        for (Runnable refresh : everything) refresh.run();
    }

    private void tell(Change change) {
        for (Consumer<Change> listener : listeners) listener.accept(change);
    }
}
