package com.storageos.etcd.membership;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the planner needs to carry out spec.bootstrap.join.
 *
 * @param recorded        status.migration, empty before the first plan is shown
 * @param approval        the value of the approval annotation, empty when there is none
 * @param removeExternal  spec.bootstrap.join.removeExternalMembers
 * @param clientsSwitched StorageOS's recorded address names exactly this cluster's members (true when no StorageOS is synced)
 * @param podIpPeers      spec.bootstrap.join.peerAddressing is PodIP: our members are advertised at their pods' IPs while
 *                        external members exist (see {@link PeerUrlPlanner})
 * @param peerProbes      while a learner of ours joins: what each member's peer probes found, by the probing member's ID and
 *                        then the probed one's; a member whose metrics could not be read is absent
 * @param addressWrittenAt when the StorageOS sync last wrote the address (status.storageos.lastWriteTime), if it did
 * @param storageosNodes  while the migration awaits StorageOS's restart: its node pods; empty when no StorageOS is synced
 * @param evictsStorageOSNodes spec.storageos.nodeRestart is Evict: the operator restarts the node pods itself
 */
public record MigrationInput(Optional<Migration> recorded, Optional<String> approval, boolean removeExternal,
                             boolean clientsSwitched, boolean podIpPeers, Map<Long, Map<Long, PeerProbe>> peerProbes,
                             Optional<Instant> addressWrittenAt, Optional<StorageOSNodes> storageosNodes,
                             boolean evictsStorageOSNodes) {

    public MigrationInput {
        peerProbes = Map.copyOf(peerProbes);
    }

    /** With the DNS peer URLs of the headless Service throughout. */
    public MigrationInput(Optional<Migration> recorded, Optional<String> approval, boolean removeExternal, boolean clientsSwitched) {
        this(recorded, approval, removeExternal, clientsSwitched, false);
    }

    public MigrationInput(Optional<Migration> recorded, Optional<String> approval, boolean removeExternal, boolean clientsSwitched,
                          boolean podIpPeers) {
        this(recorded, approval, removeExternal, clientsSwitched, podIpPeers, Map.of(), Optional.empty(), Optional.empty(), false);
    }

    public MigrationInput withPeerProbes(Map<Long, Map<Long, PeerProbe>> probes) {
        return new MigrationInput(recorded, approval, removeExternal, clientsSwitched, podIpPeers, probes, addressWrittenAt, storageosNodes,
                evictsStorageOSNodes);
    }

    public MigrationInput withStorageOS(Optional<Instant> writtenAt, Optional<StorageOSNodes> nodes) {
        return new MigrationInput(recorded, approval, removeExternal, clientsSwitched, podIpPeers, peerProbes, writtenAt, nodes,
                evictsStorageOSNodes);
    }

    /** With spec.storageos.nodeRestart Evict: the operator restarts the StorageOS node pods itself. */
    public MigrationInput evictingStorageOSNodes() {
        return new MigrationInput(recorded, approval, removeExternal, clientsSwitched, podIpPeers, peerProbes, addressWrittenAt,
                storageosNodes, true);
    }

    public boolean completed() {
        return recorded.filter(m -> m.phase() == Migration.Phase.Completed).isPresent();
    }

    /** Rolling back or rolled back: the migration decides the next step, before any open journal. */
    public boolean failed() {
        return recorded.filter(Migration::failed).isPresent();
    }

    /** The address is switched: StorageOS's node pods are worth listing. */
    public boolean awaitingStorageOS() {
        return recorded.filter(m -> m.phase() == Migration.Phase.AwaitingStorageOSRestart).isPresent();
    }

    /** A learner of ours is joining the external cluster: its peers' probes are worth reading. */
    public boolean joining() {
        return recorded.filter(m -> m.phase() == Migration.Phase.Joining).isPresent();
    }
}
