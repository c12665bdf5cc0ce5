package com.storageos.etcd.reconciler.storageossync;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.storageos.StorageOSCluster;
import com.storageos.etcd.api.v1alpha1.status.StorageOSReplacement;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Recreate steps on the real API server, which enforces the delete's UID precondition and keeps an object with a
 * finalizer Terminating: a recorded replacement is carried on by whichever pass comes next, and a record that another pass
 * (another operator, in a leader-election overlap) already saw through never deletes the object it made.
 */
class StorageOSRecreationApiServerTest {
    static final String NS = "storageos";
    static final String FINALIZER = "storageos.com/teardown";
    static ControlPlane plane;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        plane = ControlPlane.start(false);
        client = plane.admin();
        OperatorInstall.applyCrd(plane, Path.of("src", "test", "resources", "storageos", "storageoscluster-crd.yaml"));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterAll
    static void stop() {
        plane.close();
    }

    @Test
    void aRecordedReplacementWaitsForTheFinalizerAndIsCreatedByTheNextPass() throws Exception {
        GenericKubernetesResource old = create("held", List.of(FINALIZER));
        StorageOSReplacement recorded = recreation(Duration.ofMillis(600)).replacementFor(NS, "held", "new-etcd:2379", null).orElseThrow();
        assertThat(recorded.getReplacesUid()).isEqualTo(old.getMetadata().getUid());

        StorageOSRecreation.Progress first = recreation(Duration.ofMillis(600)).advance(recorded);

        assertThat(first).isEqualTo(new StorageOSRecreation.Progress.Terminating(List.of(FINALIZER)));
        assertThat(named("held").get().getMetadata().getDeletionTimestamp()).as("deleted, held by its finalizer").isNotNull();
        named("held").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");

        StorageOSRecreation.Progress next = recreation(Duration.ofSeconds(10)).advance(recorded);

        GenericKubernetesResource created = named("held").get();
        assertThat(next).isEqualTo(new StorageOSRecreation.Progress.Done(created.getMetadata().getUid(), true));
        assertThat(created.getMetadata().getUid()).isNotEqualTo(old.getMetadata().getUid());
        assertThat(created.getAdditionalProperties().get("spec")).isEqualTo(Map.of("secretRefName", "storageos-api",
                "secretRefNamespace", NS, "kvBackend", Map.of("address", "new-etcd:2379", "backend", "etcd")));
        assertThat(created.getMetadata().getLabels()).containsEntry("app", "storageos");
    }

    @Test
    void aRecordAnotherPassSawThroughNeverDeletesTheObjectItMade() throws Exception {
        create("raced", List.of());
        StorageOSReplacement recorded = recreation(Duration.ofSeconds(10)).replacementFor(NS, "raced", "new-etcd:2379", null).orElseThrow();
        StorageOSRecreation.Progress.Done made = (StorageOSRecreation.Progress.Done) recreation(Duration.ofSeconds(10)).advance(recorded);
        assertThat(made.created()).isTrue();

        // A late operator acts on the same record: its delete names the old UID, which the API server refuses for the new object.
        StorageOSRecreation.Progress late = recreation(Duration.ofSeconds(10)).advance(recorded);

        assertThat(late).isEqualTo(new StorageOSRecreation.Progress.Done(made.uid(), false));
        // Had it read the old object just before the other pass deleted it, its delete would come now: refused by UID.
        recreation(Duration.ofSeconds(10)).deleteByUid(NS, "raced", recorded.getReplacesUid());
        GenericKubernetesResource current = named("raced").get();
        assertThat(current.getMetadata().getUid()).isEqualTo(made.uid());
        assertThat(current.getMetadata().getDeletionTimestamp()).isNull();
    }

    private static StorageOSRecreation recreation(Duration wait) {
        return new StorageOSRecreation(client, wait);
    }

    private static GenericKubernetesResource create(String name, List<String> finalizers) {
        return client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(StorageOSCluster.class)).inNamespace(NS)
                .resource(new GenericKubernetesResourceBuilder().withApiVersion(StorageOSCluster.API_VERSION).withKind(StorageOSCluster.KIND)
                        .withNewMetadata().withName(name).withNamespace(NS).withLabels(Map.of("app", "storageos")).withFinalizers(finalizers)
                        .endMetadata()
                        .addToAdditionalProperties("spec", Map.of("secretRefName", "storageos-api", "secretRefNamespace", NS,
                                "kvBackend", Map.of("address", "old-etcd:2379", "backend", "etcd"))).build())
                .create();
    }

    private static Resource<GenericKubernetesResource> named(String name) {
        return client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(StorageOSCluster.class)).inNamespace(NS).withName(name);
    }
}
