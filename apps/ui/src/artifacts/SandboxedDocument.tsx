/**
 * An HTML or Markdown artifact in an iframe sandboxed with no permissions at all
 * (no `allow-scripts`, no `allow-same-origin`): its scripts never run, it cannot
 * reach the page, the token or the API, submit forms or navigate the tab. The
 * `srcdoc` frame also inherits the UI's CSP, so it loads nothing from elsewhere.
 */
export function SandboxedDocument({ html, title }: { html: string; title: string }) {
  const stylesheet = `${import.meta.env.BASE_URL}artifact-frame.css`;
  const document = `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="${stylesheet}"></head><body>${html}</body></html>`;
  return <iframe className="artifact-frame" title={title} sandbox="" srcDoc={document} referrerPolicy="no-referrer" />;
}
