#!/usr/bin/env bash
# End-to-end test of the etcd operator on a kind cluster. Run by .github/workflows/e2e.yml;
# runs the same on a workstation with docker, kind, kubectl and helm installed.
#
# Steps:
#   1. create a kind cluster (or reuse one with the same name)
#   2. build the operator image and load it into the kind nodes
#   3. install the chart (CRDs, RBAC, the operator Deployment) and wait for it
#   4. create a 3-member EtcdCluster and wait for condition Ready
#   5. write a key with etcdctl from a pod
#   6. scale 3 -> 5 through the scale subresource, wait for 5 ready members
#   7. scale 5 -> 3, wait for 3 ready members
#   8. delete the leader's pod, wait for the cluster to heal
#   9. read the key back: the data survived
#  10. delete the EtcdCluster (no finalizer: garbage collection removes what it owns), uninstall the chart
# On failure it saves diagnostics to $ARTIFACTS_DIR.
#
# Settings (environment):
#   KIND_CLUSTER      kind cluster name                  (etcd-operator-e2e)
#   KIND_NODE_IMAGE   kindest/node image, empty = kind's default
#   KEEP_CLUSTER      1 = do not delete the kind cluster at the end
#   IMAGE             operator image to build and load   (ghcr.io/storageos/etcd-operator:e2e)
#   ETCD_VERSION      etcd version of the test cluster   (3.5.17)
#   ARTIFACTS_DIR     where diagnostics go on failure    (./e2e-artifacts)
set -euo pipefail
cd "$(dirname "$0")/.."

KIND_CLUSTER=${KIND_CLUSTER:-etcd-operator-e2e}
KIND_NODE_IMAGE=${KIND_NODE_IMAGE:-}
KEEP_CLUSTER=${KEEP_CLUSTER:-0}
IMAGE=${IMAGE:-ghcr.io/storageos/etcd-operator:e2e}
ETCD_VERSION=${ETCD_VERSION:-3.5.17}
ARTIFACTS_DIR=${ARTIFACTS_DIR:-./e2e-artifacts}
OPERATOR_NS=etcd-operator
TEST_NS=etcd-e2e
CLUSTER=e2e-etcd
ETCDCTL_IMAGE="registry.k8s.io/etcd:${ETCD_VERSION}-0"
TIMEOUT=10m

log() { printf '\n=== %s\n' "$*"; }

diagnostics() {
  local status=$?
  if [[ $status -ne 0 ]]; then
    log "FAILED (exit $status): saving diagnostics to $ARTIFACTS_DIR"
    mkdir -p "$ARTIFACTS_DIR"
    kubectl get etcdcluster,statefulset,pod,pvc,svc,pdb,cronjob,events -n "$TEST_NS" -o wide > "$ARTIFACTS_DIR/test-namespace.txt" 2>&1 || true
    kubectl get etcdcluster "$CLUSTER" -n "$TEST_NS" -o yaml > "$ARTIFACTS_DIR/etcdcluster.yaml" 2>&1 || true
    kubectl describe pods -n "$TEST_NS" > "$ARTIFACTS_DIR/pods-describe.txt" 2>&1 || true
    kubectl logs -n "$OPERATOR_NS" -l app.kubernetes.io/name=etcd-operator --all-containers --prefix --tail=-1 > "$ARTIFACTS_DIR/operator.log" 2>&1 || true
    kubectl logs -n "$TEST_NS" -l app.kubernetes.io/instance="$CLUSTER" --all-containers --prefix --tail=2000 > "$ARTIFACTS_DIR/etcd.log" 2>&1 || true
  fi
  if [[ "$KEEP_CLUSTER" != 1 ]]; then
    kind delete cluster --name "$KIND_CLUSTER" || true
  fi
  exit $status
}
trap diagnostics EXIT

# etcdctl in a throwaway pod; the etcd image is distroless, so etcdctl is the command itself.
etcdctl() {
  local endpoints
  endpoints=$(kubectl get etcdcluster "$CLUSTER" -n "$TEST_NS" -o jsonpath='{.status.clientEndpoints[*]}' | tr ' ' ',')
  kubectl run "etcdctl-$RANDOM" -n "$TEST_NS" --rm -i --quiet --restart=Never --image="$ETCDCTL_IMAGE" \
    --command -- etcdctl --endpoints="$endpoints" --command-timeout=30s "$@"
}

