package com.storageos.etcd.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every PromQL query of the chart, as rendered with all its optional parts on: each alert's
 * expression with the labels its description prints, each dashboard target with the labels its
 * legend prints. Also what the chart's monitors add to the scraped series.
 */
public final class ChartMonitoringQueries {
    /** Labels the Prometheus Operator gives every target of a PodMonitor; a ServiceMonitor adds {@code service}. */
    public static final Set<String> POD_TARGET_LABELS = Set.of("job", "instance", "namespace", "pod", "container", "endpoint");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right",
            // aggregations, which may be followed by their grouping instead of a parenthesis
            "sum", "min", "max", "avg", "count", "group", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values");
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Pattern TEMPLATE_LABEL = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");
    private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");

    /** One query: where it is, its metric names, and every label it matches, groups by or prints. */
    public record Query(String where, String expr, Set<String> metrics, Set<String> labels) { }

    private final RenderedManifests rendered = HelmChart.withDefaults().withValuesFile(HelmChart.ALL_OPTIONAL_PARTS).render();

    public List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (Map<String, Object> group : rendered.single("PrometheusRule").getList("spec", "groups")) {
            for (Object r : (List<?>) group.get("rules")) {
                Map<String, Object> rule = RenderedManifests.map(r);
                String expr = ((String) rule.get("expr")).trim();
                Set<String> labels = labelsIn(expr);
                RenderedManifests.map(rule.get("annotations")).values()
                        .forEach(text -> matches(TEMPLATE_LABEL, String.valueOf(text)).forEach(labels::add));
                queries.add(new Query("alert " + rule.get("alert"), expr, metricsIn(expr), labels));
            }
        }
        JsonNode dashboard = dashboard();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                Set<String> labels = labelsIn(expr);
                labels.addAll(matches(LEGEND_LABEL, target.path("legendFormat").asText()));
                queries.add(new Query("panel " + panel.path("title").asText(), expr, metricsIn(expr), labels));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(variable.path("query").asText());
            if (m.matches()) {
                queries.add(new Query("variable " + variable.path("name").asText(), m.group(), Set.of(m.group(1)), Set.of(m.group(2))));
            }
        }
        return queries;
    }

    /** Whether the operator's ServiceMonitor keeps the labels of the scraped series over the target's own. */
    public boolean operatorMonitorHonorsLabels() {
        return rendered.single("ServiceMonitor").getList("spec", "endpoints").stream()
                .allMatch(e -> Boolean.TRUE.equals(e.get("honorLabels")));
    }

    /** Labels an etcd member's series carry once the chart's PodMonitor scraped it. */
    public Set<String> memberTargetLabels() {
        Set<String> labels = new TreeSet<>(POD_TARGET_LABELS);
        for (Map<String, Object> endpoint : rendered.single("PodMonitor").getList("spec", "podMetricsEndpoints")) {
            for (Object relabel : (List<?>) endpoint.getOrDefault("relabelings", List.of())) {
                labels.add((String) RenderedManifests.map(relabel).get("targetLabel"));
            }
        }
        return labels;
    }

    private JsonNode dashboard() {
        String json = (String) rendered.single("ConfigMap").getMap("data").get("etcd-operator.json");
        try {
            return new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Metric names of a PromQL expression: identifiers outside label matchers, ranges, strings and groupings, not calls. */
    static Set<String> metricsIn(String expr) {
        Set<String> metrics = new LinkedHashSet<>();
        scan(expr, metrics, new LinkedHashSet<>());
        return metrics;
    }

    /** Label names a PromQL expression matches on or groups by. */
    static Set<String> labelsIn(String expr) {
        Set<String> labels = new LinkedHashSet<>();
        scan(expr, new LinkedHashSet<>(), labels);
        return labels;
    }

    private static void scan(String expr, Set<String> metrics, Set<String> labels) {
        int braces = 0;
        boolean grouping = false;
        for (int i = 0; i < expr.length(); ) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < expr.length() && expr.charAt(end) != c) {
                    end += expr.charAt(end) == '\\' ? 2 : 1;
                }
                i = end + 1;
            } else if (c == '[') {
                i = expr.indexOf(']', i) + 1;
            } else if (Character.isDigit(c) || c == '.') {
                while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int end = i;
                while (end < expr.length() && (Character.isLetterOrDigit(expr.charAt(end)) || expr.charAt(end) == '_' || expr.charAt(end) == ':')) {
                    end++;
                }
                String word = expr.substring(i, end);
                int next = end;
                while (next < expr.length() && expr.charAt(next) == ' ') {
                    next++;
                }
                boolean call = next < expr.length() && expr.charAt(next) == '(';
                if (braces > 0 || grouping) {
                    labels.add(word);
                } else if (GROUPING.contains(word)) {
                    grouping = call;
                } else if (!call && !KEYWORDS.contains(word)) {
                    metrics.add(word);
                }
                i = end;
            } else {
                if (c == '{') {
                    braces++;
                } else if (c == '}') {
                    braces--;
                } else if (c == ')' && grouping) {
                    grouping = false;
                }
                i++;
            }
        }
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
