package com.storageos.etcd.desired;

import static com.storageos.etcd.desired.MemberStatefulSetBuilderTest.SETTINGS;
import static com.storageos.etcd.desired.MemberStatefulSetBuilderTest.cluster;
import static com.storageos.etcd.desired.MemberStatefulSetBuilderTest.pod;
import static com.storageos.etcd.desired.MemberStatefulSetBuilderTest.templateHash;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.BootstrapSpec;
import com.storageos.etcd.api.v1alpha1.spec.PvcDestinationSpec;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.PendingChange;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

/** The backup store a restore reads is mounted into the bootstrap only while the restore needs it, restarting no member for it. */
class MemberRestoreMountTest {
    @Test
    void aRestoreSourceIsMountedForTheBootstrapOnlyUntilTheClusterHasFormed() {
        EtcdCluster c = cluster();
        var restore = new RestoreSpec();
        restore.setPvc(new PvcDestinationSpec());
        restore.getPvc().setClaimName("etcd-backups");
        c.getSpec().setBootstrap(new BootstrapSpec());
        c.getSpec().getBootstrap().setRestore(restore);

        PodSpec seeding = pod(MemberStatefulSet.build(c, 1, SETTINGS, null));
        String seedingHash = templateHash(MemberStatefulSet.build(c, 1, SETTINGS, null));
        assertThat(seeding.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .singleElement().satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("etcd-backups"));
        assertThat(seeding.getInitContainers().get(0).getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/backup"));
        assertThat(seeding.getContainers().get(0).getVolumeMounts()).noneSatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/backup"));

        c.setStatus(new EtcdClusterStatus());
        c.getStatus().setClusterId("cafe");
        PodSpec formed = pod(MemberStatefulSet.build(c, 3, SETTINGS, null));
        assertThat(formed.getVolumes()).as("later members must not wait for a ReadWriteOnce backup claim")
                .noneSatisfy(v -> assertThat(v.getPersistentVolumeClaim()).isNotNull());
        assertThat(templateHash(MemberStatefulSet.build(c, 3, SETTINGS, null))).as("the restore source going restarts no member")
                .isEqualTo(seedingHash);
    }

    /** A restore in place: spec.backup's store is mounted for the bootstrap while the RestoreFromBackup journal is open. */
    @Test
    void aRestoreInPlaceMountsTheBackupStoreOnlyWhileItsJournalIsOpenAndRestartsNoMemberForIt() {
        EtcdCluster c = cluster();
        var backup = new BackupSpec();
        backup.setPvc(new PvcDestinationSpec());
        backup.getPvc().setClaimName("etcd-backups");
        c.getSpec().setBackup(backup);
        c.setStatus(new EtcdClusterStatus());
        c.getStatus().setClusterId("cafe");
        String before = templateHash(MemberStatefulSet.build(c, 3, SETTINGS, null));

        var journal = new PendingChange();
        journal.setOperation("RestoreFromBackup");
        journal.setPhase("SeedFromBackup");
        c.getStatus().setPendingChange(journal);
        StatefulSet restoring = MemberStatefulSet.build(c, 3, SETTINGS, null);
        assertThat(pod(restoring).getVolumes()).anySatisfy(v -> assertThat(v.getName()).isEqualTo(RestoreSource.VOLUME));
        assertThat(pod(restoring).getInitContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("BACKUP_DIR=/backup/" + c.getMetadata().getName()));
        assertThat(templateHash(restoring)).isEqualTo(before);
    }
}
