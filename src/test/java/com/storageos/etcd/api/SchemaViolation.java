package com.storageos.etcd.api;

/**
 * One reason the API server would refuse an object: the field path it reports and the message after
 * "Invalid value: ...:". For OpenAPI checks the message reads like the API server's own (it names the
 * path itself); for a CEL rule it is the rule's message.
 */
record SchemaViolation(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
