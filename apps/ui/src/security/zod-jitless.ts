/**
 * zod 4 probes `new Function('')` once to decide whether it may compile fast
 * parsers; under the UI's CSP (no 'unsafe-eval') that probe is a CSP violation.
 * Jitless mode skips it. Imported first by main.tsx, before any schema parses.
 */
import { z } from 'zod';

z.config({ jitless: true });
