package com.storageos.etcd.membership;

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
 */
public record MigrationInput(Optional<Migration> recorded, Optional<String> approval, boolean removeExternal,
                             boolean clientsSwitched, boolean podIpPeers) {

    /** With the DNS peer URLs of the headless Service throughout. */
    public MigrationInput(Optional<Migration> recorded, Optional<String> approval, boolean removeExternal, boolean clientsSwitched) {
        this(recorded, approval, removeExternal, clientsSwitched, false);
    }

    public boolean completed() {
        return recorded.filter(m -> m.phase() == Migration.Phase.Completed).isPresent();
    }
}
