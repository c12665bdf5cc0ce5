package com.storageos.etcd.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/conditions.md explains exactly the reasons the code can write: none missing, none stale. */
class ConditionReasonDocsTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z]+)` \\| ([A-Za-z]+=(True|False|Unknown))", Pattern.MULTILINE);

    @Test
    void everyReasonHasItsRowAndEveryRowItsReason() throws IOException {
        String page = Files.readString(Path.of("docs", "conditions.md"));
        Matcher rows = ROW.matcher(page);
        Set<String> documented = new HashSet<>();
        while (rows.find()) {
            documented.add(rows.group(1));
        }
        Set<String> reasons = Arrays.stream(ConditionReason.values()).map(Enum::name).collect(Collectors.toSet());
        assertThat(documented).containsExactlyInAnyOrderElementsOf(reasons);
    }
}
