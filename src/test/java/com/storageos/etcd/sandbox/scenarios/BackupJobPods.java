package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.sandbox.Sandbox;
import java.nio.file.Path;

/** What the sandbox node leaves of backup Jobs, as a user would read it with kubectl: their pods, and the claim they write to. */
final class BackupJobPods {
    private BackupJobPods() {
    }

    /** Every Job pod of the namespace ended Failed, exit code 1, with {@code message} in its container's termination message. */
    static void assertEachFailed(Sandbox sandbox, int attempts, String message) {
        assertThat(sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).withLabel("job-name").list().getItems())
                .as("one pod per attempt, each Failed with the tool's error as its termination message").hasSize(attempts)
                .allSatisfy(p -> {
                    assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
                    assertThat(p.getStatus().getContainerStatuses().get(0).getState().getTerminated())
                            .satisfies(t -> assertThat(t.getExitCode()).isEqualTo(1))
                            .satisfies(t -> assertThat(t.getMessage()).contains(message));
                });
    }

    /** The directory of the volume bound to {@code claim} on the sandbox node. */
    static Path claimDir(Sandbox sandbox, String claim) {
        var bound = sandbox.client().persistentVolumeClaims().inNamespace(Sandbox.NAMESPACE).withName(claim).get();
        return Path.of(sandbox.client().persistentVolumes().withName(bound.getSpec().getVolumeName()).get().getSpec().getHostPath().getPath());
    }
}
