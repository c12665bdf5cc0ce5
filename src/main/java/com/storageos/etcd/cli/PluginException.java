package com.storageos.etcd.cli;

/** A command that cannot go on: the message for stderr and the exit code ({@link ExitCode}). */
final class PluginException extends Exception {
    private final int exitCode;

    PluginException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
