package com.storageos.etcd.api.v1alpha1.status;

/**
 * Every reason a condition of an EtcdCluster can carry; the constant's name is the reason as written. Each is
 * explained for users in docs/conditions.md ({@code ConditionReasonDocsTest} keeps the two in step).
 */
public enum ConditionReason {
    // Ready
    ClusterReady,
    Reconciling,
    // Available
    QuorumHealthy,
    QuorumLost,
    MembersUnreachable,
    QuorumUnconfirmed,
    Bootstrapping,
    // Progressing
    Converged,
    WaitingForHealthyMembers,
    ScalingUp,
    ScalingDown,
    LearnerStarting,
    LearnerCatchingUp,
    RemovingStuckLearner,
    ReplacingMember,
    RecreatingFailedMember,
    ReplacingStaleMember,
    RollingUpdate,
    RestoringPods,
    RecoveringFromSurvivor,
    RestoringFromBackup,
    PodTerminating,
    EtcdUnreachable,
    MigrationAwaitingApproval,
    MigrationStarted,
    MigrationMembersJoined,
    MigrationSwitchingStorageOS,
    MigrationAwaitingStorageOSRestart,
    MigrationRestartingStorageOSNodes,
    MigrationClientsSwitched,
    MigrationCompleted,
    MigrationVerifyingPeers,
    MigrationRollingBack,
    RemovingExternalMember,
    UpdatingPeerUrl,
    Paused,
    // Degraded
    AsExpected,
    MemberUnhealthy,
    QuorumAtRisk,
    NoSpace,
    StepFailed,
    InvalidJournal,
    RetainedVolumesWithoutQuorum,
    SurvivorNotStarting,
    RestoreRefused,
    MembershipDisagreement,
    TlsNotUsable,
    MigrationRefused,
    MigrationUnexpectedMember,
    MigrationTlsNotUsable,
    MigrationFailed,
    MigrationPeerUnreachable,
    // EvenMemberCount
    EvenMemberCount,
    // QuotaExceedsVolume
    QuotaExceedsVolume,
    // StorageOSSynced
    Synced,
    RestartRequired,
    SettlingMembership,
    WaitingForStorageOSCluster,
    StorageOSNotInstalled,
    StorageOSAccessDenied,
    WaitingForQuorum,
    WaitingForClientSecret,
    WaitingForMigration,
    RecreatingStorageOSCluster,
    // CaRotating
    CaRotationBundling,
    CaRotationReissuing,
    CaRotationDropping,
    CaRotationCompleted,
    // BackupSucceeded
    BackupCompleted,
    BackupFailed,
    ClusterIdMismatch
}
