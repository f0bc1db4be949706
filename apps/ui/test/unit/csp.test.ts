/** The UI's CSP is the one the API sends with its files (`@kiln/api-contract`). */
import { uiContentSecurityPolicy, uiMetaContentSecurityPolicy } from '@kiln/api-contract';
import { contentSecurityPolicy, metaContentSecurityPolicy } from '../../src/security/csp';

test('the header and meta policies equal the API contract’s', () => {
  expect(contentSecurityPolicy).toBe(uiContentSecurityPolicy);
  expect(metaContentSecurityPolicy).toBe(uiMetaContentSecurityPolicy);
  expect(contentSecurityPolicy).not.toMatch(/unsafe-(inline|eval)/);
});
