# syntax=docker/dockerfile:1
# The etcd operator for StorageOS. One image, two modes:
#   no arguments          -> the operator
#   tool <name> [args...] -> a tool mode (bootstrap, backup, defrag, follow) for init containers, CronJobs and the backup agent
# Build: docker build -t ghcr.io/storageos/etcd-operator:dev .

# ---- build: the Quarkus fast-jar ----
FROM eclipse-temurin:25.0.3_9-jdk-noble AS build
WORKDIR /build
# The Maven repository lives in a BuildKit cache mount, not in the image.
ENV MAVEN_ARGS="-Dmaven.repo.local=/cache/m2"
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
# Resolve dependencies in their own layer, so a source change does not download them again.
RUN --mount=type=cache,target=/cache/m2 ./mvnw -B -q dependency:resolve dependency:resolve-plugins || true
COPY src/ src/
RUN --mount=type=cache,target=/cache/m2 ./mvnw -B -DskipTests package

# ---- etcdutl and etcdctl: `tool bootstrap` restores a backup with `etcdutl snapshot restore` (etcd 3.5 and
# later) or `etcdctl snapshot restore` (3.4, which has no etcdutl) ----
FROM gcr.io/etcd-development/etcd:v3.5.30 AS etcd

# ---- runtime: a JRE and the fast-jar, run as a non-root user ----
FROM eclipse-temurin:25.0.3_9-jre-noble AS runtime
LABEL org.opencontainers.image.title="etcd-operator" \
      org.opencontainers.image.description="Runs etcd clusters for StorageOS on Kubernetes" \
      org.opencontainers.image.source="https://github.com/storageos/etcd-operator" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /deployments
COPY --from=build /build/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /build/target/quarkus-app/*.jar /deployments/
COPY --from=build /build/target/quarkus-app/app/ /deployments/app/
COPY --from=build /build/target/quarkus-app/quarkus/ /deployments/quarkus/
# etcd itself opens a restored data dir on loopback to replay a point-in-time restore's change chain (tool/pitr/).
COPY --from=etcd /usr/local/bin/etcd /usr/local/bin/etcdctl /usr/local/bin/etcdutl /usr/local/bin/
# The root filesystem is read-only in the cluster; /tmp is an emptyDir there.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -Djava.io.tmpdir=/tmp"
EXPOSE 8080
USER 10001:10001
# Exec form and no CMD: every argument of `docker run` or of a container's args goes to the application,
# so `tool backup ...` reaches the tool mode.
ENTRYPOINT ["java", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/deployments/quarkus-run.jar"]
