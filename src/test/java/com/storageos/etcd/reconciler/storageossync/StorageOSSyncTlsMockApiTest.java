package com.storageos.etcd.reconciler.storageossync;

import static com.storageos.etcd.reconciler.storageossync.StorageOSSyncFixture.CLUSTER;
import static com.storageos.etcd.reconciler.storageossync.StorageOSSyncFixture.ETCD_NS;
import static com.storageos.etcd.reconciler.storageossync.StorageOSSyncFixture.SERVICE;
import static com.storageos.etcd.reconciler.storageossync.StorageOSSyncFixture.STOS_NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.storageos.StorageOSCluster;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec.AddressMode;
import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec.UpdatePolicy;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client certificate follows the address into the StorageOS namespace, under StorageOS's key names. */
@EnableKubernetesMockClient(crud = true)
class StorageOSSyncTlsMockApiTest {
    static final String COPY = CLUSTER + "-storageos-etcd-client";
    KubernetesClient client;
    StorageOSSyncFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new StorageOSSyncFixture(client);
        fx.etcdCluster(AddressMode.Service, UpdatePolicy.Patch, 30);
        fx.voters(3);
        fx.storageOSCluster("old:2379");
    }

    /** The user's client certificate is {@code clientSecretName}; null: generated ones. */
    private void clientTls(String secretName) {
        String value = secretName == null ? "{}" : "{\"secretName\":\"etcd-server-tls\",\"clientSecretName\":\"" + secretName + "\"}";
        client.resources(EtcdCluster.class).inNamespace(ETCD_NS).withName(CLUSTER)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"tls\":{\"client\":" + value + "}}}");
    }

    private void source(String cert) {
        source("etcd-client-tls", cert);
    }

    private void source(String name, String cert) {
        Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(ETCD_NS).endMetadata()
                .withType("kubernetes.io/tls")
                .withData(Map.of("ca.crt", b64("ca"), "tls.crt", b64(cert), "tls.key", b64("key-" + cert))).build();
        client.secrets().inNamespace(ETCD_NS).resource(secret).createOr(op -> op.update());
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes());
    }

    private Secret copy() {
        return client.secrets().inNamespace(STOS_NS).withName(COPY).get();
    }

    @Test
    void theClientSecretIsCopiedReferencedAndKeptCurrent() throws Exception {
        clientTls("etcd-client-tls");
        source("cert-1");

        fx.reconcile();

        assertThat(copy().getData()).containsOnlyKeys("etcd-client-ca.crt", "etcd-client.crt", "etcd-client.key")
                .containsEntry("etcd-client.crt", b64("cert-1")).containsEntry("etcd-client.key", b64("key-cert-1"));
        StorageOSCluster stos = client.resources(StorageOSCluster.class).inNamespace(STOS_NS).withName("storageos").get();
        assertThat(stos.getSpec().getTlsEtcdSecretRefName()).isEqualTo(COPY);
        assertThat(stos.getSpec().getTlsEtcdSecretRefNamespace()).isEqualTo(STOS_NS);
        assertThat(stos.getSpec().address()).isEqualTo(SERVICE);
        assertThat(fx.stos().getAdditionalProperties().get("spec").toString()).contains("storageos-api", "kubeadm");

        String copied = copy().getMetadata().getResourceVersion();
        fx.reconcile();
        assertThat(copy().getMetadata().getResourceVersion()).as("unchanged source, untouched copy").isEqualTo(copied);

        source("cert-2");
        fx.reconcile();
        assertThat(copy().getData()).containsEntry("etcd-client.crt", b64("cert-2"));
    }

    @Test
    void theCopyGoesWithItsClusterButAUsersSecretOfTheSameNameStays() throws Exception {
        clientTls("etcd-client-tls");
        source("cert-1");
        fx.reconcile();
        assertThat(copy()).isNotNull();

        new EtcdClientSecretCopy(client).forget(fx.etcd());
        assertThat(copy()).as("the copy after its EtcdCluster was deleted").isNull();

        client.secrets().inNamespace(STOS_NS).resource(new SecretBuilder().withNewMetadata().withName(COPY).endMetadata()
                .withData(Map.of("k", b64("v"))).build()).create();
        new EtcdClientSecretCopy(client).forget(fx.etcd());
        assertThat(copy()).as("a Secret the operator did not make").isNotNull();
    }

    @Test
    void aMissingSourceSecretIsWaitedFor() throws Exception {
        clientTls("etcd-client-tls");

        assertThat(fx.reconcile().getScheduleDelay()).contains(30_000L);

        assertThat(fx.synced().getReason()).isEqualTo("WaitingForClientSecret");
        assertThat(fx.address()).isEqualTo("old:2379");
        assertThat(copy()).isNull();
    }

    @Test
    void theGeneratedClientCertificateIsCopied() throws Exception {
        clientTls(null);
        source(CLUSTER + "-tls-client", "generated");

        fx.reconcile();

        assertThat(fx.address()).isEqualTo(SERVICE);
        assertThat(copy().getData()).containsEntry("etcd-client.crt", b64("generated"));
        assertThat(client.resources(StorageOSCluster.class).inNamespace(STOS_NS).withName("storageos").get().getSpec()
                .getTlsEtcdSecretRefName()).isEqualTo(COPY);
    }

    @Test
    void theStorageOSClusterDefaultsToTheEtcdClustersNamespace() {
        EtcdCluster etcd = fx.etcd();
        assertThat(Observed.targetNamespace(etcd)).isEqualTo(STOS_NS);
        etcd.getSpec().getStorageos().setNamespace(null);
        assertThat(Observed.targetNamespace(etcd)).isEqualTo(ETCD_NS);
    }
}
