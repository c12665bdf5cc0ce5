package com.storageos.etcd.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * On real etcd, what the operator's recovery from a survivor relies on, done by hand: after two of three members
 * lost their process and volume, the survivor restarted with --force-new-cluster runs alone under its own member ID
 * (etcd itself removes the others), restarts without the flag, and grows back through learners. Prints the time:
 * etcd's floor for RecoverFromSurvivorSystemIT.
 */
class ForceNewClusterEtcdIT {
    @Test
    void aSurvivorForcedIntoANewClusterRunsAloneUnderItsOwnIdAndGrowsBackThroughLearners() throws Exception {
        long millis = RecoveryFloors.survivorRecovery();
        assertThat(millis).isPositive();
        System.out.printf("etcd floor, recovery from a survivor by hand (force-new-cluster restart, restart without the flag,"
                + " two learners added, started and promoted): %d ms%n", millis);
    }
}
