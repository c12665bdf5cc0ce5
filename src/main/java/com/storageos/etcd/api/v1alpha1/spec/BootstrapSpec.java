package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.restore) && has(self.join))",
        message = "spec.bootstrap takes either restore or join: a cluster that joins an existing one has its data already")
public class BootstrapSpec {
    @JsonPropertyDescription("Seed member 0 of this new cluster from a backup; the learner loop then grows it to spec.replicas.")
    private RestoreSpec restore;

    @JsonPropertyDescription("Take over a running external etcd cluster (see docs/migration.md): join it as learners, switch"
            + " StorageOS to this cluster, then remove the external members. Nothing is done until the plan in status.migration"
            + " is approved with the annotation etcd.storageos.com/approve-migration=<status.migration.planId>.")
    private JoinSpec join;

    public JoinSpec getJoin() { return join; }
    public void setJoin(JoinSpec join) { this.join = join; }
    public RestoreSpec getRestore() { return restore; }
    public void setRestore(RestoreSpec restore) { this.restore = restore; }
}
