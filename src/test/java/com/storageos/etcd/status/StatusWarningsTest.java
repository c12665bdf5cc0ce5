package com.storageos.etcd.status;

import static com.storageos.etcd.membership.Cluster.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.spec.EtcdTuningSpec;
import com.storageos.etcd.api.v1alpha1.spec.StorageSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Step;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The warnings a healthy cluster still shows: NOSPACE, an even member count, a volume smaller than the quota. */
class StatusWarningsTest extends StatusComputerFixture {
    @Test
    void nospaceIsReportedAsDegradedWhileQuorumStaysHealthy() {
        ClusterObservation c = CONVERGED;
        ClusterObservation full = new ClusterObservation(c.etcdReachable(), c.members(), c.pods(), c.statefulSetReplicas(),
                c.claimOrdinals(), Set.of("NOSPACE"), 0, c.now(), "", Optional.empty());
        EtcdClusterStatus s = compute(3, full, new Step.Converged());
        assertCondition(s, Conditions.AVAILABLE, "True", "QuorumHealthy");
        assertCondition(s, Conditions.DEGRADED, "True", "NoSpace");
        assertCondition(s, Conditions.READY, "False", "NoSpace");
    }

    @Test
    void anEvenMemberCountIsWarnedAboutAndTheWarningGoesAwayForAnOddCount() {
        EtcdClusterStatus s = new EtcdClusterStatus();
        at(T0).apply(new StatusInput("etcd", 4, 1, CONVERGED, new Step.Converged(), null, null, "sel"), s);
        assertCondition(s, Conditions.EVEN_MEMBER_COUNT, "True", "EvenMemberCount");
        at(T0).apply(new StatusInput("etcd", 3, 2, CONVERGED, new Step.Converged(), null, null, "sel"), s);
        assertThat(Conditions.find(s.getConditions(), Conditions.EVEN_MEMBER_COUNT)).isEmpty();
    }

    @Test
    void aVolumeThatCannotHoldTheQuotaIsWarnedAboutUntilItGrows() {
        EtcdClusterStatus s = new EtcdClusterStatus();
        StorageSpec storage = new StorageSpec();
        storage.setSize("1Gi");
        EtcdTuningSpec etcd = new EtcdTuningSpec();

        at(T0).volumeFitsQuota(storage, etcd, 1, s);
        assertCondition(s, Conditions.QUOTA_EXCEEDS_VOLUME, "True", "QuotaExceedsVolume");
        assertThat(condition(s, Conditions.QUOTA_EXCEEDS_VOLUME).getMessage())
                .contains("spec.storage.size 1Gi cannot hold spec.etcd.quotaBackendBytes 8589934592").contains("at least 9Gi");
        storage.setSize("8Gi");
        at(T0).volumeFitsQuota(storage, etcd, 2, s);
        assertThat(Conditions.find(s.getConditions(), Conditions.QUOTA_EXCEEDS_VOLUME)).as("no room for the WAL").isPresent();

        storage.setSize("10Gi");
        at(T0).volumeFitsQuota(storage, etcd, 3, s);
        assertThat(Conditions.find(s.getConditions(), Conditions.QUOTA_EXCEEDS_VOLUME)).isEmpty();
        etcd.setQuotaBackendBytes(512L * 1024 * 1024);
        storage.setSize("1Gi");
        at(T0).volumeFitsQuota(storage, etcd, 4, s);
        assertThat(Conditions.find(s.getConditions(), Conditions.QUOTA_EXCEEDS_VOLUME)).as("a lowered quota fits").isEmpty();
    }
}
