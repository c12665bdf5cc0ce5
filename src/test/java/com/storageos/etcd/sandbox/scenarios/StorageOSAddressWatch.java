package com.storageos.etcd.sandbox.scenarios;

import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.node.StorageOSClusterFixture;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Samples, every 100 ms: the member list first, then StorageOS's address; wrong while the address names a non-member. */
final class StorageOSAddressWatch implements AutoCloseable {
    final AtomicLong wrongMillis = new AtomicLong();
    final AtomicLong samples = new AtomicLong();
    final AtomicBoolean quorumLost = new AtomicBoolean();
    /** Every distinct address StorageOS had, in order. */
    final List<String> addresses = new CopyOnWriteArrayList<>();
    /** Every distinct (UID, address) the StorageOSCluster had, in order. */
    final List<StorageOSClusterFixture.Seen> incarnations = new CopyOnWriteArrayList<>();
    final AtomicLong absentMillis = new AtomicLong();
    private final Sandbox sandbox;
    /** The EtcdCluster's Available condition status, read each sample. */
    private final Supplier<String> available;
    private final EtcdAdmin admin;
    private final Thread thread;
    private volatile boolean running = true;

    StorageOSAddressWatch(List<String> endpoints, Sandbox sandbox, Supplier<String> available) {
        this.sandbox = sandbox;
        this.available = available;
        admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(1)).connect(endpoints);
        thread = new Thread(this::loop, "address-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            long t = System.nanoTime();
            try {
                Set<String> members = admin.listMembers().stream().flatMap(m -> m.clientUrls().stream())
                        .map(u -> u.substring("http://".length())).collect(Collectors.toSet());
                Optional<StorageOSClusterFixture.Seen> seen = StorageOSClusterFixture.read(sandbox);
                samples.incrementAndGet();
                if (seen.isEmpty()) {
                    absentMillis.addAndGet(100);
                } else {
                    record(seen.get(), members);
                }
                if ("False".equals(available.get())) {
                    quorumLost.set(true);
                }
            } catch (RuntimeException unanswered) {
                // A sample etcd or the API server did not answer in time: not counted either way.
            }
            long left = 100 - (System.nanoTime() - t) / 1_000_000;
            try {
                Thread.sleep(Math.max(left, 0));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void record(StorageOSClusterFixture.Seen seen, Set<String> members) {
        if (addresses.isEmpty() || !addresses.get(addresses.size() - 1).equals(seen.address())) {
            addresses.add(seen.address());
        }
        // A new UID, or the same object under another address (Recreate never edits one in place).
        if (!incarnations.contains(seen)) {
            incarnations.add(seen);
        }
        if (!members.containsAll(List.of(seen.address().split(",")))) {
            wrongMillis.addAndGet(100);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(3000);
        admin.close();
    }
}
