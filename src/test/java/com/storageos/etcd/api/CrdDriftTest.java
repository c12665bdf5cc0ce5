package com.storageos.etcd.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRD under crds/ is generated from the Java model and committed, so that Helm and kubectl users
 * install exactly what the operator understands. Regenerate with {@code ./mvnw test -Dtest=CrdDriftTest -Dcrd.update=true}.
 */
class CrdDriftTest {
    static final Path COMMITTED = Path.of("crds", "etcdclusters.etcd.storageos.com-v1.yml");

    /** The generator sorts printer columns by name; kubectl shows them in the order users expect. */
    private static HasMetadata orderPrinterColumns(HasMetadata crd) {
        List<String> order = List.of("Ready", "Members", "Version", "Cluster Version", "Leader", "Age");
        for (var version : ((CustomResourceDefinition) crd).getSpec().getVersions()) {
            version.getAdditionalPrinterColumns().sort(Comparator.comparingInt(c -> order.indexOf(c.getName())));
        }
        return crd;
    }

    @Test
    void committedCrdMatchesTheModel(@TempDir Path out) throws IOException {
        new CRDGenerator().customResourceClasses(EtcdCluster.class).forCRDVersions("v1")
                .withPostProcessor(new CRDPostProcessor() {
                    @Override
                    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                        return orderPrinterColumns(crd);
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
