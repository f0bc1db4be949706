/** A time as the API takes it: ISO 8601 text (a `Date` converted, text passed as it is for the server to check). */
export const isoTime = (time: Date | string): string => (typeof time === 'string' ? time : time.toISOString());
