package com.storageos.etcd.sandbox.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A pod's {@code spec.readinessGates} as the kubelet reads them: open when each gate's condition is True, and why not. */
final class ReadinessGates {
    private ReadinessGates() {
    }

    static boolean open(Pod current) {
        return gates(current).stream().allMatch(type -> conditionsOf(current).stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus())));
    }

    static String message(Pod current) {
        List<String> unready = new ArrayList<>();
        for (String type : gates(current)) {
            Optional<PodCondition> c = conditionsOf(current).stream().filter(x -> type.equals(x.getType())).findFirst();
            if (c.isEmpty()) {
                unready.add("corresponding condition of pod readiness gate \"" + type + "\" does not exist.");
            } else if (!"True".equals(c.get().getStatus())) {
                unready.add("the status of pod readiness gate \"" + type + "\" is not \"True\", but " + c.get().getStatus());
            }
        }
        return String.join(", ", unready);
    }

    private static List<String> gates(Pod current) {
        return Optional.ofNullable(current.getSpec().getReadinessGates()).orElse(List.of()).stream()
                .map(PodReadinessGate::getConditionType).toList();
    }

    static List<PodCondition> conditionsOf(Pod current) {
        return current.getStatus() == null || current.getStatus().getConditions() == null ? List.of() : current.getStatus().getConditions();
    }
}
