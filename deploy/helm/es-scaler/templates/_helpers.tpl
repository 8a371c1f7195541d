{{/* The release's object names: "es-scaler" for a release of that name, like the kustomize base. */}}
{{- define "es-scaler.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "es-scaler.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: worker
{{- end -}}

{{- define "es-scaler.labels" -}}
{{ include "es-scaler.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "es-scaler.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "es-scaler.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name: set the name of an existing ServiceAccount when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* repository:tag, repository@digest, or repository:tag@digest; the tag defaults to the chart's appVersion. */}}
{{- define "es-scaler.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* The config file as the worker reads it. */}}
{{- define "es-scaler.configFile" -}}
{{- required "config: the es-scaler config file (temporal, clusters) is required" .Values.config | toYaml -}}
{{- end -}}

{{/* The namespaces of the StatefulSets the config scales, one per line, sorted and unique: each gets a Role. */}}
{{- define "es-scaler.scaledNamespaces" -}}
{{- $namespaces := list -}}
{{- range $name, $cluster := .Values.config.clusters -}}
{{- $namespace := required (printf "config.clusters.%s.kubernetes.namespace is required" $name) (dig "kubernetes" "namespace" "" $cluster) -}}
{{- $namespaces = append $namespaces $namespace -}}
{{- end -}}
{{- $namespaces | uniq | sortAlpha | join "\n" -}}
{{- end -}}
