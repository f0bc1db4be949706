/** Where the app lives on the API's origin. */
export const basename = '/ui';

/** The sign-in page, with where to go afterwards (a path inside the app; never a URL with a token). */
export function signInPath(next: string): string {
  return `/sign-in?${new URLSearchParams({ next })}`;
}

/** Only a path inside the app is followed after sign-in; anything else goes to the runs. */
export function safeNext(next: string | null): string {
  return next && /^\/(?!\/)/.test(next) && !next.startsWith('/sign-in') ? next : '/runs';
}

/** A path of the browser's location as the router's own paths say it (without the `/ui` basename). */
export function appPath(pathname: string): string {
  if (pathname === basename) return '/';
  return pathname.startsWith(`${basename}/`) ? pathname.slice(basename.length) : pathname;
}
