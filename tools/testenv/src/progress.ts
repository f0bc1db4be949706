/** stdout carries exactly one JSON document for scripts, so every human message goes to stderr. */
export function progress(message: string): void {
  process.stderr.write(`[testenv] ${message}\n`);
}
