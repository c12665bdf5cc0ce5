package com.storageos.etcd.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRD under crds/ is generated from the Java model and committed, so that Helm and kubectl users
 * install exactly what the operator understands. Regenerate with {@code ./mvnw test -Dtest=CrdDriftTest -Dcrd.update=true}.
 */
class CrdDriftTest {
    static final Path COMMITTED = Path.of("crds", "etcdclusters.etcd.storageos.com-v1.yml");

    /** The generator sorts printer columns by name; kubectl shows them in the order users expect. */
    private static final List<String> COLUMNS = List.of("Ready", "Members", "Reason", "Version", "Leader", "Last Backup", "Age",
            "Available", "Progressing", "Degraded", "Cluster Version");

    /**
     * What the model's annotations cannot say: the column order, descriptions of the root, spec and status (which
     * CustomResource declares), and the conditions as a list map keyed by type, so that another field manager's
     * server-side apply of one condition merges with the others instead of replacing the list, and status.progress keyed by operation.
     */
    private static HasMetadata complete(HasMetadata crd) {
        for (var version : ((CustomResourceDefinition) crd).getSpec().getVersions()) {
            version.getAdditionalPrinterColumns().sort(Comparator.comparingInt(c -> {
                assertThat(COLUMNS).as("CrdDriftTest's column order").contains(c.getName());
                return COLUMNS.indexOf(c.getName());
            }));
            JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
            root.setDescription("An etcd cluster for StorageOS, run as a StatefulSet of members whose etcd membership the operator"
                    + " changes one safe step at a time, through learners.");
            root.getProperties().get("spec").setDescription("The cluster wanted: size, etcd version and settings, storage, TLS,"
                    + " backups, defragmentation, the StorageOSCluster to keep pointed at it, and how to bootstrap it.");
            root.getProperties().get("status").setDescription("What the operator observed and did: conditions, members as etcd"
                    + " reports them, the membership change in flight, and the last backup, defragmentation and recovery.");
            JSONSchemaProps conditions = root.getProperties().get("status").getProperties().get("conditions");
            conditions.setXKubernetesListType("map");
            conditions.setXKubernetesListMapKeys(List.of("type"));
            conditions.getItems().getSchema().setRequired(List.of("type", "status"));
            // Keyed by operation, like the conditions by type: another writer's entry merges with the operator's.
            JSONSchemaProps progress = root.getProperties().get("status").getProperties().get("progress");
            progress.setXKubernetesListType("map");
            progress.setXKubernetesListMapKeys(List.of("operation"));
        }
        return crd;
    }

    @Test
    void committedCrdMatchesTheModel(@TempDir Path out) throws IOException {
        new CRDGenerator().customResourceClasses(EtcdCluster.class).forCRDVersions("v1")
                .withPostProcessor(new CRDPostProcessor() {
                    @Override
                    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                        return complete(crd);
                    }
                }).inOutputDir(out.toFile()).generate();
        Path generated = out.resolve(COMMITTED.getFileName());
        if (Boolean.getBoolean("crd.update")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.copy(generated, COMMITTED, StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(COMMITTED).as("crds/ drifted from the Java model; rerun with -Dcrd.update=true and commit")
                .hasSameTextualContentAs(generated);
    }
}
