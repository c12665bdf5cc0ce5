package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The reachable members do not tell one story: they name different cluster IDs, an ID other than status.clusterId, or
 * different member lists (etcd serves a member list from the answering member's local state, so one member cut off, or
 * one that re-formed a cluster of its own, can answer with a stale list). While it lasts, the operator removes, retires,
 * restarts and gates nothing: a step planned from one member's word could take down the members that hold the data.
 *
 * @param members the members whose answer differs, by name
 * @param detail  what each of them said, for the Degraded condition
 */
public record MembershipDisagreement(Set<String> members, String detail) {

    /**
     * What one member said about the cluster it belongs to, through its own endpoint.
     *
     * @param clusterId the cluster ID in its answer's header
     * @param memberIds the IDs of its member list
     */
    public record Report(String member, long clusterId, Set<Long> memberIds) {
        public Report {
            memberIds = Set.copyOf(memberIds);
        }
    }

    public MembershipDisagreement {
        members = Set.copyOf(members);
    }

    /**
     * @param reports  each reachable member's word, about itself
     * @param recorded status.clusterId, empty while the cluster has not formed
     */
    public static Optional<MembershipDisagreement> find(List<Report> reports, Optional<Long> recorded) {
        Set<String> differing = new LinkedHashSet<>();
        List<String> said = new ArrayList<>();
        Set<Long> ids = reports.stream().map(Report::clusterId).collect(Collectors.toSet());
        for (Report r : reports) {
            // Against the recorded ID when there is one: those that report it are not the odd ones.
            if (recorded.map(id -> id != r.clusterId()).orElse(ids.size() > 1)) {
                differing.add(r.member());
                said.add(r.member() + " reports cluster ID " + Long.toHexString(r.clusterId()));
            }
        }
        Map<Set<Long>, List<String>> byList = reports.stream().collect(Collectors.groupingBy(Report::memberIds, LinkedHashMap::new,
                Collectors.mapping(Report::member, Collectors.toList())));
        if (byList.size() > 1) {
            // Every list is named, since no one member's word is the truth; the members outside the largest group are the odd ones.
            int largest = byList.values().stream().mapToInt(List::size).max().orElse(0);
            boolean tie = byList.values().stream().filter(names -> names.size() == largest).count() > 1;
            byList.forEach((list, names) -> {
                if (tie || names.size() < largest) {
                    differing.addAll(names);
                }
                said.add(String.join(", ", names) + " list" + (names.size() == 1 ? "s" : "") + " members " + hex(list));
            });
        }
        if (differing.isEmpty()) {
            return Optional.empty();
        }
        String against = recorded.map(id -> "; status.clusterId is " + Long.toHexString(id)).orElse("");
        return Optional.of(new MembershipDisagreement(differing, String.join("; ", said) + against));
    }

    /**
     * The planned step, unless it acts on the member list: then a wait that says what was held. A recovery in flight is
     * left alone (a restore forms a new cluster ID by design, and it re-checks quorum before each destructive step), and
     * so are the steps that take nothing away: raising the pods, waiting, a restore from a backup, which keeps every
     * member's data aside and takes no member's word for the data.
     */
    public Step hold(Step planned, Optional<Journal> journal) {
        boolean recovering = journal.filter(j -> j.operation() == Operation.RecoverFromSurvivor
                || j.operation() == Operation.RestoreFromBackup).isPresent();
        // Every step is named, and no default: a new step does not compile until it is judged here.
        boolean harmless = switch (planned) {
            case Step.Wait _, Step.Blocked _, Step.Converged _, Step.StartMember _, Step.RestorePods _, Step.RefuseRecovery _,
                 Step.AbortRecovery _, Step.StartRestore _ -> true;
            case Step.Bootstrap _, Step.AddLearner _, Step.RestartPod _, Step.PromoteLearner _, Step.UpdatePeerUrl _, Step.MoveLeader _,
                 Step.RemoveMember _, Step.RetireOrdinal _, Step.ReleaseVolume _, Step.RecordJournal _, Step.ClusterFormed _,
                 Step.StartRecovery _,
                 Step.RecoveryProgress _, Step.MigrationProgress _, Step.RestartStorageOSNode _ -> false;
        };
        if (recovering || harmless) {
            return planned;
        }
        return new Step.Wait(ConditionReason.MembershipDisagreement, message() + "; held: " + planned.getClass().getSimpleName(), Pace.POD);
    }

    /** For the Degraded condition: who disagrees, and that nothing destructive is done meanwhile. */
    public String message() {
        return "the members do not agree on the cluster's identity or membership (" + detail + "); nothing is removed, retired,"
                + " restarted or gated until they do";
    }

    private static String hex(Set<Long> ids) {
        return ids.stream().sorted(Comparator.naturalOrder()).map(Long::toHexString).collect(Collectors.joining(",", "[", "]"));
    }
}
