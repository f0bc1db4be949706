/** The route table: one definition per route, each complete enough to register, document and call. */
import {
  anyErrorBodySchema,
  apiRoutes,
  errorBodySchema,
  errorResponsesOf,
  isMediaResponse,
  pathOf,
} from '../src/index';

const routes = Object.entries(apiRoutes);

test('no two routes share a method and a path', () => {
  const keys = routes.map(([, r]) => `${r.method} ${r.path}`);
  expect(new Set(keys).size).toBe(keys.length);
});

test.each(routes)('%s: its params schema names exactly the parameters of its path', (_name, route) => {
  const inPath = [...route.path.matchAll(/:([A-Za-z]\w*)/g)].map((m) => m[1]).sort();
  const declared = 'params' in route && route.params ? Object.keys(route.params.shape).sort() : [];
  expect(declared).toEqual(inPath);
});

test.each(routes)(
  '%s: it succeeds with 2xx answers and documents an error body for every error status',
  (_name, route) => {
    for (const status of Object.keys(route.responses).map(Number))
      expect((status >= 200 && status < 300) || status === 503).toBe(true);
    expect(route.errors).toContain(500);
    if (route.access !== 'public') expect(route.errors).toEqual(expect.arrayContaining([401, 403]));
    for (const status of route.errors) expect(errorResponsesOf(route)[status]).toBe(errorBodySchema);
  },
);

test('only health and readiness are public, and every write needs more than viewer', () => {
  expect(
    routes
      .filter(([, r]) => r.access === 'public')
      .map(([name]) => name)
      .sort(),
  ).toEqual(['liveness', 'readiness']);
  for (const [name, route] of routes) {
    if (route.method !== 'GET')
      expect([name, route.access]).toEqual([name, expect.stringMatching(/^(operator|admin)$/)]);
  }
});

test('streamed answers (logs, files, run events) are media with a documented type; everything else is a JSON schema', () => {
  const media = routes.flatMap(([name, r]) =>
    Object.values(r.responses).some((spec) => isMediaResponse(spec)) ? [name] : [],
  );
  expect(media.sort()).toEqual(['downloadArtifact', 'getStepLog', 'streamRunEvents']);
  expect(Object.keys(apiRoutes.streamRunEvents.responses[200].content)).toEqual(['text/event-stream']);
  expect(Object.keys(apiRoutes.getStepLog.responses[200].content)).toEqual(['text/plain']);
});

test('pathOf fills in and encodes path parameters, and names a missing one', () => {
  expect(pathOf(apiRoutes.getStepLog, { runId: 'kiln-x.1', taskId: 'outer/inner' })).toBe(
    '/runs/kiln-x.1/tasks/outer%2Finner/logs',
  );
  expect(() => pathOf(apiRoutes.getRun, {})).toThrow('/runs/:runId needs the path parameter "runId"');
});

test('an error body from a newer server passes a client, not the server', () => {
  const body = { error: { code: 'rate-limited', message: 'slow down' } };
  expect(errorBodySchema.safeParse(body).success).toBe(false);
  expect(anyErrorBodySchema.parse(body)).toEqual(body);
});
