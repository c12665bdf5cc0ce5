package com.storageos.etcd.toolcontract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The restore targets a person writes, in the annotation and in spec.bootstrap.restore, and the report of what came back. */
class RestoreTargetTest {
    @Test
    void theAnnotationSyntaxReadsEveryKindOfTargetAndRefusesTheRest() {
        assertThat(RestoreTarget.parse("latest")).isEqualTo(new RestoreTarget.Latest());
        assertThat(RestoreTarget.parse("etcd-20261207T150000Z.snapshot.db")).isEqualTo(new RestoreTarget.Backup("etcd-20261207T150000Z.snapshot.db"));
        assertThat(RestoreTarget.parse("revision:1200")).isEqualTo(new RestoreTarget.AtRevision(1200));
        assertThat(RestoreTarget.parse("2026-12-07T16:04:05+01:00")).as("an offset is read as the same instant")
                .isEqualTo(new RestoreTarget.AtTime(Instant.parse("2026-12-07T15:04:05Z")));
        assertThatThrownBy(() -> RestoreTarget.parse("revision:0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> RestoreTarget.parse("revision:x")).hasMessageContaining("is none of");
        assertThatThrownBy(() -> RestoreTarget.parse("2026-02-30T10:00:00Z")).as("a date that does not exist")
                .hasMessageContaining("is none of");
        assertThat(RestoreTarget.parse("revision:5").needsReplay()).isTrue();
        assertThat(RestoreTarget.parse("latest").needsReplay()).isFalse();
    }

    @Test
    void theSpecTakesTypedFieldsAndItsBackupIsAlwaysAName() {
        RestoreSpec spec = new RestoreSpec();
        assertThat(RestoreTarget.of(spec)).isEqualTo(new RestoreTarget.Latest());
        spec.setBackup("1200");
        assertThat(RestoreTarget.of(spec)).as("a number in backup is a name, never a revision").isEqualTo(new RestoreTarget.Backup("1200"));
        spec.setBackup("latest");
        spec.setRevision(1200L);
        assertThat(RestoreTarget.of(spec)).isEqualTo(new RestoreTarget.AtRevision(1200));
        spec.setRevision(null);
        spec.setTime("2026-12-07T15:04:05Z");
        assertThat(RestoreTarget.of(spec)).isEqualTo(new RestoreTarget.AtTime(Instant.parse("2026-12-07T15:04:05Z")));
    }

    @Test
    void theRecoveredLineSurvivesTheTerminationMessage() {
        var partial = new BootstrapReport.Recovered(OptionalLong.of(846), false, "restored a (revision 1) and replayed its chain to"
                + " revision 846; revisions 847..2815 were not recovered: chunk x fails its SHA-256 checksum");
        String message = BootstrapReport.RESTORED_FROM_BACKUP + " etcd-0 starts alone on backup a\n" + partial.line() + "\n"
                + BootstrapReport.keptAside(1, 10, Instant.parse("2026-12-07T15:04:05Z"));
        assertThat(BootstrapReport.recovered(message)).contains(partial);
        var asItIs = new BootstrapReport.Recovered(OptionalLong.empty(), true, "restored a as it is");
        assertThat(BootstrapReport.recovered(asItIs.line())).contains(asItIs);
        assertThat(BootstrapReport.recovered(BootstrapReport.NOT_A_MEMBER + " x")).isEmpty();
    }
}
