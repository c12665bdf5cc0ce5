package com.storageos.etcd.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * On real etcd, the hand steps a restore in place from a backup stands for, after every member lost its process and
 * volume: etcdctl snapshot restore into member 0's data dir, start it, add the other two as learners and promote them.
 * Prints the time: etcd's floor for RestoreFromBackupSystemIT.
 */
class RestoreFloorEtcdIT {
    @Test
    void aSnapshotRestoredByHandGrowsBackToThreeVoters() throws Exception {
        long millis = RecoveryFloors.backupRestore();
        assertThat(millis).isPositive();
        System.out.printf("etcd floor, restore from a backup by hand (etcdctl snapshot restore, start member 0, two learners"
                + " added, started and promoted): %d ms%n", millis);
    }
}
