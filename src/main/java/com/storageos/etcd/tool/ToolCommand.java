package com.storageos.etcd.tool;

import java.util.List;
import java.util.Map;

/** A job the operator image runs in tool mode: {@code tool <name> [args]}. Returns the process exit code. */
public interface ToolCommand {
    String name();

    int run(List<String> args, Map<String, String> env) throws Exception;
}
