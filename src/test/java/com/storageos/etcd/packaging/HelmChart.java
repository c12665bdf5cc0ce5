package com.storageos.etcd.packaging;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The operator's Helm chart, rendered and linted in-process by helm-java (no helm binary, no cluster). */
public final class HelmChart {

    public static final Path CHART_DIR = Path.of("helm", "etcd-operator");
    public static final String RELEASE_NAME = "etcd-operator";
    public static final String RELEASE_NAMESPACE = "etcd-operator";

    /** Kubernetes version the chart is rendered for; the chart requires 1.25 or later. */
    static final String KUBE_VERSION = "1.30.0";
    /** Every optional part switched on, per-namespace RBAC included. */
    static final Path ALL_OPTIONAL_PARTS = CHART_DIR.resolve("ci").resolve("all-optional-values.yaml");

    private final Map<String, Object> values = new LinkedHashMap<>();
    private Path valuesFile;

    public static HelmChart withDefaults() {
        return new HelmChart();
    }

    public HelmChart set(String key, Object value) {
        values.put(key, value);
        return this;
    }

    HelmChart withValuesFile(Path file) {
        valuesFile = file;
        return this;
    }

    public String renderText() {
        TemplateCommand template = new Helm(CHART_DIR).template()
                .withName(RELEASE_NAME)
                .withNamespace(RELEASE_NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            template.withValuesFile(valuesFile);
        }
        values.forEach(template::set);
        return template.call();
    }

    RenderedManifests render() {
        return RenderedManifests.parse(renderText());
    }

    LintResult lintStrict() {
        var lint = new Helm(CHART_DIR).lint().strict();
        return lint.call();
    }
}
