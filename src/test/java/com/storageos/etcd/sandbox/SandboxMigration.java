package com.storageos.etcd.sandbox;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MigrationStatus;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.node.StorageOSClusterFixture;
import com.storageos.etcd.sandbox.node.StorageOSStandIn;
import com.storageos.etcd.testing.EtcdTestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code sandbox --migrate}: three etcd processes outside the sandbox's pods play an external cluster that a
 * StorageOSCluster uses; an EtcdCluster with spec.bootstrap.join takes it over. The plan is printed, then
 * approved by the annotation a person would set, and the watch shows the members change. StorageOS is the {@link StorageOSStandIn}
 * with two nodes, whose processes read the address only when they start; the operator restarts them itself after the switch
 * (spec.storageos.nodeRestart Evict). Their reports are under the sandbox's storageos-nodes directory.
 */
final class SandboxMigration {
    static final Path STORAGEOS_CRD = Path.of("src", "test", "resources", "storageos", "storageoscluster-crd.yaml");
    static final String NAME = "storageos-etcd";

    private SandboxMigration() {
    }

    /** Returns the EtcdCluster's name, once the plan is approved; the external cluster lives until the JVM exits. */
    static String start(Sandbox sandbox) throws Exception {
        EtcdTestCluster external = EtcdTestCluster.start(3);
        Runtime.getRuntime().addShutdownHook(new Thread(external::close, "external-etcd-shutdown"));
        List<String> urls = external.clientUrls();
        ContinuousWriter.writeKeys(urls, 100);
        String address = urls.stream().map(u -> u.substring("http://".length())).collect(Collectors.joining(","));
        System.out.println("migrate: external etcd cluster " + urls + " with 100 keys; StorageOSCluster storageos/storageos uses " + address);
        sandbox.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("storageos").endMetadata().build()).create();
        StorageOSStandIn storageos = new StorageOSStandIn(sandbox, 2);
        Runtime.getRuntime().addShutdownHook(new Thread(storageos::close, "storageos-stand-in-shutdown"));
        StorageOSClusterFixture.create(sandbox, address);
        System.out.println("migrate: StorageOS node processes report under " + storageos.reports());
        sandbox.apply(new ByteArrayInputStream(SandboxCluster.yaml(NAME, 3, """
                  bootstrap:
                    join:
                      endpoints: [%s]
                  storageos: {name: storageos, namespace: storageos, settleSeconds: 1, nodeRestart: Evict}
                """.formatted(String.join(", ", urls))).getBytes(StandardCharsets.UTF_8)));
        MigrationStatus plan = awaitPlan(sandbox);
        System.out.println("migrate: the plan " + plan.getPlanId() + " (status.migration.plan):");
        plan.getPlan().forEach(step -> System.out.println("  - " + step));
        System.out.println("migrate: approving it as a person would: kubectl annotate etcdcluster " + NAME + " "
                + Migration.APPROVAL_ANNOTATION + "=" + plan.getPlanId());
        sandbox.annotate(NAME, Migration.APPROVAL_ANNOTATION, plan.getPlanId());
        return NAME;
    }

    private static MigrationStatus awaitPlan(Sandbox sandbox) throws InterruptedException {
        while (true) {
            Optional<MigrationStatus> m = sandbox.cluster(NAME).map(EtcdCluster::getStatus).map(s -> s.getMigration());
            if (m.isPresent() && m.get().getPlan() != null) {
                return m.get();
            }
            Thread.sleep(200);
        }
    }
}
