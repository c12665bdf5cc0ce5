package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** The backup agent: opt-in, since it is one more pod per cluster that runs all the time. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContinuousBackupSpec {
    @JsonPropertyDescription("Run the backup agent, a one-replica Deployment <cluster>-backup-agent that follows etcd's watch and"
            + " writes every change to the backup store within about a second, beside the scheduled snapshots, so that a restore"
            + " loses seconds instead of up to a schedule interval. It costs one more pod per cluster (requests cpu 50m and"
            + " memory 128Mi unless spec.backup.resources says otherwise), one watch on etcd, a new full snapshot of its own"
            + " at least every hour, and a status write every 5 s. With a pvc store, the backup Jobs' pods run on the agent's node,"
            + " since a ReadWriteOnce claim mounts on one node at a time. Off by default.")
    @Default("false")
    private Boolean enabled = false;

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
}
