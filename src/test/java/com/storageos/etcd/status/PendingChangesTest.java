package com.storageos.etcd.status;

import static com.storageos.etcd.membership.Cluster.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import org.junit.jupiter.api.Test;

/** The journal is the operator's only memory across a restart: what it records must read back the same. */
class PendingChangesTest {

    @Test
    void aForcedRecoveryStaysForcedAcrossAnOperatorRestart() {
        Journal forced = Journal.start(Operation.RecoverFromSurvivor, Phase.ForceNewCluster, 2, "http://etcd-2:2380", 0x102, T0)
                .withForced(true);
        assertThat(PendingChanges.read(PendingChanges.write(forced, "etcd-2", null))).contains(forced);
        Journal unforced = forced.withForced(false);
        assertThat(PendingChanges.write(unforced, "etcd-2", null).getForced()).as("omitted when false").isNull();
        assertThat(PendingChanges.read(PendingChanges.write(unforced, "etcd-2", null))).contains(unforced);
    }
}
