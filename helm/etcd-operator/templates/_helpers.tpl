{{/* Name of the chart, overridable. */}}
{{- define "etcd-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix for every resource name. */}}
{{- define "etcd-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "etcd-operator.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "etcd-operator.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "etcd-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "etcd-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
An image repository on imageRegistry, when set: the repository's own registry host (a first path part with a dot or a
colon, or localhost) is replaced, or the registry is put in front of a repository that names none.
Called with (dict "registry" .Values.imageRegistry "repository" "...").
*/}}
{{- define "etcd-operator.onRegistry" -}}
{{- $repository := .repository }}
{{- if .registry }}
{{- $parts := splitList "/" .repository }}
{{- $first := first $parts }}
{{- if and (gt (len $parts) 1) (or (contains "." $first) (contains ":" $first) (eq "localhost" $first)) }}
{{- $repository = join "/" (rest $parts) }}
{{- end }}
{{- $repository = printf "%s/%s" (trimSuffix "/" .registry) $repository }}
{{- end }}
{{- $repository }}
{{- end }}

{{/* The operator's image: repository on the registry, the tag, and the digest when one is set (the digest decides). */}}
{{- define "etcd-operator.image" -}}
{{- $repository := include "etcd-operator.onRegistry" (dict "registry" .Values.imageRegistry "repository" .Values.image.repository) }}
{{- $image := printf "%s:%s" $repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- if .Values.image.digest }}
{{- $image = printf "%s@%s" $image .Values.image.digest }}
{{- end }}
{{- $image }}
{{- end }}

{{/* The etcd image repository the members' images come from (the tag is v<spec.version>). */}}
{{- define "etcd-operator.etcdImageRepository" -}}
{{- include "etcd-operator.onRegistry" (dict "registry" .Values.imageRegistry "repository" .Values.etcdImage.repository) }}
{{- end }}

{{/* The names of imagePullSecrets, comma-separated. */}}
{{- define "etcd-operator.pullSecretNames" -}}
{{- $names := list }}
{{- range .Values.imagePullSecrets }}
{{- $names = append $names .name }}
{{- end }}
{{- join "," $names }}
{{- end }}

{{/* A security context from values, without the user and group the platform assigns when openshift.enabled. */}}
{{- define "etcd-operator.securityContext" -}}
{{- $context := .context }}
{{- if .openshift }}
{{- $context = omit $context "runAsUser" "runAsGroup" "fsGroup" }}
{{- end }}
{{- toYaml $context }}
{{- end }}

{{- define "etcd-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "etcd-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "etcd-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "etcd-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: etcd-operator
{{- end }}

{{/*
Rules for every namespace where EtcdClusters live: the custom resource itself and
everything the operator creates for a cluster. Used by the ClusterRole, or by one Role
per watched namespace.
*/}}
{{- define "etcd-operator.clusterRules" -}}
- apiGroups: ["etcd.storageos.com"]
  resources: ["etcdclusters"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["etcd.storageos.com"]
  resources: ["etcdclusters/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["etcd.storageos.com"]
  resources: ["etcdclusters/finalizers"]
  verbs: ["update"]
- apiGroups: ["apps"]
  resources: ["statefulsets", "deployments"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: [""]
  resources: ["services", "serviceaccounts"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch", "delete"]
# Rolling restarts and repairs go through the Eviction API, so that the PodDisruptionBudget arbitrates with node drains
- apiGroups: [""]
  resources: ["pods/eviction"]
  verbs: ["create"]
- apiGroups: [""]
  resources: ["pods/status"]
  verbs: ["get", "patch"]
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["get", "list", "watch", "patch", "delete"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
# spec.tls.certManager: the Certificates asked of cert-manager
- apiGroups: ["cert-manager.io"]
  resources: ["certificates"]
  verbs: ["get", "create", "update"]
- apiGroups: ["", "events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: ["batch"]
  resources: ["cronjobs"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete"]
{{- end }}

{{/* Rules for StorageOSCluster address sync; rendered only when storageos.sync.enabled. */}}
{{- define "etcd-operator.storageosRules" -}}
- apiGroups: ["storageos.com"]
  resources: ["storageosclusters"]
  verbs: ["get", "list", "watch", "patch", "update", "create", "delete"]
{{- end }}

{{/*
Rules in a StorageOS-only namespace: the StorageOSCluster, the copied client TLS Secret, and the StorageOS node
pods, listed to tell whether a node still runs on an address it read before a change, and evicted one at a time after a
migration's switch when spec.storageos.nodeRestart is Evict.
*/}}
{{- define "etcd-operator.storageosNamespaceRules" -}}
{{ include "etcd-operator.storageosRules" . }}
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list"]
- apiGroups: [""]
  resources: ["pods/eviction"]
  verbs: ["create"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: ["", "events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/* The value of quarkus.operator-sdk.namespaces. */}}
{{- define "etcd-operator.watchNamespaces" -}}
{{- if .Values.watchNamespaces }}
{{- join "," .Values.watchNamespaces }}
{{- else }}
{{- "JOSDK_ALL_NAMESPACES" }}
{{- end }}
{{- end }}
