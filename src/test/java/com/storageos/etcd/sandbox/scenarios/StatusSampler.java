package com.storageos.etcd.sandbox.scenarios;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.PendingChange;
import com.storageos.etcd.sandbox.Sandbox;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Samples the status every 200 ms: how many learners and members at once, and the journal's steps in order. */
final class StatusSampler implements AutoCloseable {
    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final AtomicInteger maxLearners = new AtomicInteger();
    private final AtomicInteger maxMembers = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private final Thread thread = new Thread(this::loop, "status-sampler");
    private final Sandbox sandbox;
    private final String name;
    private volatile boolean running = true;

    StatusSampler(Sandbox sandbox, String name) {
        this.sandbox = sandbox;
        this.name = name;
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                sandbox.cluster(name).map(EtcdCluster::getStatus).ifPresent(s -> {
                    samples.incrementAndGet();
                    var members = Optional.ofNullable(s.getMembers()).orElse(List.of());
                    maxLearners.accumulateAndGet((int) members.stream().filter(m -> "Learner".equals(m.getRole())).count(), Math::max);
                    maxMembers.accumulateAndGet(members.size(), Math::max);
                    String step = s.getPendingChange() == null ? "-" : describe(s.getPendingChange());
                    if (journal.isEmpty() || !journal.get(journal.size() - 1).equals(step)) {
                        journal.add(step);
                    }
                });
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // an API hiccup: sample again
            }
        }
    }

    int maxLearners() { return maxLearners.get(); }
    int maxMembers() { return maxMembers.get(); }
    int samples() { return samples.get(); }
    List<String> journal() { return List.copyOf(journal); }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(3000);
    }

    static String describe(PendingChange p) {
        return p.getOperation() + "/" + p.getPhase() + "/" + p.getOrdinal();
    }
}
