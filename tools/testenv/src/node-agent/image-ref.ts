// Images are never pulled, but tests need the kubelet's image failures:
// a reference that does not parse -> InvalidImageName; a reference matching the
// agent's "unpullable" pattern -> ErrImagePull / ImagePullBackOff.
// Grammar from github.com/distribution/reference (regexp.go).

const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const host = `(?:${domainName}|\\[[a-fA-F0-9:]+\\])`;
const domain = `${host}(?::[0-9]+)?`;
const name = `(?:${domain}/)?${pathComponent}(?:/${pathComponent})*`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const reference = new RegExp(`^${name}(?::${tag})?(?:@${digest})?$`);

export function isValidImageReference(image: string | undefined): boolean {
  if (!image) return false;
  if (!reference.test(image)) return false;
  // A first component without '.', ':' or "localhost" is a path, and paths are lowercase only.
  const first = image.split('/')[0] ?? '';
  const isDomain = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const repoPart = (isDomain ? image.slice(first.length + 1) : image).split(/[:@]/)[0] ?? '';
  return repoPart === repoPart.toLowerCase();
}

/** The image ID reported in container statuses; deterministic so it looks like a digest. */
export function fakeImageId(image: string): string {
  let h1 = 0x811c9dc5;
  let out = '';
  for (let round = 0; round < 8; round++) {
    for (const ch of `${round}:${image}`) h1 = Math.imul(h1 ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h1.toString(16).padStart(8, '0');
  }
  return `${image.split('@')[0]}@sha256:${out}`;
}
