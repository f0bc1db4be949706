/**
 * The web UI's Content-Security-Policy, in one place: the API serves it as a
 * header with the UI's files, and the build writes it (less `frame-ancestors`,
 * which a meta tag cannot carry) into index.html as a second line of defence.
 * The API sends `@kiln/api-contract`'s `uiContentSecurityPolicy`, kept equal to this one by
 * test/unit/csp.test.ts (vite.config.ts imports this file in Node, where workspace aliases do not resolve).
 *
 * - Scripts, styles, workers and fonts only from the UI's own files: no inline
 *   script or style, no eval. Vite emits every script and stylesheet as a file.
 * - Images from the origin and `data:` URLs (React Flow's and the charts' icons).
 * - HTML and Markdown artifacts render in `srcdoc` iframes sandboxed without
 *   `allow-scripts` and `allow-same-origin`; they inherit this policy too, so a
 *   report can load nothing from elsewhere either. No other frame is allowed.
 *
 * @example
 * ```ts
 * reply.header('content-security-policy', contentSecurityPolicy);
 * ```
 */
const directives = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
];

/** For a `<meta http-equiv>` tag: everything but what only a header can say. */
export const metaContentSecurityPolicy = directives.join('; ');

/** For the `Content-Security-Policy` header the API sends with the UI's files. */
export const contentSecurityPolicy = [...directives, "frame-ancestors 'none'"].join('; ');
