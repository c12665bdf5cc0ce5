package com.storageos.etcd.tool;

import static com.storageos.etcd.tool.ToolRbacApiServerTest.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.metrics.ClusterMetrics;
import com.storageos.etcd.packaging.ChartMonitoringQueries;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.testing.PrometheusText;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;

/**
 * ToolRbacApiServerTest's monitoring half, on its running operator and etcd members: the chart's alerts and
 * dashboard query only metrics and labels they really export, and the operator's gauges follow the clusters.
 */
final class MonitoringChecks {
    /** Every metric and label an alert or a dashboard panel uses, against a scrape of the operator and of etcd. */
    static void chartQueriesOnlyWhatIsExported(OperatorProcess operator, EtcdTestCluster etcd) throws Exception {
        Map<String, String> ours = Map.of("namespace", NS, "etcd_cluster", "storageos-etcd");
        await(() -> PrometheusText.parse(operator.get("/q/metrics")).metricsWith(ours).size() > 0, "the operator's gauges of the cluster");
        await(() -> PrometheusText.parse(operator.get("/q/metrics")).metricsWith(Map.of("etcd_cluster", "secure")).size() > 0,
                "the operator's gauges of the TLS cluster");
        PrometheusText operatorScrape = PrometheusText.parse(operator.get("/q/metrics"));
        Set<String> ourMetrics = new TreeSet<>(operatorScrape.metricsWith(ours));
        ourMetrics.addAll(operatorScrape.metricsWith(Map.of("namespace", NS, "etcd_cluster", "secure")));
        List<String> memberScrapes = new ArrayList<>();
        for (String url : etcd.clientUrls()) {
            memberScrapes.add(get(url + "/metrics"));
        }
        PrometheusText memberScrape = PrometheusText.parse(memberScrapes.toArray(String[]::new));
        ChartMonitoringQueries chart = new ChartMonitoringQueries();
        Set<String> memberTargetLabels = chart.memberTargetLabels();
        Set<String> operatorTargetLabels = new TreeSet<>(ChartMonitoringQueries.POD_TARGET_LABELS);
        operatorTargetLabels.add("service");

        SoftAssertions soft = new SoftAssertions();
        String documented = Files.readString(Path.of("docs", "metrics.md"));
        for (String metric : ourMetrics) {
            soft.assertThat(documented).as("docs/metrics.md lists the operator's " + metric).contains("`" + metric + "`");
        }
        for (ChartMonitoringQueries.Query q : chart.queries()) {
            for (String metric : q.metrics()) {
                soft.assertThat(documented).as("docs/metrics.md lists " + metric + ", used by " + q.where()).contains("`" + metric + "`");
                Set<String> labels = new TreeSet<>();
                if (metric.equals("up")) {
                    labels.addAll(memberTargetLabels); // written by Prometheus for each member target
                } else if (metric.startsWith("etcd_operator_")) {
                    soft.assertThat(operatorScrape.has(metric)).as(q.where() + ": " + metric + " in the operator's /q/metrics").isTrue();
                    labels.addAll(operatorScrape.labelNames(metric));
                    labels.addAll(operatorTargetLabels);
                } else {
                    soft.assertThat(memberScrape.has(metric)).as(q.where() + ": " + metric + " in etcd's /metrics").isTrue();
                    labels.addAll(memberScrape.labelNames(metric));
                    labels.addAll(memberTargetLabels);
                }
                soft.assertThat(labels).as(q.where() + ": labels of " + metric + " for " + q.expr()).containsAll(q.labels());
            }
        }
        for (String metric : ourMetrics) {
            for (String label : operatorScrape.labelNames(metric)) {
                if (operatorTargetLabels.contains(label)) {
                    soft.assertThat(chart.operatorMonitorHonorsLabels())
                            .as(metric + "'s " + label + " label must reach Prometheus, not be renamed exported_" + label).isTrue();
                }
            }
        }
        soft.assertAll();
    }

    /** A cluster without backup or defrag exports only its conditions and member counts; a deleted cluster exports none at all. */
    static void gaugesFollowTheClusters(ControlPlane plane, OperatorProcess operator) throws Exception {
        plane.admin().resource(plane.admin().getKubernetesSerialization().unmarshal("""
                apiVersion: etcd.storageos.com/v1alpha1
                kind: EtcdCluster
                metadata: {name: plain, namespace: etcd}
                spec: {replicas: 1}
                """, EtcdCluster.class)).create();
        // The status is written after the gauges are updated, in the same reconcile.
        await(() -> {
            EtcdCluster plain = plane.admin().resources(EtcdCluster.class).inNamespace(NS).withName("plain").get();
            return plain.getStatus() != null && !plain.getStatus().getConditions().isEmpty();
        }, "the status of cluster plain");
        // The condition and member gauges follow the status just after it is written.
        Set<String> ofAnyCluster = Set.of(ClusterMetrics.CONDITION, ClusterMetrics.VOTERS, ClusterMetrics.LEARNERS, ClusterMetrics.DESIRED_VOTERS);
        await(() -> PrometheusText.parse(operator.get("/q/metrics")).metricsWith(Map.of("etcd_cluster", "plain")).containsAll(ofAnyCluster),
                "the condition and member gauges of cluster plain");
        assertThat(PrometheusText.parse(operator.get("/q/metrics")).metricsWith(Map.of("etcd_cluster", "plain")))
                .as("gauges of a cluster without backup, defrag or TLS").isEqualTo(ofAnyCluster);

        plane.admin().resources(EtcdCluster.class).inNamespace(NS).withName("storageos-etcd").delete();
        await(() -> PrometheusText.parse(operator.get("/q/metrics")).metricsWith(Map.of("etcd_cluster", "storageos-etcd")).isEmpty(),
                "the gauges of the deleted cluster to go");
    }

    static void await(Callable<Boolean> check, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(check);
    }

    static String get(String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
