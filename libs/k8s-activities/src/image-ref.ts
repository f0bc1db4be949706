/**
 * Whether an image reference can parse at all, checked before a pod is made:
 * a kubelet reports `InvalidImageName` only when it gets to the container
 * (after the init containers), but a name that cannot parse will never run, so
 * the step fails at once as a configuration error. The grammar is the one
 * container runtimes use (github.com/distribution/reference, regexp.go).
 */

const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])`;
const domain = `${host}(?::[0-9]+)?`;
const name = `(?:${domain}/)?${pathComponent}(?:/${pathComponent})*`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const reference = new RegExp(`^${name}(?::${tag})?(?:@${digest})?$`);

/**
 * @example
 * ```ts
 * isValidImageReference('ghcr.io/acme/train:1.2') // true
 * isValidImageReference('Not A/Valid::name')      // false
 * ```
 */
export function isValidImageReference(image: string): boolean {
  if (image.length === 0 || image.length > 4096 || !reference.test(image)) return false;
  // Repository paths are lowercase; only a registry host (with '.', ':' or "localhost") may have capitals.
  const first = image.split('/')[0] ?? '';
  const hasDomain = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const repository = (hasDomain ? image.slice(first.length + 1) : image).split(/[:@]/)[0] ?? '';
  return repository === repository.toLowerCase();
}
