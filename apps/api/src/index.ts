/**
 * The Kiln HTTP API: pipelines, runs, schedules, logs and artifacts (lands with the product-surface issue).
 *
 * The project exists so that its Nx tags and module boundaries are in force from
 * the start; it has no code yet.
 */
export {};
