package com.storageos.etcd.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Operator-wide settings, from application.properties or ETCD_OPERATOR_* environment variables. */
@ConfigMapping(prefix = "etcd-operator")
public interface OperatorConfig {
    /** This operator's own image: member pods run it as their bootstrap init container, CronJobs as tools. */
    @WithDefault("ghcr.io/storageos/etcd-operator:0.1.0")
    String operatorImage();

    /** Upstream etcd image repository; the tag is v&lt;spec.version&gt;. The image is distroless: no shell. */
    @WithDefault("gcr.io/etcd-development/etcd")
    String etcdImageRepository();

    /** The cluster's DNS domain: in the members' peer and client URLs and the names their certificates cover. */
    @WithDefault("cluster.local")
    String clusterDomain();

    /** Pull Secrets (names, comma-separated) that every member and tool pod carries, in its cluster's namespace. */
    Optional<List<String>> imagePullSecrets();

    /** The platform assigns the pods' UID, GID and fsGroup (OpenShift): default security contexts name none. */
    @WithDefault("false")
    boolean platformAssignsUser();

    /** The leader-election Lease in the operator's namespace; one per release, so that two releases never share it. */
    @WithDefault("etcd-operator-leader")
    String leaseName();

    /**
     * Set ({@code 127.<a>.<b>}) only where members run as processes on one host rather than as pods
     * (the sandbox): each member then listens on {@code 127.<a>.<b>.1<ordinal>} instead of its DNS name.
     * A two-octet prefix ({@code 127.<a>}, the scale benchmark) gives each cluster its own third octet.
     */
    Optional<String> memberLoopbackPrefix();

    /**
     * A learner (of a scale-up or a replacement) that has not started, or not caught up with the leader's raft index, by then
     * is removed with a reason, and added again later.
     */
    @WithDefault("5m")
    Duration learnerDeadline();

    /**
     * A recovery whose survivor has not run alone by then says so (Degraded=SurvivorNotStarting), with the commands that
     * supersede or abort it.
     */
    @WithDefault("5m")
    Duration survivorDeadline();

    /**
     * The label naming the EtcdCluster on every per-cluster gauge. Not {@code cluster}: multi-cluster Prometheus setups
     * add that as an external label naming the Kubernetes cluster, and a series' own label would hide it.
     */
    @WithDefault("etcd_cluster")
    String metricsClusterLabel();

    /** Deadline of one etcd call. */
    @WithDefault("5s")
    Duration etcdCallTimeout();
}
