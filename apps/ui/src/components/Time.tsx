/** Times and durations as people read them; the exact ISO time on hover. */
import { useNow } from './use-now';

const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function Time({ iso }: { iso: string | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return <span>{iso}</span>;
  return (
    <time dateTime={iso} title={iso}>
      {format.format(date)}
    </time>
  );
}

/** `1h 02m`, `3m 05s`, `4.2s`. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h) return `${h}h ${String(m).padStart(2, '0')}m`;
  return `${m}m ${String(rest).padStart(2, '0')}s`;
}

function Running({ from }: { from: string }) {
  const now = useNow();
  return <Elapsed from={from} end={now} running />;
}

function Elapsed({ from, end, running }: { from: string; end: number; running: boolean }) {
  const ms = end - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return <span className="muted">—</span>;
  return (
    <span>
      {formatDuration(ms)}
      {running ? ' so far' : ''}
    </span>
  );
}

/** From `from` to `to`, or counting while `to` is not there yet. */
export function Duration({ from, to }: { from: string | undefined; to: string | undefined }) {
  if (!from) return <span className="muted">—</span>;
  return to ? <Elapsed from={from} end={Date.parse(to)} running={false} /> : <Running from={from} />;
}
