package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.etcdclient.KeyEvent;
import java.util.List;

/**
 * Where a chain stands: the next revision it needs. Every etcd revision is one write transaction with at least one
 * change, so the watch's revisions follow one another without a hole; a hole means changes were missed, and the chain
 * must not go on past it. Revisions already held (a watch resumed a little early) are dropped.
 */
public final class ChainCursor {
    private long next;

    public ChainCursor(long next) {
        this.next = next;
    }

    public long next() {
        return next;
    }

    /** The events not yet held, in order; throws {@link Gap} on a hole, leaving the cursor before it. */
    public List<KeyEvent> accept(List<KeyEvent> events) throws Gap {
        long expected = next;
        for (KeyEvent e : events) {
            if (e.modRevision() > expected) {
                throw new Gap(expected, e.modRevision());
            }
            if (e.modRevision() == expected) {
                expected++;
            }
        }
        long from = next;
        next = expected;
        return events.stream().filter(e -> e.modRevision() >= from).toList();
    }

    /** The watch skipped from {@code expected} to {@code got}. */
    public static final class Gap extends Exception {
        public Gap(long expected, long got) {
            super("the watch jumped from revision " + expected + " to " + got);
        }
    }
}
