package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.pods.ClusterOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;

/**
 * The real {@link StepExecutor} over members run as local processes ({@link LocalMemberRunner}): a pod restart or eviction
 * kills the member's process, which the runner starts again as the StatefulSet would; events go nowhere. An
 * {@link InMemoryJournal.InjectedCrash} ends the step as an operator crash would, with nothing after the write done.
 */
record LocalStepExecution(LocalMemberRunner runner, InMemoryJournal journal, EtcdCluster resource, ClusterNames names,
                          boolean volumesDeletable) {

    StepResult execute(Step step, EtcdAdmin admin, ClusterObservation observation) {
        ClusterEvents silent = new ClusterEvents(null, Clock.systemUTC()) {
            @Override
            public void normal(EtcdCluster c, String reason, String message) {
            }

            @Override
            public void warning(EtcdCluster c, String reason, String message) {
            }
        };
        try {
            return new StepExecutor(admin, journal, new Operations(), silent, resource, names, Clock.systemUTC(), observation).execute(step);
        } catch (InMemoryJournal.InjectedCrash crash) {
            return StepResult.after(Duration.ZERO);
        }
    }

    private final class Operations implements ClusterOperations {
        @Override
        public Disrupted evictPod(int ordinal, String uid) {
            runner.kill(ordinal);
            return Disrupted.DONE;
        }

        @Override
        public Disrupted deletePod(int ordinal, String uid) {
            runner.kill(ordinal);
            return Disrupted.DONE;
        }

        @Override
        public Disrupted evictStorageOSNode(String namespace, String pod, String uid) {
            throw new UnsupportedOperationException("no StorageOS runs beside these local members");
        }

        @Override
        public void deleteDataClaim(int ordinal) {
            if (!volumesDeletable) {
                return;
            }
            try {
                runner.deleteVolume(ordinal);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
