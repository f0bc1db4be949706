// Enforces resources.limits.memory without cgroups: every 200 ms sum the RSS of
// each watched process group from /proc and SIGKILL a group over its limit, the
// way the kernel OOM killer ends a container (exit 137, reason OOMKilled).
import { readdirSync, readFileSync } from 'node:fs';
import { killGroup } from './container-process.js';

const PAGE_SIZE = 4096;

interface Watched {
  limitBytes: number;
  onKill: () => void;
}

export class MemoryMonitor {
  private readonly watched = new Map<number, Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs = 200) {}

  watch(pgid: number, limitBytes: number, onKill: () => void): () => void {
    this.watched.set(pgid, { limitBytes, onKill });
    if (!this.timer) {
      this.timer = setInterval(() => this.scan(), this.intervalMs);
      this.timer.unref();
    }
    return () => {
      this.watched.delete(pgid);
      if (this.watched.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.watched.clear();
  }

  private scan(): void {
    const rss = rssByGroup(new Set(this.watched.keys()));
    for (const [pgid, w] of this.watched) {
      if ((rss.get(pgid) ?? 0) > w.limitBytes) {
        // Mark first so the exit handler sees the reason before the exit event.
        w.onKill();
        killGroup(pgid, 'SIGKILL');
        this.watched.delete(pgid);
      }
    }
  }
}

export function rssByGroup(groups: Set<number>): Map<number, number> {
  const out = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name, which may itself contain spaces and ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(fields[2]);
    if (!groups.has(pgrp)) continue;
    const rssPages = Number(fields[21]);
    out.set(pgrp, (out.get(pgrp) ?? 0) + rssPages * PAGE_SIZE);
  }
  return out;
}
