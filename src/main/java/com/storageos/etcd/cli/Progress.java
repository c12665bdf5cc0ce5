package com.storageos.etcd.cli;

/** Where a followed request stands, and the line that says so. */
public record Progress(State state, String line) {
    public enum State { WAITING, DONE, FAILED }

    static Progress waiting(String line) {
        return new Progress(State.WAITING, line);
    }

    static Progress done(String line) {
        return new Progress(State.DONE, line);
    }

    static Progress failed(String line) {
        return new Progress(State.FAILED, line);
    }
}
