package com.storageos.etcd.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Follows a request to its end: one progress line each time what the status says changes, then the outcome. */
final class Follower {
    /** A status read a second: one GET, and a request's phases last seconds to minutes. */
    static final Duration POLL = Duration.ofSeconds(1);

    /** The request's progress as of now; reads the cluster. */
    interface Check {
        Progress now() throws PluginException;
    }

    private final PrintStream out;
    private final Clock clock;

    Follower(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** @return {@link ExitCode#OK} when done; a failure or the timeout throws, with its exit code */
    int follow(Check check, Duration timeout) throws PluginException, InterruptedException {
        Instant start = clock.instant();
        String last = null;
        while (true) {
            Progress progress = check.now();
            long elapsed = Duration.between(start, clock.instant()).getSeconds();
            switch (progress.state()) {
                case DONE -> {
                    out.printf("[%4ds] done: %s%n", elapsed, progress.line());
                    return ExitCode.OK;
                }
                case FAILED -> throw new PluginException(ExitCode.FAILED, progress.line());
                default -> {
                    if (!progress.line().equals(last)) {
                        out.printf("[%4ds] %s%n", elapsed, progress.line());
                        out.flush();
                        last = progress.line();
                    }
                }
            }
            if (Duration.between(start, clock.instant()).compareTo(timeout) >= 0) {
                throw new PluginException(ExitCode.TIMEOUT, "still under way after " + Table.age(timeout) + " (" + last
                        + "); the operator carries on: follow it with kubectl etcd status");
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
