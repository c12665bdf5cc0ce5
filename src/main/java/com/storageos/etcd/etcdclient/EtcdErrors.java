package com.storageos.etcd.etcdclient;

import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns whatever jetcd or gRPC threw into an {@link EtcdAdminException}. etcd reports its reasons
 * only as gRPC status text (and reuses status codes: "unhealthy cluster" is UNAVAILABLE too), so
 * the text is checked before the code.
 */
final class EtcdErrors {

    private EtcdErrors() {
    }

    static EtcdAdminException classify(String what, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof EtcdAdminException e) {
            return e;
        }
        String code = codeOf(cause);
        String text = code + ": " + describe(cause);
        return new EtcdAdminException(kindOf(cause, code, text), what + " failed: " + text, cause);
    }

    /** The gRPC code; jetcd's client rethrows it as its own EtcdException with the same code names. */
    private static String codeOf(Throwable cause) {
        Status status = Status.fromThrowable(cause);
        if (status.getCode() == Status.Code.UNKNOWN && cause instanceof EtcdException e) {
            return e.getErrorCode().name();
        }
        return status.getCode().name();
    }

    private static EtcdAdminException.Kind kindOf(Throwable cause, String code, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("can only promote a learner member which is in sync with leader")) {
            return EtcdAdminException.Kind.LEARNER_NOT_READY;
        }
        // "not enough started members" is the same strict reconfig check, before a new member ever started.
        if (lower.contains("unhealthy cluster") || lower.contains("not enough started members")) {
            return EtcdAdminException.Kind.UNHEALTHY_CLUSTER;
        }
        if (lower.contains("member not found")) {
            return EtcdAdminException.Kind.MEMBER_NOT_FOUND;
        }
        if (lower.contains("peer urls already exists")) {
            return EtcdAdminException.Kind.PEER_URL_EXISTS;
        }
        if (cause instanceof TimeoutException || cause instanceof CancellationException
                || code.equals("UNAVAILABLE") || code.equals("DEADLINE_EXCEEDED")
                // A member killed while the call was on the wire: the stream is cut, which gRPC may report as CANCELLED.
                || code.equals("CANCELLED") || lower.contains("connection refused") || lower.contains("connection reset")) {
            return EtcdAdminException.Kind.UNAVAILABLE;
        }
        return EtcdAdminException.Kind.OTHER;
    }

    /** Futures wrap the real failure in ExecutionException/CompletionException; peel those off. */
    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException
                || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Every message down the cause chain: etcd's reason may sit at any level. */
    private static String describe(Throwable cause) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append("; ");
        }
        return text.toString();
    }
}
