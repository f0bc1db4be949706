/** `ApplicationFailure.type`s a run ends with, for callers to branch on. */

/** The run's parameters do not match the pipeline; nothing ran. */
export const INVALID_PARAMS = 'KilnInvalidParams';
/** Tasks failed; `details[0]` is the final run status document. */
export const RUN_FAILED = 'KilnRunFailed';
