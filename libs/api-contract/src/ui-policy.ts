/**
 * The web UI's Content-Security-Policy, in one place: the API sends it as a
 * header with the UI's files (`/ui/`), and the UI's build writes it (less
 * `frame-ancestors`, which a meta tag cannot carry) into index.html.
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
 * reply.header('content-security-policy', uiContentSecurityPolicy);
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
export const uiMetaContentSecurityPolicy = directives.join('; ');

/** For the `Content-Security-Policy` header sent with the UI's files. */
export const uiContentSecurityPolicy = [...directives, "frame-ancestors 'none'"].join('; ');

/** Where the API serves the web UI. */
export const uiBasePath = '/ui/';
