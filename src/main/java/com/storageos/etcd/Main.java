package com.storageos.etcd;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * One image, several modes: no argument runs the operator; {@code tool <name> ...} runs one tool
 * (bootstrap, backup, defrag) as plain Java and exits, without starting the operator.
 */
@QuarkusMain
public class Main {
    public static void main(String... args) throws Exception {
        if (args.length > 0 && args[0].equals("tool")) {
            System.exit(ToolRunner.run(Arrays.asList(args).subList(1, args.length), System.getenv()));
        }
        Quarkus.run(args);
    }
}
