package com.storageos.etcd.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The union of the rules of some rendered Roles or ClusterRoles, queried like the API server's authorizer. */
final class PolicyRules {

    private final List<Rule> rules;

    private PolicyRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static PolicyRules of(List<RenderedManifests.Manifest> roles) {
        List<Rule> rules = new ArrayList<>();
        for (RenderedManifests.Manifest role : roles) {
            for (Map<String, Object> rule : role.getList("rules")) {
                rules.add(Rule.from(rule));
            }
        }
        return new PolicyRules(rules);
    }

    boolean allows(String apiGroup, String resource, String verb) {
        return rules.stream().anyMatch(rule -> rule.matches(apiGroup, resource, verb));
    }

    /** Verbs granted on every object of the resource: rules limited to resourceNames do not count. */
    Set<String> verbsOn(String apiGroup, String resource) {
        Set<String> verbs = new TreeSet<>();
        rules.stream()
                .filter(rule -> rule.resourceNames().isEmpty() && rule.covers(apiGroup, resource))
                .forEach(rule -> verbs.addAll(rule.verbs()));
        return verbs;
    }

    /** Every resource some rule names (no wildcard expansion: a wildcard shows as "*"). */
    Set<KubeResource> resources() {
        Set<KubeResource> resources = new TreeSet<>();
        rules.forEach(rule -> rule.apiGroups().forEach(group -> rule.resources()
                .forEach(resource -> resources.add(KubeResource.of(group, resource)))));
        return resources;
    }

    boolean mentions(String apiGroup, String resource) {
        return rules.stream().anyMatch(rule -> rule.covers(apiGroup, resource));
    }

    record Rule(List<String> apiGroups, List<String> resources, List<String> verbs, List<String> resourceNames) {

        @SuppressWarnings("unchecked")
        static Rule from(Map<String, Object> rule) {
            return new Rule(
                    (List<String>) rule.getOrDefault("apiGroups", List.of()),
                    (List<String>) rule.getOrDefault("resources", List.of()),
                    (List<String>) rule.getOrDefault("verbs", List.of()),
                    (List<String>) rule.getOrDefault("resourceNames", List.of()));
        }

        boolean covers(String apiGroup, String resource) {
            return (apiGroups.contains(apiGroup) || apiGroups.contains("*"))
                    && (resources.contains(resource) || resources.contains("*"));
        }

        boolean matches(String apiGroup, String resource, String verb) {
            return resourceNames.isEmpty() && covers(apiGroup, resource)
                    && (verbs.contains(verb) || verbs.contains("*"));
        }
    }
}
