package com.storageos.etcd.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.function.UnaryOperator;

/** How the kubelet runs an init container in-process (the operator image is this very program). */
@FunctionalInterface
interface InitContainer {
    /**
     * @param paths rewrites in-container paths to host paths
     * @return the exit code; a refusal also writes the env's TERMINATION_MESSAGE_PATH
     */
    int run(Pod pod, Container container, Map<String, String> env, UnaryOperator<String> paths) throws Exception;
}
