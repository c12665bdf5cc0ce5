#!/usr/bin/env bash
# Copies the CRDs generated from the Java model (crds/*.yml) into the Helm chart,
# which installs them from helm/etcd-operator/crds/. HelmChartCrdSyncTest fails
# the build when the two directories differ. Run hack/update-deploy.sh afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
chart_crds=helm/etcd-operator/crds
mkdir -p "$chart_crds"
find "$chart_crds" -maxdepth 1 -type f \( -name '*.yml' -o -name '*.yaml' \) -delete
shopt -s nullglob
for crd in crds/*.yml crds/*.yaml; do
  cp "$crd" "$chart_crds/"
  echo "copied $crd"
done
