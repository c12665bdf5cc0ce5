package com.storageos.etcd.packaging;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The RBAC verbs that the calls in one fabric8 DSL chain need, split into the resource and its status. */
record ChainVerbs(Set<String> onResource, Set<String> onStatus) {

    private static final Map<Pattern, Set<String>> RESOURCE_CALLS = Map.of(
            call("get"), Set.of("get"),
            call("list"), Set.of("list"),
            call("watch|inform|informOnCondition|runnableInformer|waitUntilCondition|waitUntilReady"),
            Set.of("get", "list", "watch"),
            call("create"), Set.of("create"),
            call("createOr|createOrReplace"), Set.of("create", "update"),
            call("serverSideApply"), Set.of("create", "patch"),
            call("patch|edit"), Set.of("patch"),
            call("update|replace"), Set.of("update"),
            call("delete"), Set.of("delete"));

    private static final Map<Pattern, Set<String>> STATUS_CALLS = Map.of(
            call("patchStatus|editStatus"), Set.of("patch"),
            call("updateStatus|replaceStatus"), Set.of("update"));

    /** The scanner sees string literals blanked, so any named subresource counts as status (scale has its own scale()). */
    private static final Pattern STATUS_SUBRESOURCE = Pattern.compile("\\.subresource\\([^)]*\\)");

    static ChainVerbs of(String chain) {
        Matcher status = STATUS_SUBRESOURCE.matcher(chain);
        if (status.find()) {
            // pods().withName(n).subresource("status").patch(...): the calls after it write the status, not the resource.
            return new ChainVerbs(verbs(RESOURCE_CALLS, chain.substring(0, status.start())), verbs(RESOURCE_CALLS, chain.substring(status.end())));
        }
        return new ChainVerbs(verbs(RESOURCE_CALLS, chain), verbs(STATUS_CALLS, chain));
    }

    private static Set<String> verbs(Map<Pattern, Set<String>> calls, String chain) {
        Set<String> verbs = new TreeSet<>();
        calls.forEach((pattern, granted) -> {
            if (pattern.matcher(chain).find()) {
                verbs.addAll(granted);
            }
        });
        return verbs;
    }

    private static Pattern call(String names) {
        return Pattern.compile("\\.(?:" + names + ")\\(");
    }
}
