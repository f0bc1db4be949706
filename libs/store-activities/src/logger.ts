/** The logging the activities need: Temporal's `Logger` fits as it is (`Runtime.instance().logger`, `Context.current().log`). */
export interface ActivityLogger {
  debug(message: string, attrs?: Record<string, unknown>): void;
  info(message: string, attrs?: Record<string, unknown>): void;
  warn(message: string, attrs?: Record<string, unknown>): void;
}
