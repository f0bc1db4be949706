/** ClassificationMetrics metadata as the Python shim writes it (`log_confusion_matrix`, `log_roc_curve`), parsed. */
import { z } from 'zod';

export const confusionMatrixSchema = z.object({
  categories: z.array(z.string()),
  matrix: z.array(z.array(z.number())),
});

export const rocSchema = z.object({
  fpr: z.array(z.number()),
  tpr: z.array(z.number()),
  threshold: z.array(z.number()).optional(),
});

export type ConfusionMatrixData = z.infer<typeof confusionMatrixSchema>;
export type RocData = z.infer<typeof rocSchema>;

/** The parts of the metadata that have the right shape; a malformed part is left out, not an error. */
export function classificationOf(metadata: Readonly<Record<string, unknown>>): {
  confusionMatrix?: ConfusionMatrixData;
  roc?: RocData;
} {
  const matrix = confusionMatrixSchema.safeParse(metadata['confusionMatrix']);
  const roc = rocSchema.safeParse(metadata['roc']);
  return {
    ...(matrix.success ? { confusionMatrix: matrix.data } : {}),
    ...(roc.success ? { roc: roc.data } : {}),
  };
}
