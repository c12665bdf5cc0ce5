package com.storageos.etcd.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The fixture itself: a real API server enforces RBAC on ServiceAccount tokens and logs writes. */
class ControlPlaneApiServerTest {

    @Test
    void serviceAccountTokensAreSubjectToRbacAndWritesAreAudited() throws Exception {
        try (ControlPlane plane = ControlPlane.start(false)) {
            plane.admin().serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName("nobody").endMetadata().build()).create();
            try (KubernetesClient nobody = plane.clientAs("default", "nobody")) {
                assertThatThrownBy(() -> nobody.secrets().inNamespace("default").list())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
            }
            assertThat(Files.readString(plane.auditLog())).contains("\"verb\":\"create\"").contains("serviceaccounts");
        }
    }
}
