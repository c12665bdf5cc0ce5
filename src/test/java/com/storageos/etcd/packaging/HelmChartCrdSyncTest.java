package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chart installs the CRDs that are generated from the Java model into crds/.
 * Every file there must be in helm/etcd-operator/crds/ with the same name and bytes, and nothing else.
 * Fix a failure with {@code hack/sync-crds.sh}.
 */
class HelmChartCrdSyncTest {

    private static final Path GENERATED_CRDS = Path.of("crds");
    private static final Path CHART_CRDS = HelmChart.CHART_DIR.resolve("crds");

    @Test
    void chartHoldsExactlyTheGeneratedCrds() {
        List<String> generated = names(ChartCrds.files(GENERATED_CRDS));
        List<String> inChart = names(ChartCrds.files(CHART_CRDS));

        assertThat(inChart).as("CRD files in %s vs %s: run hack/sync-crds.sh", CHART_CRDS, GENERATED_CRDS)
                .isEqualTo(generated);
    }

    @Test
    void chartCrdsAreByteIdenticalToTheGeneratedOnes() {
        for (Path crd : ChartCrds.files(GENERATED_CRDS)) {
            Path copy = CHART_CRDS.resolve(crd.getFileName());
            assertThat(copy).as("%s missing: run hack/sync-crds.sh", copy).exists();
            assertThat(ChartCrds.bytes(copy)).as("%s differs from %s: run hack/sync-crds.sh", copy, crd)
                    .isEqualTo(ChartCrds.bytes(crd));
        }
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }
}
