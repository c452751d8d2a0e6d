#!/usr/bin/env python3
"""bench/run's table: medians over the interleaved rounds, and each gateway figure as a ratio to its reference.

  table.py SAMPLES LOADS_SPEC DB_LABEL > table.txt

SAMPLES: one line per measured load: SERVER SCENARIO ROUND RPS P50 P99 NON2XX SOCK CPU% RSS_KB
  SERVER is gateway, sqlite-group, bare or node-soap; SCENARIO the gateway load's name.
LOADS_SPEC: name|kind|refkind|label lines, in table order.
A ratio is the median gateway req/s over the median reference req/s of the same scenario's rounds (each reference
load ran right after the gateway's, so both saw the same machine); the spread is the lowest and highest
round-by-round ratio.
"""
import statistics
import sys


def main(samples_path, loads_path, db_label):
    rows = {}
    for line in open(samples_path):
        f = line.split()
        if len(f) != 10:
            continue
        server, scenario, _round = f[0], f[1], int(f[2])
        rows.setdefault((server, scenario), []).append(
            dict(round=_round, rps=float(f[3]), p50=float(f[4]), p99=float(f[5]), err=int(f[6]) + int(f[7]),
                 cpu=float(f[8].rstrip('%')), rss=int(f[9])))

    loads = [l.strip().split('|') for l in open(loads_path) if l.strip()]

    def med(server, scenario, key):
        r = rows.get((server, scenario))
        return statistics.median(x[key] for x in r) if r else None

    def ratio(server, scenario):
        g, r = rows.get(('gateway', scenario)), rows.get((server, scenario))
        if not g or not r:
            return '-'
        m = statistics.median(x['rps'] for x in g) / statistics.median(x['rps'] for x in r)
        by_round = {x['round']: x['rps'] for x in r}
        each = [x['rps'] / by_round[x['round']] for x in g if by_round.get(x['round'])]
        return f"{m:.2f}x" + (f" ({min(each):.2f}-{max(each):.2f})" if len(each) > 1 else '')

    fmt = '{:<44} {:>8} {:>7} {:>7} {:>6} {:>6} {:>6}  {:<17} {:<17} {:<6}'
    print(f'gateway database: {db_label}; every figure is the median of the rounds, R = rounds')
    print(fmt.format('SURFACE', 'req/s', 'p50_ms', 'p99_ms', 'errors', 'RSS_MB', 'srvCPU', 'vs_sqlite (spread)', 'vs_node (spread)', 'vs_bare'))
    for name, refkind, label in loads:
        g = rows.get(('gateway', name))
        if not g:
            continue
        vs_node = ratio('node-soap', name) if name.startswith('soap') and name.endswith('-create') else '-'
        bare = ratio('bare', name).split(' ')[0]
        print(fmt.format(f'{label} R={len(g)}', f"{med('gateway', name, 'rps'):.0f}", f"{med('gateway', name, 'p50'):.2f}",
                         f"{max(x['p99'] for x in g):.2f}", sum(x['err'] for x in g), f"{max(x['rss'] for x in g) / 1024:.0f}",
                         f"{med('gateway', name, 'cpu'):.0f}%", ratio('sqlite-group', name), vs_node, bare))
    for server in ('sqlite-group', 'node-soap', 'bare'):
        for name, refkind, label in loads:
            r = rows.get((server, name))
            if not r:
                continue
            path = {'soap11': 'POST soap', 'rest': 'POST rest', 'get': 'GET get/{id}'}[refkind if server != 'node-soap' else 'soap11']
            print(fmt.format(f'ref {server} {path} [{name}] R={len(r)}', f"{med(server, name, 'rps'):.0f}", f"{med(server, name, 'p50'):.2f}",
                             f"{max(x['p99'] for x in r):.2f}", sum(x['err'] for x in r), f"{max(x['rss'] for x in r) / 1024:.0f}",
                             f"{med(server, name, 'cpu'):.0f}%", '', '', ''))
    print('p99 and RSS are the worst round\'s; errors the sum over the rounds.')


if __name__ == '__main__':
    main(*sys.argv[1:4])
