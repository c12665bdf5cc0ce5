package com.storageos.etcd.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTableTest {

    @Test
    void columnsLineUpAndMissingValuesPrintAsDashes() {
        String table = BenchTable.format(List.of(
                new BenchTable.Row("Ready, 3 members", 12_345L, 4_100L, 1_200L, 350L),
                new BenchTable.Row("scale 3->5", 9_000L, 3_000L, null, 1_020L)));
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("scenario").contains("floor (by hand)");
        assertThat(lines.get(1)).startsWith("Ready, 3 members").contains("12345 ms", "4100 ms", "x3.0", "1200 ms", "350 ms");
        assertThat(lines.get(2)).contains("9000 ms", "3000 ms", "x3.0", " - ", "1020 ms");
        assertThat(lines).allSatisfy(l -> assertThat(l).hasSize(lines.get(0).length()));
    }

    @Test
    void ratioNeedsBothTimes() {
        assertThat(BenchTable.ratio(5_000L, 2_000L)).isEqualTo("x2.5");
        assertThat(BenchTable.ratio(5_000L, null)).isEqualTo("-");
        assertThat(BenchTable.ratio(null, 2_000L)).isEqualTo("-");
    }
}
