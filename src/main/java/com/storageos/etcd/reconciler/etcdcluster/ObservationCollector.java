package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BootstrapSpec;
import com.storageos.etcd.api.v1alpha1.spec.JoinSpec;
import com.storageos.etcd.desired.MemberTemplateHash;
import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.MetricsPeerRoundTrips;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.MigrationInput;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.membership.RecordedMembership;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.naming.MemberAddressing;
import com.storageos.etcd.reconciler.etcdcluster.members.ClusterConnection;
import com.storageos.etcd.reconciler.etcdcluster.members.EtcdAdminPool;
import com.storageos.etcd.reconciler.etcdcluster.members.EtcdMemberProbe;
import com.storageos.etcd.reconciler.etcdcluster.members.MemberRecognition;
import com.storageos.etcd.reconciler.etcdcluster.members.MemberUrls;
import com.storageos.etcd.reconciler.etcdcluster.members.PeerProbeReader;
import com.storageos.etcd.reconciler.etcdcluster.pods.PodReading;
import com.storageos.etcd.status.PendingChanges;
import com.storageos.etcd.status.RecordedMembers;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads everything the planner needs into one immutable {@link ClusterObservation}: the StatefulSet and
 * the data claims from the informer caches (which hold the operator's own writes at once), the member
 * pods fresh from the API server, and etcd itself. The pods are the one fresh list: a step deletes pods,
 * and a cache that still shows a deleted pod could have the next step delete its replacement.
 */
final class ObservationCollector {
    /**
     * The observation, what it was read from (the member pods and StatefulSet, for writers that act on those same
     * objects), the connection to etcd it was read through, and what the status records (the journal, the members).
     */
    record Observed(ClusterObservation observation, List<Pod> pods, StatefulSet statefulSet, MemberUrls urls, EtcdAdmin admin,
                    Optional<Journal> journal, Optional<MigrationInput> migration, RecordedMembership recorded) {
        /** The pods the recorded membership needs: what the StatefulSet runs unless the step changes it. */
        int recordedPods() {
            return recorded.podCount(journal, urls::peerUrl);
        }

        /**
         * What the StatefulSet runs unless the step changes it: the recorded membership's pods, and never fewer than it runs
         * now. Only a step (a journaled RetireOrdinal) lowers the count: an EtcdCluster restored without its status records no
         * member, and would otherwise scale every member pod away at once.
         */
        int keptPods() {
            return Math.max(recordedPods(), observation.statefulSetReplicas());
        }
    }

    private final KubernetesClient client;
    private final OwnedObjectCaches caches;
    private final EtcdMemberProbe probe = new EtcdMemberProbe();
    private final Clock clock;
    private final MemberAddressing addressing;
    private final EtcdAdminPool pool;
    private final PeerProbeReader peerProbes = new PeerProbeReader(new MetricsPeerRoundTrips(Duration.ofSeconds(1)));

    ObservationCollector(KubernetesClient client, OwnedObjectCaches caches, Clock clock, MemberAddressing addressing, EtcdAdminPool pool) {
        this.client = client;
        this.caches = caches;
        this.clock = clock;
        this.addressing = addressing;
        this.pool = pool;
    }

    /**
     * @param operatorTls what the operator presents to the cluster's client port; null when it is plain
     * @param joinTls     spec.bootstrap.join.tls's certificate, checked; null when the external cluster is plain
     */
    Observed observe(EtcdCluster cluster, ClusterNames names, ClientTls operatorTls, Optional<MigrationInput> migration, ClientTls joinTls) {
        TlsLayout layout = TlsLayout.of(cluster);
        MemberUrls urls = new MemberUrls(names, addressing, layout.peer(), layout.client());
        ClusterConnection connection = ClusterConnection.of(cluster, urls, operatorTls, migration, joinTls);
        EtcdAdmin admin = pool.forCluster(cluster.getMetadata().getUid(), connection.endpoints(), connection.credentials());
        Read read = read(cluster, names, urls, admin, connection.endpoints(), migration.isPresent());
        Optional<Journal> journal = PendingChanges.read(cluster.getStatus() == null ? null : cluster.getStatus().getPendingChange());
        // During a join, the peers' round trips too: the planner waits for the external members to reach ours.
        Optional<MigrationInput> probed = migration.map(m -> m.joining()
                ? m.withPeerProbes(peerProbes.read(read.observation(), journal, connection.credentials())) : m);
        return new Observed(read.observation(), read.pods(), read.statefulSet(), urls, admin, journal, probed,
                RecordedMembers.read(cluster.getStatus(), read.recognition()::ordinalOfRecorded));
    }

    /** @param recognition how etcd's members were placed, for placing the recorded ones the same way */
    private record Read(ClusterObservation observation, List<Pod> pods, StatefulSet statefulSet, MemberRecognition recognition) { }

    private Read read(EtcdCluster cluster, ClusterNames names, MemberUrls urls, EtcdAdmin admin, List<String> endpoints, boolean migrating) {
        String ns = names.namespace();
        StatefulSet sts = caches.get(StatefulSet.class, ns, names.statefulSet()).orElse(null);
        List<Pod> pods = client.pods().inNamespace(ns).withLabels(Labels.memberSelector(names.cluster())).list().getItems();
        Set<Integer> claims = caches.dataClaims(names).stream()
                .map(PersistentVolumeClaim::getMetadata)
                .map(m -> names.ordinalOf(m.getName().substring(ClusterNames.DATA_VOLUME.length() + 1)))
                .flatMap(Optional::stream).collect(Collectors.toSet());
        // Until the StatefulSet controller has seen the latest template it may still create pods from the one
        // before: no pod counts as stale until then, or a pod restarted now could come back old and restart twice.
        boolean seen = sts != null && sts.getStatus() != null
                && Objects.equals(sts.getStatus().getObservedGeneration(), sts.getMetadata().getGeneration());
        String updateRevision = seen ? sts.getStatus().getUpdateRevision() : null;
        String templateHash = !seen || sts.getSpec().getTemplate().getMetadata() == null ? null
                : Optional.ofNullable(sts.getSpec().getTemplate().getMetadata().getAnnotations()).map(a -> a.get(MemberTemplateHash.ANNOTATION)).orElse(null);
        Map<Integer, PodState> podStates = new HashMap<>();
        for (Pod pod : pods) {
            names.ordinalOf(pod.getMetadata().getName())
                    .ifPresent(ordinal -> podStates.put(ordinal, PodReading.read(pod, ordinal, updateRevision, templateHash)));
        }
        boolean podIpPeers = Optional.ofNullable(cluster.getSpec().getBootstrap()).map(BootstrapSpec::getJoin)
                .filter(JoinSpec::advertisesPodIps).isPresent();
        MemberRecognition recognition = new MemberRecognition(urls, names, podStates, podIpPeers);
        Optional<Long> recordedId = Optional.ofNullable(cluster.getStatus()).map(s -> s.getClusterId()).map(id -> Long.parseUnsignedLong(id, 16));
        // A new EtcdCluster's first reconcile: nothing of it exists, so no member was ever started and there is no one to
        // ask. The member list would only wait out its deadline (etcd-call-timeout, 5 s) on refused connections.
        boolean nothingStarted = sts == null && pods.isEmpty() && claims.isEmpty() && recordedId.isEmpty() && !migrating
                && (cluster.getStatus() == null || cluster.getStatus().getPendingChange() == null);
        Optional<EtcdMemberProbe.Probed> probed = nothingStarted ? Optional.empty()
                : probe.probe(ns + "/" + names.cluster(), admin, recognition::ordinalOf, endpoints, recordedId);
        Optional<List<ObservedMember>> members = probed.map(EtcdMemberProbe.Probed::members);
        int stsReplicas = sts == null ? -1 : Optional.ofNullable(sts.getSpec().getReplicas()).orElse(0);
        return new Read(new ClusterObservation(members.isPresent(), members.orElse(List.of()), podStates, stsReplicas, claims,
                probed.map(EtcdMemberProbe.Probed::alarms).orElse(Set.of()), probed.map(EtcdMemberProbe.Probed::clusterId).orElse(0L),
                clock.instant(), probed.map(EtcdMemberProbe.Probed::clusterVersion).orElse(""),
                probed.flatMap(EtcdMemberProbe.Probed::disagreement)), pods, sts, recognition);
    }
}
