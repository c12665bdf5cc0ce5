package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.packaging.RenderedManifests.Manifest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HelmChartMonitoringTest {

    private final RenderedManifests rendered =
            HelmChart.withDefaults().withValuesFile(HelmChart.ALL_OPTIONAL_PARTS).render();

    @Test
    void serviceMonitorScrapesQuarkusMetrics() {
        Manifest monitor = rendered.single("ServiceMonitor");

        assertThat(monitor.getList("spec", "endpoints")).singleElement().satisfies(endpoint ->
                assertThat(endpoint).containsEntry("port", "http-metrics").containsEntry("path", "/q/metrics")
                        .as("the gauges' namespace label is the EtcdCluster's, not the operator pod's")
                        .containsEntry("honorLabels", true));
        assertThat(monitor.getMap("metadata", "labels")).containsEntry("release", "prometheus");
    }

    @Test
    void podMonitorScrapesEveryMemberAndLabelsItsCluster() {
        Manifest monitor = rendered.single("PodMonitor");

        assertThat(monitor.getMap("spec", "selector", "matchLabels"))
                .containsEntry("app.kubernetes.io/name", "etcd").containsEntry("app.kubernetes.io/managed-by", "etcd-operator");
        assertThat(monitor.getMap("spec", "namespaceSelector")).containsEntry("matchNames", List.of("team-a", "team-b"));
        assertThat(monitor.getList("spec", "podMetricsEndpoints")).singleElement().satisfies(endpoint -> {
            assertThat(endpoint).containsEntry("port", "metrics").containsEntry("path", "/metrics");
            assertThat(endpoint.get("relabelings")).asList().singleElement().isEqualTo(Map.of(
                    "sourceLabels", List.of("__meta_kubernetes_pod_label_etcd_storageos_com_cluster"), "targetLabel", "etcd_cluster"));
        });
    }

    @Test
    void prometheusRuleAlertsOnEveryDesignedCondition() {
        Map<String, String> alerts = alertExpressions(rendered.single("PrometheusRule"));

        assertThat(alerts).containsOnlyKeys("EtcdNoLeader", "EtcdMemberDown", "EtcdQuorumLost", "EtcdQuorumAtRisk",
                "EtcdHighNumberOfLeaderChanges", "EtcdHighNumberOfFailedGRPCRequests", "EtcdMemberCommunicationSlow",
                "EtcdHighNumberOfFailedProposals", "EtcdHighFsyncDurations", "EtcdHighCommitDurations", "EtcdDatabaseNearQuota",
                "EtcdDatabaseQuotaLowSpace", "EtcdExcessiveDatabaseGrowth", "EtcdDatabaseHighFragmentationRatio",
                "EtcdOperatorDown", "EtcdClusterNotReported", "EtcdBackupTooOld", "EtcdRecoveryPointTooOld", "EtcdDefragFailing",
                "EtcdCertificateExpiresSoon", "EtcdClusterDegraded", "EtcdStorageOSRestartRequired", "EtcdMigrationAwaitingApproval");
        assertThat(alerts.get("EtcdNoLeader")).contains("etcd_server_has_leader{job=~\".*etcd.*\",etcd_cluster!=\"\"} == 0");
        assertThat(alerts.get("EtcdOperatorDown"))
                .as("the job the ServiceMonitor gives the operator's target: its Service's name")
                .isEqualTo("absent(up{job=\"etcd-operator-metrics\",namespace=\"etcd-operator\"} == 1)");
        assertThat(alerts.get("EtcdDatabaseNearQuota"))
                .contains("etcd_mvcc_db_total_size_in_bytes").contains("/ etcd_server_quota_backend_bytes")
                .endsWith("> 0.8");
        assertThat(alerts.get("EtcdBackupTooOld"))
                .contains("time() - etcd_operator_backup_last_success_timestamp_seconds");
        assertThat(alerts.get("EtcdRecoveryPointTooOld")).isEqualTo("etcd_operator_backup_recovery_point_age_seconds > 60");
        assertThat(alerts.get("EtcdDefragFailing")).startsWith("etcd_operator_defrag_last_failure_timestamp_seconds > (")
                .contains("etcd_operator_defrag_last_success_timestamp_seconds");
        assertThat(alerts.get("EtcdCertificateExpiresSoon"))
                .isEqualTo("etcd_operator_certificate_expiry_timestamp_seconds - time() < 1209600");
    }

    @Test
    void theClusterLabelIsOneValueForMonitorsRulesAndTheOperator() {
        RenderedManifests custom = HelmChart.withDefaults().withValuesFile(HelmChart.ALL_OPTIONAL_PARTS)
                .set("metrics.clusterLabel", "etcdcluster").render();

        assertThat(custom.single("PodMonitor").getList("spec", "podMetricsEndpoints").get(0).get("relabelings")).asList()
                .singleElement().asString().contains("targetLabel=etcdcluster");
        assertThat(alertExpressions(custom.single("PrometheusRule")).get("EtcdQuorumLost"))
                .startsWith("sum by (namespace, etcdcluster) (up{job=~\".*etcd.*\",etcdcluster!=\"\"})");
        assertThat(custom.single("Deployment").getList("spec", "template", "spec", "containers").get(0).get("env"))
                .asList().contains(Map.of("name", "ETCD_OPERATOR_METRICS_CLUSTER_LABEL", "value", "etcdcluster"));
    }

    @Test
    void alertDescriptionsKeepPrometheusTemplates() {
        Manifest rule = rendered.single("PrometheusRule");

        assertThat(rule.getList("spec", "groups", 0, "rules").get(0))
                .extracting(r -> RenderedManifests.map(r.get("annotations")).get("description"))
                .asString().contains("{{ $labels.pod }}");
    }

    @Test
    void dashboardConfigMapIsPickedUpByTheGrafanaSidecar() throws Exception {
        Manifest dashboard = rendered.single("ConfigMap");

        assertThat(dashboard.getMap("metadata", "labels")).containsEntry("grafana_dashboard", "1");
        String json = (String) dashboard.getMap("data").get("etcd-operator.json");
        Map<?, ?> parsed = new ObjectMapper().readValue(json, Map.class);
        assertThat((List<?>) parsed.get("panels")).isNotEmpty();
    }

    @Test
    void queriesNameTheirMetricsAndLabels() {
        String expr = "histogram_quantile(0.99, sum by (pod, le) (rate(etcd_disk_wal_fsync_duration_seconds_bucket{namespace=~\"$ns\"}[5m])))"
                + " and on (cluster) time() - etcd_operator_backup_last_success_timestamp_seconds > 90000";

        assertThat(ChartMonitoringQueries.metricsIn(expr))
                .containsExactly("etcd_disk_wal_fsync_duration_seconds_bucket", "etcd_operator_backup_last_success_timestamp_seconds");
        assertThat(ChartMonitoringQueries.labelsIn(expr)).containsExactlyInAnyOrder("pod", "le", "namespace", "cluster");
    }

    private static Map<String, String> alertExpressions(Manifest rule) {
        Map<String, String> alerts = new TreeMap<>();
        for (Map<String, Object> group : rule.getList("spec", "groups")) {
            for (Object r : (List<?>) group.get("rules")) {
                Map<String, Object> alert = RenderedManifests.map(r);
                alerts.put((String) alert.get("alert"), ((String) alert.get("expr")).trim());
            }
        }
        return alerts;
    }
}
