package com.storageos.etcd.reconciler.etcdcluster;

import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.EtcdClusterSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.clusterstatus.ClusterStatusWriter;
import com.storageos.etcd.desired.QuorumDisruptionBudget;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.membership.Cluster;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalConflict;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournaledStatus;
import com.storageos.etcd.reconciler.etcdcluster.pods.KubernetesClusterOperations;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A member pod restart on a real API server with the real disruption controller: three Ready member pods under the
 * cluster's PodDisruptionBudget, and the operator's executor acting on an observation taken a moment earlier, as it does
 * while it probes etcd. A node drain's eviction, another operator's restart, or a replaced pod lands in that moment.
 */
class PodRestartsApiServerTest {
    private static ControlPlane plane;
    private static KubernetesClient client;
    /** Nothing listens there: a restart must not need etcd. */
    private static EtcdAdmin noEtcd;

    @BeforeAll
    static void startPlane() {
        plane = ControlPlane.start(true);
        OperatorInstall.applyCrd(plane, Path.of("crds", "etcdclusters.etcd.storageos.com-v1.yml"));
        client = plane.admin();
        noEtcd = new JetcdEtcdAdminFactory(Duration.ofSeconds(1)).connect(List.of("http://127.0.0.1:9"));
    }

    @AfterAll
    static void stopPlane() throws Exception {
        noEtcd.close();
        plane.close();
    }

    @Test
    void aRestartPlannedBeforeADrainEvictedAnotherMemberWaitsForTheBudget() {
        ClusterNames names = threeReadyMembers("drain");
        ClusterObservation before = observed(names);
        assertThat(client.pods().inNamespace(names.namespace()).withName(names.member(0)).evict(new EvictionBuilder()
                .withNewMetadata().withName(names.member(0)).withNamespace(names.namespace()).endMetadata().build()))
                .as("kubectl drain evicts member 0: the budget allows one").isTrue();

        StepResult result = executor(names, read(names), before).execute(new Step.RestartPod(2, "rolling out the new template"));

        assertThat(result.failure()).as("the restart planned before the drain").contains("PodDisruptionBudget");
        assertThat(uid(names, 2)).as("member 2's pod is untouched: two of three members are never down at once")
                .contains(before.pod(2).orElseThrow().uid());

        EtcdCluster recorded = read(names);
        StepResult retry = executor(names, recorded, before).execute(new Step.RestartPod(2, "rolling out the new template"));
        assertThat(retry.failure()).as("asked again while the drain holds the budget").contains("PodDisruptionBudget");
        assertThat(read(names).getMetadata().getResourceVersion()).as("the retry records nothing new: one status write per restart")
                .isEqualTo(recorded.getMetadata().getResourceVersion());
    }

    @Test
    void ofTwoOperatorsThatReadTheSameVersionOnlyOneRestartsAPod() {
        ClusterNames names = threeReadyMembers("overlap");
        ClusterObservation seen = observed(names);
        EtcdCluster read = read(names);

        StepResult first = executor(names, read, seen).execute(new Step.RestartPod(1, "rolling out the new template"));
        assertThatThrownBy(() -> executor(names, read, seen).execute(new Step.RestartPod(2, "rolling out the new template")))
                .as("the second operator's record of its restart, on the version both read").isInstanceOf(JournalConflict.class);

        assertThat(first.failure()).isNull();
        assertThat(uid(names, 1)).as("the first operator's restart went through").isEmpty();
        assertThat(uid(names, 2)).as("the second operator restarted nothing").contains(seen.pod(2).orElseThrow().uid());
        assertThat(read(names).getStatus().getLastRestart().getPod()).isEqualTo(names.member(1));
        assertThat(read(names).getStatus().getLastRestart().getVia()).isEqualTo("Eviction");
    }

    @Test
    void aPodReplacedSinceTheObservationIsNotRestartedAgain() {
        ClusterNames names = threeReadyMembers("replaced");
        ClusterObservation seen = observed(names);
        String before = seen.pod(2).orElseThrow().uid();
        client.pods().inNamespace(names.namespace()).withName(names.member(2)).withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> uid(names, 2).isEmpty());
        createReadyPod(names, 2); // the StatefulSet's new pod of the same name

        StepResult result = executor(names, read(names), seen).execute(new Step.RestartPod(2, "rolling out the new template"));

        assertThat(result.failure()).isNull();
        assertThat(uid(names, 2)).as("the new pod, which the observation never saw, keeps running").isPresent().get().isNotEqualTo(before);
    }

    /** A namespace with an EtcdCluster, its budget for 3 voters, and 3 Ready member pods; returns once the budget allows one disruption. */
    private static ClusterNames threeReadyMembers(String name) {
        ClusterNames names = new ClusterNames(name, name);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
        EtcdCluster cluster = new EtcdCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(name).build());
        cluster.setSpec(new EtcdClusterSpec());
        EtcdCluster created = client.resource(cluster).create();
        created.setStatus(new EtcdClusterStatus());
        client.resource(created).updateStatus();
        client.resource(QuorumDisruptionBudget.build(created, 3)).create();
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            createReadyPod(names, ordinal);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Optional.ofNullable(client.policy().v1().podDisruptionBudget()
                        .inNamespace(name).withName(names.disruptionBudget()).get()).map(PodDisruptionBudget::getStatus)
                .map(s -> s.getDisruptionsAllowed() != null && s.getDisruptionsAllowed() == 1).orElse(false));
        return names;
    }

    private static void createReadyPod(ClusterNames names, int ordinal) {
        Pod pod = client.pods().inNamespace(names.namespace()).resource(new PodBuilder()
                .withNewMetadata().withName(names.member(ordinal)).withLabels(Labels.forComponent(names.cluster(), "member")).endMetadata()
                .withNewSpec().withAutomountServiceAccountToken(false).addNewContainer().withName("etcd").withImage("etcd").endContainer()
                .endSpec().build()).create();
        pod.setStatus(new PodStatusBuilder().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
        client.pods().inNamespace(names.namespace()).resource(pod).updateStatus();
    }

    /** What the operator saw: three healthy voters, each pod Ready under its current UID. */
    private static ClusterObservation observed(ClusterNames names) {
        Cluster cluster = Cluster.of(voter(0).leader(), voter(1), voter(2));
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            cluster.pod(new PodState(ordinal, true, false, false, false, false).withUid(uid(names, ordinal).orElseThrow()));
        }
        return cluster.observation();
    }

    private static Optional<String> uid(ClusterNames names, int ordinal) {
        return Optional.ofNullable(client.pods().inNamespace(names.namespace()).withName(names.member(ordinal)).get())
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).map(p -> p.getMetadata().getUid());
    }

    private static EtcdCluster read(ClusterNames names) {
        return client.resources(EtcdCluster.class).inNamespace(names.namespace()).withName(names.cluster()).get();
    }

    /** One operator's reconcile from {@code read}, as the reconciler builds it; a restart makes no etcd call. */
    private static StepExecutor executor(ClusterNames names, EtcdCluster read, ClusterObservation observation) {
        EtcdCluster own = client.getKubernetesSerialization().clone(read);
        JournaledStatus status = new JournaledStatus(own, names, new ClusterStatusWriter(client));
        return new StepExecutor(noEtcd, status, new KubernetesClusterOperations(client, names), new ClusterEvents(client, Clock.systemUTC()),
                own, names, Clock.systemUTC(), observation);
    }
}
