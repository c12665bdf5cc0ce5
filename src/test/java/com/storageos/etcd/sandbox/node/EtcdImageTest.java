package com.storageos.etcd.sandbox.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storageos.etcd.testing.EtcdBinaries;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EtcdImageTest {

    @Test
    void anEtcdImageRunsExactlyTheReleaseItsTagNames() {
        EtcdImage image = EtcdImage.of(container("gcr.io/etcd-development/etcd:v" + EtcdBinaries.DEFAULT_VERSION)).orElseThrow();
        assertThat(image.version()).isEqualTo(EtcdBinaries.DEFAULT_VERSION);
        assertThat(image.program("etcd")).hasValue(EtcdBinaries.tested().etcd());
        assertThat(Path.of(image.program("etcdutl").orElseThrow())).hasFileName("etcdutl").hasParent(EtcdBinaries.tested().dir());
        assertThat(image.program("sh")).as("only etcd's own programs come from the release").isEmpty();
        assertThat(EtcdImage.of(container("quay.io/coreos/etcd:v3.4.23")).map(EtcdImage::version)).hasValue("3.4.23");
    }

    @Test
    void aReleaseThisMachineDoesNotHaveIsTheImagesErrorNeverAnotherVersion() {
        EtcdImage missing = EtcdImage.of(container("gcr.io/etcd-development/etcd:v3.5.99")).orElseThrow();
        assertThatThrownBy(missing::binaries).isInstanceOf(EtcdImage.ImageUnavailable.class)
                .hasMessageContaining("has no etcd 3.5.99").hasMessageContaining(EtcdBinaries.ENV)
                .hasMessageContaining("https://github.com/etcd-io/etcd/releases/tag/v3.5.99");
    }

    @Test
    void otherImagesAreNotEtcdReleases() {
        assertThat(EtcdImage.of(container("storageos/etcd-operator:0.1.0"))).isEmpty();
        assertThat(EtcdImage.of(container("gcr.io/etcd-development/etcd:latest"))).isEmpty();
    }

    private static Container container(String image) {
        return new ContainerBuilder().withName("etcd").withImage(image).build();
    }
}
