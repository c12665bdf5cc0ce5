package com.storageos.etcd.membership;

import java.time.Duration;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Everything the planner decides from.
 *
 * @param desiredReplicas   spec.replicas
 * @param clusterFormed     the cluster has formed before (status.clusterId is set): never bootstrap again
 * @param peerUrlOf         the peer URL the member with an ordinal has
 * @param learnerDeadline   how long a learner may take to start and catch up before it is removed (and added again later)
 * @param recordedPods      the pods the recorded membership needs ({@link RecordedMembership#podCount})
 * @param recovery          a request to recover from the survivors that was not handled yet
 * @param migration         spec.bootstrap.join and its recorded progress, when this cluster takes over an external one
 * @param survivorDeadline  how long the survivor of a recovery may take to run alone before the status says the recovery is
 *                          stuck, with the commands that supersede or abort it
 */
public record PlanInput(int desiredReplicas, ClusterObservation observation, Optional<Journal> journal,
                        boolean clusterFormed, IntFunction<String> peerUrlOf, Duration learnerDeadline, int recordedPods,
                        Optional<RecoveryRequest> recovery, Optional<MigrationInput> migration, Duration survivorDeadline) {
    /** The operator's default {@code etcd-operator.survivor-deadline}. */
    public static final Duration SURVIVOR_DEADLINE = Duration.ofMinutes(5);

    public PlanInput(int desiredReplicas, ClusterObservation observation, Optional<Journal> journal, boolean clusterFormed,
                     IntFunction<String> peerUrlOf, Duration learnerDeadline, int recordedPods, Optional<RecoveryRequest> recovery,
                     Optional<MigrationInput> migration) {
        this(desiredReplicas, observation, journal, clusterFormed, peerUrlOf, learnerDeadline, recordedPods, recovery, migration,
                SURVIVOR_DEADLINE);
    }

    public PlanInput(int desiredReplicas, ClusterObservation observation, Optional<Journal> journal, boolean clusterFormed,
                     IntFunction<String> peerUrlOf, Duration learnerDeadline, int recordedPods, Optional<RecoveryRequest> recovery) {
        this(desiredReplicas, observation, journal, clusterFormed, peerUrlOf, learnerDeadline, recordedPods, recovery, Optional.empty());
    }
}