wait_ready_members() {
  local count=$1
  kubectl wait -n "$TEST_NS" etcdcluster/"$CLUSTER" --for=jsonpath='{.status.readyReplicas}'="$count" --timeout="$TIMEOUT"
  kubectl wait -n "$TEST_NS" etcdcluster/"$CLUSTER" --for=condition=Ready --timeout="$TIMEOUT"
  kubectl get etcdcluster -n "$TEST_NS" "$CLUSTER"
}

log "1. kind cluster $KIND_CLUSTER"
if ! kind get clusters | grep -qx "$KIND_CLUSTER"; then
  kind create cluster --name "$KIND_CLUSTER" ${KIND_NODE_IMAGE:+--image "$KIND_NODE_IMAGE"} --wait 120s
fi
kubectl config use-context "kind-$KIND_CLUSTER"

log "2. build $IMAGE and load it into kind"
docker build -t "$IMAGE" .
kind load docker-image "$IMAGE" --name "$KIND_CLUSTER"

log "3. helm install"
helm install etcd-operator helm/etcd-operator \
  --namespace "$OPERATOR_NS" --create-namespace \
  --set image.repository="${IMAGE%:*}" --set image.tag="${IMAGE##*:}" --set image.pullPolicy=Never \
  --wait --timeout 5m
kubectl get crd etcdclusters.etcd.storageos.com
kubectl rollout status -n "$OPERATOR_NS" deployment/etcd-operator --timeout=5m

log "4. a 3-member EtcdCluster"
kubectl create namespace "$TEST_NS"
kubectl apply -n "$TEST_NS" -f - <<YAML
apiVersion: etcd.storageos.com/v1alpha1
kind: EtcdCluster
metadata:
  name: $CLUSTER
spec:
  replicas: 3
  version: "$ETCD_VERSION"
  storage:
    size: 1Gi
YAML
wait_ready_members 3

log "5. write a key"
etcdctl put /e2e/survivor "written-before-chaos"

log "6. scale 3 -> 5"
kubectl scale -n "$TEST_NS" etcdcluster/"$CLUSTER" --replicas=5
wait_ready_members 5
etcdctl member list -w table

log "7. scale 5 -> 3"
kubectl scale -n "$TEST_NS" etcdcluster/"$CLUSTER" --replicas=3
wait_ready_members 3
etcdctl member list -w table

log "8. delete the leader's pod"
leader=$(kubectl get etcdcluster "$CLUSTER" -n "$TEST_NS" -o jsonpath='{.status.members[?(@.leader==true)].name}')
[[ -n "$leader" ]] || { echo "no leader in status.members"; exit 1; }
echo "leader: $leader"
kubectl delete pod -n "$TEST_NS" "$leader" --wait=true
kubectl wait -n "$TEST_NS" pod/"$leader" --for=condition=Ready --timeout="$TIMEOUT"
wait_ready_members 3
new_leader=$(kubectl get etcdcluster "$CLUSTER" -n "$TEST_NS" -o jsonpath='{.status.members[?(@.leader==true)].name}')
echo "leader now: $new_leader"

log "9. the key survived"
value=$(etcdctl get /e2e/survivor --print-value-only | tr -d '\r')
[[ "$value" == "written-before-chaos" ]] || { echo "expected written-before-chaos, got '$value'"; exit 1; }
etcdctl endpoint health --cluster

log "10. delete the cluster, uninstall"
kubectl delete -n "$TEST_NS" etcdcluster/"$CLUSTER" --wait=true --timeout="$TIMEOUT"
# Owner references, not a finalizer: the garbage collector deletes the StatefulSet after the EtcdCluster.
kubectl wait -n "$TEST_NS" --for=delete statefulset/"$CLUSTER" --timeout="$TIMEOUT"
helm uninstall etcd-operator --namespace "$OPERATOR_NS" --wait
# Helm keeps CRDs from crds/ on uninstall; remove it so a reused cluster starts clean.
kubectl delete crd etcdclusters.etcd.storageos.com --ignore-not-found
log "E2E passed"
