package com.storageos.etcd.sandbox.scenarios;

import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/** What the recovery system tests read back from one sandbox cluster to tell what was touched and what was kept. */
final class ClusterEvidence {
    private final SandboxCluster fixture;
    private final String name;

    ClusterEvidence(SandboxCluster fixture, String name) {
        this.fixture = fixture;
        this.name = name;
    }

    Condition available() {
        return Conditions.find(fixture.cluster().getStatus().getConditions(), Conditions.AVAILABLE).orElseThrow();
    }

    Condition degraded() {
        return Conditions.find(fixture.cluster().getStatus().getConditions(), Conditions.DEGRADED).orElseThrow();
    }

    /** Member name to etcd member ID, as the status records them. */
    Map<String, String> memberIds() {
        return fixture.cluster().getStatus().getMembers().stream().filter(m -> m.getName() != null && m.getId() != null)
                .collect(Collectors.toMap(MemberStatus::getName, MemberStatus::getId));
    }

    /** Pod name to UID: a restarted (recreated) pod has a new one. */
    Map<String, String> podUids() {
        return fixture.sandbox().client().pods().inNamespace(Sandbox.NAMESPACE).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(name + "-"))
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
    }

    List<String> eventReasons() {
        return fixture.sandbox().client().v1().events().inNamespace(Sandbox.NAMESPACE).list().getItems().stream()
                .map(e -> e.getReason()).distinct().toList();
    }

    /** Waits until the status journals this operation (status.pendingChange), as the operator writes it before it acts. */
    void awaitJournal(String operation) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> fixture.cluster().getStatus().getPendingChange() != null
                && operation.equals(fixture.cluster().getStatus().getPendingChange().getOperation()));
    }

    /**
     * Waits until events of these reasons are out. A recovery's or restore's events follow the write of its journal, by
     * design: an operator killed between the two leaves the plan in status.recovery.message and sends no event (events
     * are best effort). A test that kills the operator once the journal is written, and then looks for those events,
     * kills it after this, still long before the recovery is done.
     */
    void awaitEvents(String... reasons) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> eventReasons().containsAll(List.of(reasons)));
    }

    /** The data dirs the bootstrap tool moved aside on the members' volumes, anywhere under the sandbox. */
    List<Path> movedAside() throws IOException {
        try (Stream<Path> files = Files.walk(fixture.sandbox().root())) {
            return files.filter(p -> p.getFileName().toString().startsWith("data.before-recovery-") && Files.isDirectory(p)).toList();
        }
    }
}
