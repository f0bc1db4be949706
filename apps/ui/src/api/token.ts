/**
 * The API token, kept in sessionStorage: it lives as long as the tab, is never
 * written to a URL, a cookie or localStorage, and leaves with "Sign out".
 */
const key = 'kiln.apiToken';

export function readToken(): string | undefined {
  return sessionStorage.getItem(key) ?? undefined;
}

export function saveToken(token: string): void {
  sessionStorage.setItem(key, token.trim());
}

export function clearToken(): void {
  sessionStorage.removeItem(key);
}
