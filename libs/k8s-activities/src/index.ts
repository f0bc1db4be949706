/**
 * The Kubernetes executor: one pod per task attempt, durable watch, logs, cleanup (lands with the Kubernetes issue).
 *
 * The project exists so that its Nx tags and module boundaries are in force from
 * the start; it has no code yet.
 */
export {};
