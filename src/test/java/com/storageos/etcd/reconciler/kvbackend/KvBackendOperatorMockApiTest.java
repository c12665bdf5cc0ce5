package com.storageos.etcd.reconciler.kvbackend;

import static com.storageos.etcd.reconciler.kvbackend.KvBackendFixture.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec.AddressMode;
import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec.UpdatePolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The reconciler under a real JOSDK Operator: proves the StorageOSCluster informer (all namespaces)
 * and the index map a StorageOSCluster that appears later back to the EtcdCluster naming it.
 */
@EnableKubernetesMockClient(crud = true)
class KvBackendOperatorMockApiTest {
    KubernetesClient client;

    @Test
    void aStorageOSClusterCreatedLaterWakesTheEtcdClusterThatNamesIt() throws Exception {
        KvBackendFixture fx = new KvBackendFixture(client);
        fx.etcdCluster(AddressMode.Service, UpdatePolicy.Patch, 30);
        fx.voters(3);
        Operator operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
                .withStopOnInformerErrorDuringStartup(false));
        operator.register(fx.reconciler);
        operator.start();
        try {
            await(() -> fx.synced() != null && "WaitingForStorageOSCluster".equals(fx.synced().getReason()));
            fx.storageOSCluster("old:2379");
            // The periodic recheck is 30 s away, so only the informer event can make this happen in time.
            await(() -> SERVICE.equals(fx.address()));
            await(() -> "Synced".equals(fx.synced().getReason()));
        } finally {
            operator.stop();
        }
    }

    private static void await(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
