/**
 * Command-line options of the benchmarks: `--records 1000000` or `--records=1M` (k and M suffixes), with the
 * older positional form (`node bench/ingest.ts 100000`) still accepted for the first options in order.
 */
export function parseCount(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(raw.trim().replaceAll('_', ''));
  if (!m) throw new Error(`not a count: ${raw}`);
  const scale = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[m[2] as string] as number;
  return Math.round(Number(m[1]) * scale);
}

export function benchArgs<T extends Record<string, number>>(defaults: T, argv = process.argv.slice(2)): T {
  const out: Record<string, number> = { ...defaults };
  const names = Object.keys(defaults);
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [flag, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const key = flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = inline ?? argv[++i];
    if (!names.includes(key)) {
      const known = names.map((n) => `--${n}`).join(' ');
      // bench/run.ts passes every option to every benchmark it runs: there an option meant for another is skipped
      if (process.env.STRONGROOM_BENCH_RUN_ALL) continue;
      throw new Error(`unknown option --${flag} (known: ${known})`);
    }
    if (value === undefined) throw new Error(`--${flag} needs a value`);
    out[key] = parseCount(value);
  }
  positional.forEach((v, i) => {
    const key = names[i];
    if (key) out[key] = parseCount(v);
  });
  return out as T;
}
