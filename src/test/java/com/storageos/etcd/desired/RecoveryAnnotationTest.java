package com.storageos.etcd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.EtcdClusterSpec;
import com.storageos.etcd.api.v1alpha1.spec.PvcDestinationSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.membership.RecoveryRequest;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoveryAnnotationTest {

    private static EtcdCluster cluster(Map<String, String> annotations, String handled) {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("storageos-etcd").withAnnotations(annotations).build());
        c.setSpec(new EtcdClusterSpec());
        if (handled != null) {
            RecoveryStatus r = new RecoveryStatus();
            r.setRequest(handled);
            EtcdClusterStatus s = new EtcdClusterStatus();
            s.setRecovery(r);
            c.setStatus(s);
        }
        return c;
    }

    @Test
    void eachValueIsServedOnceAndANewValueIsANewRequest() {
        assertThat(RecoveryAnnotation.pending(cluster(Map.of(), null))).isEmpty();
        assertThat(RecoveryAnnotation.pending(cluster(Map.of(RecoveryAnnotation.ANNOTATION, "1700000000"), null)))
                .contains(RecoveryRequest.of("1700000000")).hasValueSatisfying(r -> assertThat(r.force()).isFalse());
        assertThat(RecoveryAnnotation.pending(cluster(Map.of(RecoveryAnnotation.ANNOTATION, "1700000000"), "1700000000"))).isEmpty();
        assertThat(RecoveryAnnotation.pending(cluster(Map.of(RecoveryAnnotation.ANNOTATION, "force-1700000001"), "1700000000")))
                .hasValueSatisfying(r -> assertThat(r.force()).isTrue());
    }

    @Test
    void anAbortIsServedBeforeAnyOtherRequestAndOnceLikeThem() {
        EtcdCluster c = cluster(Map.of(RecoveryAnnotation.ANNOTATION, "2", RecoveryAnnotation.ABORT_ANNOTATION, "1700000000"), null);
        assertThat(RecoveryAnnotation.pending(c)).contains(RecoveryRequest.abort("1700000000"));
        assertThat(RecoveryAnnotation.annotationOf(RecoveryRequest.abort("1"))).isEqualTo("etcd.storageos.com/abort-recovery");
        RecoveryStatus handled = new RecoveryStatus();
        handled.setHandled(Map.of(RecoveryAnnotation.ABORT_ANNOTATION, "1700000000"));
        c.setStatus(new EtcdClusterStatus());
        c.getStatus().setRecovery(handled);
        assertThat(RecoveryAnnotation.pending(c)).contains(RecoveryRequest.of("2"));
    }

    @Test
    void aRestoreRequestNamesItsBackupAndWhereItIsRead() {
        EtcdCluster c = cluster(Map.of(RecoveryAnnotation.RESTORE_ANNOTATION, "force-latest#2"), null);
        assertThat(RecoveryAnnotation.pending(c)).hasValueSatisfying(r -> {
            assertThat(r.method()).isEqualTo(RecoveryRequest.Method.FromBackup);
            assertThat(r.force()).isTrue();
            assertThat(r.backup()).isEqualTo("latest");
            assertThat(r.source()).as("no backup store configured").isEmpty();
        });
        var backup = new BackupSpec();
        var pvc = new PvcDestinationSpec();
        pvc.setClaimName("etcd-backups");
        backup.setPvc(pvc);
        c.getSpec().setBackup(backup);
        c.getMetadata().setAnnotations(Map.of(RecoveryAnnotation.RESTORE_ANNOTATION, "storageos-etcd-20261201T100000Z.snapshot.db"));
        assertThat(RecoveryAnnotation.pending(c)).hasValueSatisfying(r -> {
            assertThat(r.force()).isFalse();
            assertThat(r.backup()).isEqualTo("storageos-etcd-20261201T100000Z.snapshot.db");
            assertThat(r.source()).contains("PersistentVolumeClaim etcd-backups, directory /backup/storageos-etcd");
        });
    }

    /** Serving one request never makes the other annotation's old value look new. */
    @Test
    void eachAnnotationKeepsItsOwnHandledValue() {
        EtcdCluster c = cluster(Map.of(RecoveryAnnotation.ANNOTATION, "1", RecoveryAnnotation.RESTORE_ANNOTATION, "latest"), "latest");
        c.getStatus().getRecovery().setHandled(Map.of(RecoveryAnnotation.ANNOTATION, "1", RecoveryAnnotation.RESTORE_ANNOTATION, "latest"));
        assertThat(RecoveryAnnotation.pending(c)).isEmpty();
        c.getStatus().getRecovery().setHandled(Map.of(RecoveryAnnotation.ANNOTATION, "1"));
        assertThat(RecoveryAnnotation.pending(c)).hasValueSatisfying(r -> assertThat(r.method()).isEqualTo(RecoveryRequest.Method.FromBackup));
    }

    @Test
    void theWriterIsTheFieldManagerThatOwnsTheAnnotation() {
        EtcdCluster c = cluster(Map.of(RecoveryAnnotation.ANNOTATION, "1"), null);
        FieldsV1 spec = new FieldsV1();
        spec.setAdditionalProperty("f:spec", Map.of("f:replicas", Map.of()));
        FieldsV1 annotation = new FieldsV1();
        annotation.setAdditionalProperty("f:metadata", Map.of("f:annotations", Map.of("f:" + RecoveryAnnotation.ANNOTATION, Map.of())));
        c.getMetadata().setManagedFields(List.of(
                new ManagedFieldsEntry("v1alpha1", "FieldsV1", spec, "kubectl-client-side-apply", "Update", null, "2026-12-01T10:00:00Z"),
                new ManagedFieldsEntry("v1alpha1", "FieldsV1", annotation, "kubectl-annotate", "Update", null, "2026-12-01T11:00:00Z")));
        assertThat(RecoveryAnnotation.writer(c, RecoveryAnnotation.ANNOTATION)).hasValueSatisfying(w -> {
            assertThat(RecoveryAnnotation.describe(w)).isEqualTo("kubectl-annotate (Update)");
            assertThat(w.getTime()).isEqualTo("2026-12-01T11:00:00Z");
        });
        c.getMetadata().setManagedFields(List.of(c.getMetadata().getManagedFields().get(0)));
        assertThat(RecoveryAnnotation.writer(c, RecoveryAnnotation.ANNOTATION)).isEmpty();
    }
}
