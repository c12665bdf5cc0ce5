package com.storageos.etcd.tool.bootstrap;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the bootstrap tool knows when it decides: its own name and ordinal, the state of its data
 * dir, and the membership the operator recorded on the EtcdCluster.
 *
 * @param dataMarker      the member ID (hex) or "bootstrap" written next to the data when it was created
 * @param startedMembers  names of members the operator has seen started
 * @param journal         the open journal entry, if it names this member (or is a bootstrap)
 * @param movedAside      a recovery from another member moved this member's data aside on this volume
 * @param seedMarker      when a backup is to seed member 0 (spec.bootstrap.restore not done yet, or a restore-from-backup
 *                        recovery): the marker its restored data gets, which tells a later start that it is already done
 * @param recordedMemberId the member ID (hex) status.members records for this name, if any
 * @param clusterIds      the cluster ID the data's WAL names against status.clusterId, when both are known
 */
public record MemberView(String name, int ordinal, boolean hasData, Optional<String> dataMarker,
                         boolean clusterFormed, Set<String> startedMembers, Optional<JournalEntry> journal, boolean movedAside,
                         Optional<String> seedMarker, Optional<String> recordedMemberId, Optional<ClusterIds> clusterIds) {

    /** The cluster ID the data's WAL was written under, and the one status.clusterId records. */
    public record ClusterIds(long data, long recorded) { }

    /** Without the data's cluster ID to compare. */
    public MemberView(String name, int ordinal, boolean hasData, Optional<String> dataMarker, boolean clusterFormed,
                      Set<String> startedMembers, Optional<JournalEntry> journal, boolean movedAside, Optional<String> seedMarker,
                      Optional<String> recordedMemberId) {
        this(name, ordinal, hasData, dataMarker, clusterFormed, startedMembers, journal, movedAside, seedMarker, recordedMemberId,
                Optional.empty());
    }
    private static final Pattern MEMBER_ID = Pattern.compile("[0-9a-f]+");

    /** No backup to seed from, no member ID recorded. */
    public MemberView(String name, int ordinal, boolean hasData, Optional<String> dataMarker,
                      boolean clusterFormed, Set<String> startedMembers, Optional<JournalEntry> journal, boolean movedAside) {
        this(name, ordinal, hasData, dataMarker, clusterFormed, startedMembers, journal, movedAside, Optional.empty(), Optional.empty());
    }

    /**
     * The data was written by a member that joined under an ID other than the one this name has now: a member of this
     * name was replaced (or the cluster restored) since, and the volume holds the earlier member's data again (rolled
     * back, or copied back). That member was removed, or belongs to an earlier cluster; it must never start.
     */
    boolean dataOfAnEarlierMember() {
        return hasData && recordedMemberId.isPresent() && dataMarker.filter(m -> MEMBER_ID.matcher(m).matches()).isPresent()
                && !dataMarker.equals(recordedMemberId);
    }

    /**
     * The data belongs to another etcd cluster than the one status.clusterId records: an earlier incarnation of this one
     * (from before a restore, a volume rolled back or a copy put back) or an earlier cluster of this name. Its peers
     * would refuse it ("cluster ID mismatch"), and it holds none of this cluster's writes: it must never start.
     */
    boolean dataOfAnEarlierIncarnation() {
        return hasData && clusterIds.filter(ids -> ids.data() != ids.recorded()).isPresent();
    }

    boolean seededAlready() {
        return hasData && seedMarker.isPresent() && dataMarker.equals(seedMarker);
    }

    /**
     * The parts of status.pendingChange the tool needs.
     *
     * @param retainedOrdinals for a Bootstrap: the other ordinals whose claims were kept from an earlier cluster
     */
    public record JournalEntry(String operation, String phase, int ordinal, String memberIdHex, String initialCluster,
                               Set<Integer> retainedOrdinals) {
        public JournalEntry {
            retainedOrdinals = Set.copyOf(retainedOrdinals);
        }

        boolean isBootstrapCovering(int podOrdinal) {
            return "Bootstrap".equals(operation) && podOrdinal <= ordinal;
        }

        boolean isRecovery() {
            return "RecoverFromSurvivor".equals(operation);
        }

        boolean isRestoreFromBackup() {
            return "RestoreFromBackup".equals(operation);
        }

        boolean isJoinFor(int podOrdinal) {
            return "MemberAdded".equals(phase) && ordinal == podOrdinal && memberIdHex != null && initialCluster != null;
        }
    }
}
