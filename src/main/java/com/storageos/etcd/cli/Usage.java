package com.storageos.etcd.cli;

/** {@code kubectl etcd --help}. */
final class Usage {
    static final String TEXT = """
            Operate an EtcdCluster (etcd.storageos.com/v1alpha1) through the operator's request annotations.

            Usage:
              kubectl etcd <command> [NAME] [flags]

            NAME is the EtcdCluster; without it, the only one in the namespace.

            Commands:
              status              members, roles, leader, conditions, last backup, any request under way
              backups             the last backup (location, size, SHA-256, restore check) and the backup Jobs kept
              backup [--wait]     take a backup now (etcd.storageos.com/backup-now); --wait follows its Job to the end
              restore --from B    restore from backup B after quorum is lost (etcd.storageos.com/restore-from-backup):
                                  "latest" (the newest snapshot and the changes recorded after it) or a backup's
                                  name (that snapshot as it is); --force even while quorum holds
              restore --revision N, restore --time T
                                  restore to etcd revision N, or to time T (RFC 3339, 2026-12-07T15:04:05Z): the
                                  newest snapshot before it, then the recorded changes up to it (etcd 3.5 and later)
              recover             recover from the most advanced surviving member after quorum is lost
                                  (etcd.storageos.com/recover-from-survivor); --force even while quorum holds
              approve-migration   approve the proposed migration plan (etcd.storageos.com/approve-migration);
                                  --plan ID to approve a plan you have read, else the one status.migration proposes
              rotate-ca           replace the generated CA now (etcd.storageos.com/rotate-ca)
              pause, resume       stop, then allow again, every change the operator makes (etcd.storageos.com/paused)

            Every command but status, backups and backup follows the request to its end, printing a line each time
            its progress changes; --no-wait returns once the request is written.

            Flags:
              -n, --namespace NS    the namespace (default: the context's, else "default")
                  --kubeconfig F    the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
                  --context C       the kubeconfig context (default: the current one)
                  --timeout D       how long to follow a request: 90s, 10m, 1h (default 15m)
              -h, --help            this text

            Exit codes:
              0  done
              1  the request was refused or failed (the reason is on stderr)
              2  bad command line
              3  the cluster was not found, or the API server refused or could not be reached
              4  still under way when --timeout ran out (the operator carries on)
            """;

    private Usage() {
    }
}
