package com.storageos.etcd.testing.kube;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Reads an EtcdCluster's conditions the way {@code kubectl wait --for=condition=...} does. */
public final class ClusterWatch {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public ClusterWatch(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    public Optional<Condition> condition(String type) {
        EtcdCluster c = client.resources(EtcdCluster.class).inNamespace(namespace).withName(name).get();
        if (c == null || c.getStatus() == null || c.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return c.getStatus().getConditions().stream().filter(k -> type.equals(k.getType())).findFirst();
    }

    /** Waits until the condition matches; returns how long it took, or fails naming the last condition seen. */
    public Duration await(String type, Predicate<Condition> wanted, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        Optional<Condition> last = Optional.empty();
        while (System.nanoTime() - start < timeout.toNanos()) {
            last = condition(type);
            if (last.filter(wanted).isPresent()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new AssertionError(type + " did not reach the wanted state within " + timeout + "; last: " + last.orElse(null));
    }

    /** Waits for the cluster's StatefulSet, which the operator applies early in a reconcile; null if it never comes. */
    public StatefulSet awaitStatefulSet(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            StatefulSet set = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
            if (set != null) {
                return set;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return null;
    }

    public static Predicate<Condition> reason(String reason) {
        return c -> reason.equals(c.getReason());
    }
}
