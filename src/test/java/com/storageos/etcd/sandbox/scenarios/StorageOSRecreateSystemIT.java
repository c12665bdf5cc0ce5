package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.sandbox.node.StorageOSClusterFixture;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * updatePolicy Recreate with the operator killed between the delete and the create. The StorageOS operator's finalizer
 * (held here, as StorageOS holds it while it tears its nodes down) keeps the deleted StorageOSCluster Terminating, so the
 * operator has deleted it and waits to create the replacement: it is killed (-9) right then. The finalizer is released, the
 * object goes, and with no operator running nothing exists. A new operator must create the replacement from what the first
 * one recorded: the whole spec, labels and annotations, the new address, and exactly one object at the end.
 */
class StorageOSRecreateSystemIT {
    static final String FINALIZER = "storageos.com/teardown";
    static final String OLD_ADDRESS = "old-etcd-0:2379,old-etcd-1:2379";
    @TempDir
    Path root;
    SandboxCluster fixture;
    Sandbox sandbox;

    @BeforeEach
    void start() throws Exception {
        fixture = SandboxCluster.startWithStorageOS(root, "recreate", 0);
        sandbox = fixture.sandbox();
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void anOperatorKilledBetweenTheDeleteAndTheCreateLeavesTheReplacementToTheNextOne() throws Exception {
        GenericKubernetesResource original = storageOS().resource(original()).create();
        String oldUid = original.getMetadata().getUid();
        fixture.create(SandboxCluster.yaml("recreate", 1,
                "  storageos: {name: storageos, namespace: storageos, updatePolicy: Recreate}\n"));

        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() ->
                Optional.ofNullable(storageOS().withName("storageos").get()).map(o -> o.getMetadata().getDeletionTimestamp() != null).orElse(false));
        sandbox.operator().kill();
        System.out.printf("recreate system IT: the operator deleted the StorageOSCluster %d ms after the apply and was killed%n",
                SandboxCluster.millisSince(started));

        storageOS().withName("storageos").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> storageOS().withName("storageos").get() == null);
        long gone = System.nanoTime();

        sandbox.startOperator();
        long ready = SandboxCluster.millisSince(gone);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> storageOS().withName("storageos").get() != null);
        long absent = SandboxCluster.millisSince(gone);

        GenericKubernetesResource replacement = storageOS().withName("storageos").get();
        String address = sandbox.addressing().clientServiceAddress(new ClusterNames("recreate", Sandbox.NAMESPACE));
        assertThat(replacement.getMetadata().getUid()).isNotEqualTo(oldUid);
        assertThat(replacement.getAdditionalProperties().get("spec")).as("the whole spec, only the address changed")
                .isEqualTo(withAddress(original.getAdditionalProperties().get("spec"), address));
        assertThat(replacement.getMetadata().getLabels()).isEqualTo(original.getMetadata().getLabels());
        assertThat(replacement.getMetadata().getAnnotations()).isEqualTo(original.getMetadata().getAnnotations());
        assertThat(replacement.getMetadata().getFinalizers()).as("a finalizer is the StorageOS operator's to add").isNullOrEmpty();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            EtcdCluster cluster = fixture.cluster();
            assertThat(cluster.getStatus().getStorageos().getReplacement()).as("the record is cleared once the object exists").isNull();
            assertThat(cluster.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("StorageOSSynced");
                assertThat(c.getReason()).isEqualTo("Synced");
            });
        });
        Thread.sleep(5000);
        List<GenericKubernetesResource> all = sandbox.client().genericKubernetesResources(StorageOSClusterFixture.STORAGEOS)
                .inAnyNamespace().list().getItems();
        assertThat(all).as("exactly one StorageOSCluster, the replacement, still").singleElement()
                .satisfies(o -> assertThat(o.getMetadata().getUid()).isEqualTo(replacement.getMetadata().getUid()));
        assertThat(events("RecreatedStorageOSCluster")).as("created once, by the second operator").singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(replacement.getMetadata().getUid()));
        System.out.printf("recreate system IT: no StorageOSCluster for %d ms after the old one went, %d ms of it until the new"
                + " operator was ready (it waits out the killed one's Lease)%n", absent, ready);
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> storageOS() {
        return sandbox.client().genericKubernetesResources(StorageOSClusterFixture.STORAGEOS).inNamespace("storageos");
    }

    /** A StorageOSCluster as a user writes it, labelled and annotated, with the finalizer the StorageOS operator adds to it. */
    private static GenericKubernetesResource original() {
        GenericKubernetesResource storageos = StorageOSClusterFixture.manifest(OLD_ADDRESS);
        storageos.getMetadata().setLabels(Map.of("app", "storageos", "team", "storage"));
        storageos.getMetadata().setAnnotations(Map.of("example.com/owner", "platform"));
        storageos.getMetadata().setFinalizers(List.of(FINALIZER));
        return storageos;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withAddress(Object spec, String address) {
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) spec);
        Map<String, Object> kvBackend = new LinkedHashMap<>((Map<String, Object>) copy.get("kvBackend"));
        kvBackend.put("address", address);
        copy.put("kvBackend", kvBackend);
        return copy;
    }

    private List<Event> events(String reason) {
        return sandbox.client().v1().events().inNamespace(Sandbox.NAMESPACE).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }
}
