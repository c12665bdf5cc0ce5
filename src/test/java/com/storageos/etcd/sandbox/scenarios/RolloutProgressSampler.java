package com.storageos.etcd.sandbox.scenarios;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.ProgressStatus;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * Samples the Progressing condition every 200 ms, each sample tagged with the pod deletions seen by
 * then, so that a test can take the samples from one deletion to another.
 */
final class RolloutProgressSampler implements AutoCloseable {
    private record Sample(int deletionsSeen, Condition progressing, Optional<ProgressStatus> rollout) {
    }

    private final Sandbox sandbox;
    private final String name;
    private final MemberPodWatch pods;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread thread = new Thread(this::loop, "progress-sampler");
    private volatile boolean running = true;

    RolloutProgressSampler(Sandbox sandbox, String name, MemberPodWatch pods) {
        this.sandbox = sandbox;
        this.name = name;
        this.pods = pods;
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                int seen = pods.deletions().size();
                sandbox.cluster(name).map(EtcdCluster::getStatus).ifPresent(s -> Conditions.find(s.getConditions(), Conditions.PROGRESSING)
                        .ifPresent(c -> samples.add(new Sample(seen, c, Optional.ofNullable(s.getProgress()).orElse(List.of()).stream()
                                .filter(p -> "Rollout".equals(p.getOperation())).findFirst()))));
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // an API hiccup: sample again
            }
        }
    }

    /** The members on the new template that status.progress gave, in the order sampled. */
    List<Long> rolloutDone() {
        return samples.stream().flatMap(s -> s.rollout().stream()).map(ProgressStatus::getDone).toList();
    }

    List<Condition> samples() {
        return samples.stream().map(Sample::progressing).toList();
    }

    /**
     * From the first Progressing=True after the first pod's deletion (the reconcile that deleted it writes
     * the status just after) to the last pod's deletion.
     */
    List<Condition> inFlight() {
        int total = pods.deletions().size();
        List<Sample> after = samples.stream().filter(s -> s.deletionsSeen() >= 1 && s.deletionsSeen() < total).toList();
        int first = IntStream.range(0, after.size())
                .filter(i -> "True".equals(after.get(i).progressing().getStatus())).findFirst().orElse(after.size());
        return after.subList(first, after.size()).stream().map(Sample::progressing).toList();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(3000);
    }
}
