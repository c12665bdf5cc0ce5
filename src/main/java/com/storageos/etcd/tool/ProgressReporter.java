package com.storageos.etcd.tool;

import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.ProgressStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A tool's own status.progress entry while it works: rewritten at most once per {@code interval} (a snapshot streams many
 * chunks a second), removed when the tool ends. Best effort: a status write that fails must not fail the backup or defrag.
 */
public final class ProgressReporter {
    private final ClusterRecorder recorder;
    private final Clock clock;
    private final String operation;
    private final String unit;
    private final Duration interval;
    private Instant last = Instant.MIN;

    public ProgressReporter(ClusterRecorder recorder, Clock clock, String operation, String unit, Duration interval) {
        this.recorder = recorder;
        this.clock = clock;
        this.operation = operation;
        this.unit = unit;
        this.interval = interval;
    }

    /** Writes the entry unless one was written less than the interval ago. */
    public void report(long done, Long total, String message) {
        Instant now = clock.instant();
        if (now.isBefore(last.plus(interval))) {
            return;
        }
        last = now;
        ProgressStatus entry = new ProgressStatus(operation, done, total, unit, message);
        entry.setUpdateTime(now.toString());
        write(s -> s.add(entry));
    }

    /** The tool ended: its entry goes, whatever the outcome (status.lastBackup or status.lastDefrag tells that). */
    public void clear() {
        write(s -> { });
    }

    private void write(Consumer<List<ProgressStatus>> addOwn) {
        try {
            recorder.record(s -> s.setProgress(replaced(s, addOwn)));
        } catch (KubernetesClientException e) {
            System.err.println("could not record " + operation + " progress: " + e.getMessage());
        }
    }

    private List<ProgressStatus> replaced(EtcdClusterStatus status, Consumer<List<ProgressStatus>> addOwn) {
        List<ProgressStatus> list = new ArrayList<>(Optional.ofNullable(status.getProgress()).orElse(List.of()));
        list.removeIf(p -> operation.equals(p.getOperation()));
        addOwn.accept(list);
        list.sort(Comparator.comparing(ProgressStatus::getOperation));
        return list.isEmpty() ? null : list;
    }
}
