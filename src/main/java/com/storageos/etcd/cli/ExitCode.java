package com.storageos.etcd.cli;

/** The plugin's exit codes, as the README lists them. */
public final class ExitCode {
    /** The command did what it said; a followed request ended well. */
    public static final int OK = 0;
    /** The operator refused the request, or it ended in failure (refused, aborted, a failed backup Job, a failed migration). */
    public static final int FAILED = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** The cluster could not be found or the API server refused or could not be reached. */
    public static final int API = 3;
    /** The request was still under way when --timeout ran out; it carries on in the operator. */
    public static final int TIMEOUT = 4;

    private ExitCode() {
    }
}
