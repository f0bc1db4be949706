/**
 * The Kiln worker: hosts the interpreter workflow and the executors' activities (lands with the engine issue).
 *
 * The project exists so that its Nx tags and module boundaries are in force from
 * the start; it has no code yet.
 */
export {};
