import { z } from 'zod';

/** How to reach the Temporal dev server. */
export const temporalInfoSchema = z.object({
  /** gRPC frontend, `host:port`, for `Connection.connect` / `NativeConnection.connect`. */
  address: z.string(),
  namespace: z.string(),
  /** Web UI base URL. */
  ui: z.string(),
});

/** How to reach MinIO (S3 API, path-style, no TLS). */
export const minioInfoSchema = z.object({
  /** `http://127.0.0.1:<port>` */
  endpoint: z.string(),
  accessKey: z.string(),
  secretKey: z.string(),
  /** A bucket that already exists. */
  bucket: z.string(),
});

/** How to reach the Kubernetes API server. */
export const kubernetesInfoSchema = z.object({
  /** Path of a kubeconfig with cluster-admin rights (`KubeConfig.loadFromFile`). */
  kubeconfig: z.string(),
  /** A namespace that exists and has a `default` ServiceAccount. */
  namespace: z.string(),
});

export const testEnvironmentSchema = z.object({
  temporal: temporalInfoSchema.optional(),
  minio: minioInfoSchema.optional(),
  kubernetes: kubernetesInfoSchema.optional(),
});

export type TemporalInfo = z.infer<typeof temporalInfoSchema>;
export type MinioInfo = z.infer<typeof minioInfoSchema>;
export type KubernetesInfo = z.infer<typeof kubernetesInfoSchema>;
/** What `tools/testenv/up` prints: one entry per running part. */
export type TestEnvironment = z.infer<typeof testEnvironmentSchema>;

export const partNames = ['temporal', 'minio', 'kubernetes'] as const;
export type PartName = (typeof partNames)[number];
