#!/bin/sh
# kubectl-etcd: the `kubectl etcd` plugin of the etcd operator for StorageOS. A self-contained jar follows this
# script in the same file; it needs Java 25 or later, from JAVA_HOME or the PATH. Usage: kubectl etcd --help
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -jar "$0" "$@"
