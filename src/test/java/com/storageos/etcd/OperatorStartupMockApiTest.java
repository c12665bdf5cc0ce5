package com.storageos.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged application as Quarkus starts it (CDI wiring, configuration, both controllers),
 * against the mock API server: it comes up healthy and acts on an EtcdCluster.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class OperatorStartupMockApiTest {
    @Inject
    KubernetesClient client;

    @Test
    void startsHealthyAndReconcilesAnEtcdCluster() {
        EtcdCluster cluster = new EtcdCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("smoke").withNamespace("default").build());
        client.resource(cluster).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(client.apps().statefulSets().inNamespace("default").withName("smoke").get()).isNotNull());
        RestAssured.when().get("/q/health/live").then().statusCode(200);
        assertThat(RestAssured.when().get("/q/metrics").then().extract().asString()).contains("etcd_operator_backup_last_success_timestamp_seconds");
    }
}
