package com.storageos.etcd.tool.backup;

import com.storageos.etcd.etcdclient.KeyEvent;
import java.time.Instant;

/** One recorded change and when the follower received it: a restore to a time keeps the changes seen by then. */
public record Change(KeyEvent event, Instant seen) {
    public long revision() {
        return event.modRevision();
    }
}
