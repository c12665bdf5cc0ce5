package com.storageos.etcd.tool.bootstrap;

import java.util.Optional;
import java.util.Set;

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
 */
public record MemberView(String name, int ordinal, boolean hasData, Optional<String> dataMarker,
                         boolean clusterFormed, Set<String> startedMembers, Optional<JournalEntry> journal, boolean movedAside,
                         Optional<String> seedMarker) {

    /** No backup to seed from. */
    public MemberView(String name, int ordinal, boolean hasData, Optional<String> dataMarker,
                      boolean clusterFormed, Set<String> startedMembers, Optional<JournalEntry> journal, boolean movedAside) {
        this(name, ordinal, hasData, dataMarker, clusterFormed, startedMembers, journal, movedAside, Optional.empty());
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
