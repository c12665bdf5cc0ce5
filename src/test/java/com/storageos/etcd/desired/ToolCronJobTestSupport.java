package com.storageos.etcd.desired;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

final class ToolCronJobTestSupport {
    private ToolCronJobTestSupport() {
    }

    static Map<String, EnvVar> env(Container c) {
        return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
    }
}
