/**
 * A link out (to the Temporal UI), only for http(s) URLs; anything else, such as
 * a `javascript:` URL, is shown as text and never becomes a link.
 */
import type { ReactNode } from 'react';

export function httpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function ExternalLink({ href, children }: { href: string | undefined; children: ReactNode }) {
  const url = httpUrl(href);
  if (!url) return <span>{children}</span>;
  return (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}
