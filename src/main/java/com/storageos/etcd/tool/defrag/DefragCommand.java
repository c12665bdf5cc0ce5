package com.storageos.etcd.tool.defrag;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.DefragSpec;
import com.storageos.etcd.api.v1alpha1.spec.EtcdTuningSpec;
import com.storageos.etcd.api.v1alpha1.status.DefragStatus;
import com.storageos.etcd.api.v1alpha1.status.DefragStatus.MemberDefrag;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdAdminFactory;
import com.storageos.etcd.etcdclient.EtcdAlarm;
import com.storageos.etcd.tool.ClientTlsFiles;
import com.storageos.etcd.tool.ClusterRecorder;
import com.storageos.etcd.tool.ProgressReporter;
import com.storageos.etcd.tool.ToolCommand;
import com.storageos.etcd.tool.defrag.DefragPlan.MemberState;
import com.storageos.etcd.toolcontract.DefragOutcome;
import com.storageos.etcd.toolcontract.ToolEnv;
import com.storageos.etcd.toolcontract.ToolProgress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code tool defrag}: plan with {@link DefragPlan}, defragment the targets one by one (stopping at
 * the first failure), clear NOSPACE once space is back, record status.lastDefrag and an Event.
 */
public final class DefragCommand implements ToolCommand {
    private final Supplier<KubernetesClient> kubernetes;
    private final EtcdAdminFactory admins;
    private final Clock clock;

    public DefragCommand(Supplier<KubernetesClient> kubernetes, EtcdAdminFactory admins, Clock clock) {
        this.kubernetes = kubernetes;
        this.admins = admins;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "defrag";
    }

    @Override
    public int run(List<String> args, Map<String, String> env) {
        ClusterRecorder recorder = new ClusterRecorder(kubernetes.get(), env.get(ToolEnv.NAMESPACE), env.get(ToolEnv.CLUSTER_NAME), clock);
        EtcdCluster cluster = recorder.get();
        DefragStatus status = new DefragStatus();
        status.setTime(clock.instant().toString());
        // One write a member: a defragmentation blocks the member for seconds to minutes and etcd reports nothing meanwhile.
        ProgressReporter progress = new ProgressReporter(recorder, clock, ToolProgress.DEFRAG, "Members", Duration.ZERO);
        try (EtcdAdmin admin = admins.connect(Arrays.asList(env.getOrDefault(ToolEnv.ENDPOINTS, "").split(",")), ClientTlsFiles.read(env))) {
            status.setOutcome(defragment(cluster, admin, status, progress));
        } catch (RuntimeException e) {
            status.setOutcome("Failed: " + e.getMessage());
        } finally {
            progress.clear();
        }
        boolean ok = status.getOutcome().equals(DefragOutcome.SUCCEEDED);
        recorder.record(s -> s.setLastDefrag(status));
        recorder.event(ok ? "Normal" : "Warning", ok ? "DefragSucceeded" : "DefragFailed", summary(status));
        (ok ? System.out : System.err).println("defrag " + summary(status));
        return ok ? 0 : 1;
    }

    String defragment(EtcdCluster cluster, EtcdAdmin admin, DefragStatus status, ProgressReporter progress) {
        DefragSpec spec = Optional.ofNullable(cluster.getSpec().getDefrag())
                .orElseThrow(() -> new IllegalArgumentException("spec.defrag is not set"));
        long quota = quota(cluster);
        status.setDryRun(Boolean.TRUE.equals(spec.getDryRun()));
        DefragPlan.Plan plan = DefragPlan.plan(MemberObserver.observe(admin), DefragPlan.Rule.of(spec, quota));
        if (plan.blocked().isPresent()) {
            return "Failed: " + plan.blocked().get();
        }
        plan.untouched().forEach(m -> status.getMembers().add(outcome(m, "NotNeeded")));
        if (status.getDryRun()) {
            plan.targets().forEach(m -> status.getMembers().add(outcome(m, "WouldDefragment")));
            return DefragOutcome.SUCCEEDED;
        }
        MemberDefragger defragger = new MemberDefragger(admin, Duration.ofSeconds(spec.getTimeoutSeconds()));
        List<MemberState> targets = plan.targets();
        for (MemberState target : targets) {
            int finished = targets.indexOf(target);
            progress.report(finished, (long) targets.size(), "defragmenting " + target.name() + " (" + target.dbSize() + " bytes); "
                    + finished + " of " + targets.size() + " members done" + (finished == 0 ? "" : ", " + reclaimed(status) + " bytes reclaimed"));
            MemberDefrag done = defragger.defragment(target);
            status.getMembers().add(done);
            if (!MemberDefragger.DONE.equals(done.getOutcome())) {
                return "Failed: " + target.name() + " " + done.getOutcome();
            }
        }
        clearNospace(admin, quota);
        return DefragOutcome.SUCCEEDED;
    }

    /** Disarm only when every member is under 90 % of the quota, or the alarm would fire again at once. */
    private static void clearNospace(EtcdAdmin admin, long quota) {
        if (admin.alarms().stream().noneMatch(a -> a.type().equals(EtcdAlarm.NOSPACE))) {
            return;
        }
        List<Long> sizes = MemberObserver.observe(admin).stream().map(MemberState::dbSize).toList();
        if (!DefragPlan.spaceIsBack(sizes, quota)) {
            throw new EtcdAdminException(EtcdAdminException.Kind.OTHER, "NOSPACE kept: db sizes " + sizes + " not under 90% of " + quota, null);
        }
        admin.disarm(new EtcdAlarm(0, EtcdAlarm.NOSPACE));
    }

    private static long quota(EtcdCluster cluster) {
        return Optional.ofNullable(cluster.getSpec().getEtcd()).map(EtcdTuningSpec::getQuotaBackendBytes)
                .orElse(EtcdTuningSpec.DEFAULT_QUOTA);
    }

    private static MemberDefrag outcome(MemberState m, String outcome) {
        MemberDefrag d = MemberDefragger.entry(m, m.dbSize());
        d.setOutcome(outcome);
        return d;
    }

    private static long reclaimed(DefragStatus s) {
        return s.getMembers().stream().filter(m -> m.getAfterBytes() != null).mapToLong(m -> m.getBeforeBytes() - m.getAfterBytes()).sum();
    }

    private static String summary(DefragStatus s) {
        return s.getOutcome() + (Boolean.TRUE.equals(s.getDryRun()) ? " (dry run)" : "") + ", reclaimed " + reclaimed(s)
                + " bytes over " + s.getMembers().stream().map(m -> m.getName() + "=" + m.getOutcome()).toList();
    }
}
