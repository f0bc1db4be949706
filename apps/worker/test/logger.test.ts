/** Structured logs never carry a secret, wherever it sits in the logged object. */
import { Writable } from 'node:stream';
import { createLogger } from '../src/logger';

test('API keys, S3 keys, tokens and authorization headers are redacted', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = createLogger('info', sink);
  log.info(
    {
      config: { temporal: { apiKey: 'tk-1' } },
      store: { accessKey: 'ak-2', secretKey: 'sk-3' },
      req: { headers: { authorization: 'Bearer t-4' } },
      token: 't-5',
    },
    'starting',
  );
  const line = JSON.parse(lines[0] ?? '{}');
  expect(line).toMatchObject({ level: 30, msg: 'starting', service: 'kiln-worker' });
  expect(lines.join('')).not.toMatch(/tk-1|ak-2|sk-3|t-4|t-5/);
  expect(line.config.temporal.apiKey).toBe('[redacted]');
});
