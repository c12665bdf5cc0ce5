#!/usr/bin/env bash
# Regenerates deploy/operator.yaml: the Helm chart rendered with default values
# into namespace etcd-operator, for users without Helm. DeployManifestSyncTest
# fails the build when the file and the chart disagree.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test -Dtest=DeployManifestSyncTest -Ddeploy.update=true
echo "deploy/operator.yaml regenerated"
