{{/* The release's base name: "<release>-hotline", or the release name when it already says hotline. */}}
{{- define "hotline.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "hotline.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component; call with (dict "root" $ "component" "intake"). */}}
{{- define "hotline.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Labels of one component's objects; same argument as hotline.selectorLabels. */}}
{{- define "hotline.componentLabels" -}}
{{ include "hotline.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "hotline.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/* The Secret holding tokens, service-token, pg-uri and redis-address. */}}
{{- define "hotline.secretName" -}}
{{- .Values.existingSecret | default (printf "%s-secrets" (include "hotline.fullname" .)) -}}
{{- end -}}

{{/* The in-cluster address of service `svc`: (dict "root" $ "svc" "sla"). */}}
{{- define "hotline.serviceAddress" -}}
{{- printf "%s-%s:%v" (include "hotline.fullname" .root) .svc (index .root.Values.services .svc).grpcPort -}}
{{- end -}}

{{/* Whether any data file of a service has its content in the values: "true" or "". */}}
{{- define "hotline.hasDataFiles" -}}
{{- range $key, $f := .dataFiles -}}{{- if $f.content -}}true{{- end -}}{{- end -}}
{{- end -}}

{{/*
The environment, volume mounts and volumes a service's container needs, used
by its Deployment and by the migration Job alike, so that both start the
binary the same way: (dict "root" $ "svc" "sla" "spec" $spec).
*/}}
{{- define "hotline.serviceEnv" -}}
- name: HOTLINE_PG_URI
  valueFrom:
    secretKeyRef: {name: {{ include "hotline.secretName" .root }}, key: pg-uri}
- name: HOTLINE_REDIS_ADDRESS
  valueFrom:
    secretKeyRef: {name: {{ include "hotline.secretName" .root }}, key: redis-address}
- name: HOTLINE_TOKENS_FILE
  value: /etc/hotline/secrets/tokens
- name: HOTLINE_SERVICE_TOKEN_FILE
  value: /etc/hotline/secrets/service-token
{{- end -}}

{{- define "hotline.serviceMounts" -}}
- name: secrets
  mountPath: /etc/hotline/secrets
  readOnly: true
{{- if include "hotline.hasDataFiles" .spec }}
- name: {{ .svc }}-data-files
  mountPath: /etc/hotline/data
  readOnly: true
{{- end }}
{{- end -}}

{{/* The volume of the Secret's token files. */}}
{{- define "hotline.secretsVolume" -}}
- name: secrets
  secret:
    secretName: {{ include "hotline.secretName" . }}
    defaultMode: 0440
    items:
      - {key: tokens, path: tokens}
      - {key: service-token, path: service-token}
{{- end -}}

{{/* The volume of a service's data files, when the values give any. */}}
{{- define "hotline.dataFilesVolume" -}}
{{- if include "hotline.hasDataFiles" .spec -}}
- name: {{ .svc }}-data-files
  configMap:
    name: {{ include "hotline.fullname" .root }}-{{ .svc }}-files
{{- end -}}
{{- end -}}

{{/* One container of the migration Job: service .svc, started by hotline-migrate. */}}
{{- define "hotline.migrateContainer" -}}
- name: migrate-{{ .svc }}
  image: {{ include "hotline.image" .root }}
  imagePullPolicy: {{ .root.Values.image.pullPolicy }}
  command: [hotline-migrate, {{ .svc }}]
  envFrom:
    - configMapRef:
        name: {{ include "hotline.fullname" .root }}-{{ .svc }}-settings
  env:
    {{- include "hotline.serviceEnv" . | nindent 4 }}
    - name: MIGRATE_TIMEOUT
      value: {{ .root.Values.migrations.timeout | quote }}
  resources:
    {{- toYaml .spec.resources | nindent 4 }}
  securityContext:
    {{- toYaml .root.Values.securityContext | nindent 4 }}
  volumeMounts:
    {{- include "hotline.serviceMounts" . | nindent 4 }}
{{- end -}}
