"""Tests for bench/stats.py: tables of named cases. The expected values are what the awk code
that stats.py replaced printed for the same input (mawk 1.3.4). Run:
    python3 -m unittest discover -s bench -p 'test_*.py'
"""
import contextlib
import io
import os
import unittest

import stats

SS_TIME_WAIT = """0      0        127.0.0.1:40000      127.0.0.1:3128  timer:(timewait,59sec,0)
0      0        127.0.0.1:3128       127.0.0.1:40001 timer:(timewait,58sec,0)
0      0        127.0.0.1:40002      127.0.0.1:3128  timer:(timewait,30sec,0)
0      0        127.0.0.1:40003      127.0.0.1:8080  timer:(timewait,1min,0)
0      0        127.0.0.1:8080       127.0.0.1:40004 timer:(timewait,57.500ms,0)
0      0        127.0.0.1:40005      127.0.0.1:8080  timer:(timewait,250ms,0)
0      0        [::ffff:127.0.0.1]:3128 [::ffff:127.0.0.1]:40006 timer:(timewait,59sec,0)
0      0        127.0.0.1:40007      127.0.0.1:9999  timer:(timewait,59sec,0)
0      0        127.0.0.1:40008      127.0.0.1:3128
"""

SS_ESTABLISHED = """ESTAB 0      0      127.0.0.1:50000 127.0.0.1:3128
\t cubic wscale:7,7 rto:204 rtt:0.05/0.025 lastsnd:2500 lastrcv:2500 lastack:2500
ESTAB 0      0      127.0.0.1:50001 127.0.0.1:3128
\t cubic wscale:7,7 rto:204 lastsnd:10 lastrcv:1999 lastack:10
ESTAB 0      0      127.0.0.1:50002 127.0.0.1:3128
\t cubic wscale:7,7 rto:204 lastsnd:10 lastrcv:2000 lastack:10
"""


# The text of /proc/PID/stat for a process whose name has a space and a parenthesis:
# utime (field 14) = 1500, stime (field 15) = 250.
PROC_STAT = ('4242 (my (odd) proc) S 1 4242 4242 0 -1 4194560 12345 0 0 0 1500 250 0 0 20 0 '
             '31 0 123456 4000000000 60000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0')

PROC_STATUS = """Name:\tjava
Umask:\t0022
State:\tS (sleeping)
VmPeak:\t 4000000 kB
VmHWM:\t  123456 kB
VmRSS:\t  100000 kB
Threads:\t31
"""


class Case:
    """Runs a table of (name, function, args, expected) cases, each as its own subtest."""

    def run_table(self, table):
        for name, fn, args, want in table:
            with self.subTest(name):
                self.assertEqual(fn(*args), want)


class Statistics(Case, unittest.TestCase):
    def test_median(self):
        self.run_table([
            ('no values: 0, as awk read the one empty line', stats.median, ([],), '0.000000'),
            ('one value', stats.median, (['7'],), '7.000000'),
            ('two: their mean', stats.median, (['1', '2'],), '1.500000'),
            ('even count, unsorted', stats.median, (['5', '1', '4', '2'],), '3.000000'),
            ('numeric order, not text order', stats.median, (['1e3', '2.5', '-1'],), '2.500000'),
            ('ratios', stats.median, (['0.9731', '1.0200', '0.9950'],), '0.995000'),
        ])

    def test_spread(self):
        self.run_table([
            ('odd count', stats.spread, (['0.9731', '1.0200', '0.9950'],), '0.995 0.973 1.020 3 2'),
            ('even count, none below 1', stats.spread, (['1.5', '1.1', '1.2', '1.3'],), '1.250 1.100 1.500 4 0'),
            ('no values', stats.spread, ([],), '0.000 0.000 0.000 0 0'),
        ])

    def test_ratios(self):
        self.run_table([
            ('three decimals', stats.ratio, ('45000.5', '50000.25', '%.3f', 'n/a'), '0.900'),
            ('guarded: b is 0', stats.ratio, ('1', '0', '%.3f', 'n/a'), 'n/a'),
            ('rounded', stats.ratio, ('2', '3', '%.3f', 'n/a'), '0.667'),
            ('as print: short decimal', stats.ratio, ('45000', '50000'), '0.9'),
            ('as print: integral', stats.ratio, ('3', '1'), '3'),
            ('as print: six significant digits', stats.ratio, ('1', '3'), '0.333333'),
            ('as print: unguarded b = 0 is inf', stats.ratio, ('1', '0'), 'inf'),
            ('as print, guarded with 0', stats.ratio, ('1', '0', 'print', '0'), '0'),
            ('four decimals', stats.ratio, ('9.8', '10.5', '%.4f'), '0.9333'),
            ('equal', stats.ratio, ('3', '3', '%.4f'), '1.0000'),
            ('unguarded, formatted', stats.ratio, ('1', '0', '%.4f'), 'inf'),
        ])

    def test_units(self):
        self.run_table([
            ('ms: 0', stats.ms, ('0',), '0.000'),
            ('ms: 1 us', stats.ms, ('1',), '0.001'),
            ('ms: over a second', stats.ms, ('1234567',), '1234.567'),
            ('ms: two decimals', stats.ms, ('1234567', '2'), '1234.57'),
            ('ms: half a microsecond rounds', stats.ms, ('2.5',), '0.003'),
            ('mb: 0', stats.mb, ('0',), '0.0'),
            ('mb: 1 kB', stats.mb, ('1',), '0.0'),
            ('mb: kB are 1024 B, MB 10^6 B', stats.mb, ('123456',), '126.4'),
            ('mb: 300000 kB', stats.mb, ('300000',), '307.2'),
            ('per 10k: pool', stats.per_10k, ('16', '160000'), '1.0'),
            ('per 10k: no requests', stats.per_10k, ('5', '0'), 'nan'),
            ('per 10k: one per request', stats.per_10k, ('10000', '10000'), '10000.0'),
            ('per 10k: rounded', stats.per_10k, ('3', '7'), '4285.7'),
            ('us/req', stats.us_per_req, ('250', '10000', 100), '250.0'),
            ('us/req: no requests', stats.us_per_req, ('0', '0', 100), 'nan'),
            ('us/req: rounded', stats.us_per_req, ('7', '3', 100), '23333.3'),
            ('us/req: two decimals', stats.us_per_req, ('1234', '56789', 100, '2'), '217.30'),
            ('elapsed', stats.elapsed, ('100.2', '160.9'), '61'),
            ('fmt: one decimal', stats.number, ('%.1f', '12345.67'), '12345.7'),
            ('fmt: %d truncates', stats.number, ('%d', '1234.9'), '1234'),
            ('fmt: four decimals', stats.number, ('%.4f', '1'), '1.0000'),
            ('per 1k: MB above the base', stats.per_1k_mb, ('250000', '50000', '10000'), '20.48 MB'),
            ('per 1k: none held', stats.per_1k_mb, ('250000', '50000', '0'), '-'),
        ])

    def test_gap_wait(self):
        self.run_table([
            ('part of the gap left', stats.gap_wait, ('100.5', '2', '101.0'), '1.50'),
            ('gap over', stats.gap_wait, ('100', '2', '110'), '0.00'),
            ('clock behind: at most the gap', stats.gap_wait, ('100', '2', '99'), '2.00'),
            ('quarter', stats.gap_wait, ('100.25', '2', '101.5'), '0.75'),
        ])

    def test_fmt_tw(self):
        self.run_table([
            ('none', stats.fmt_tw, ('0', '0', '0', 'wrk', 'proxy'), '0'),
            ('no attribution', stats.fmt_tw, ('12', '0', '0', 'wrk', 'proxy'), '12'),
            ('mostly at the listener', stats.fmt_tw, ('10', '3', '7', 'wrk', 'proxy'), '10 (at proxy 70%)'),
            ('mostly at the connector', stats.fmt_tw, ('10', '7', '3', 'wrk', 'proxy'), '10 (at wrk 70%)'),
            ('a tie goes to the listener', stats.fmt_tw, ('9', '1', '1', 'a', 'b'), '9 (at b 50%)'),
            ('rounded percentage', stats.fmt_tw, ('200', '1', '2', 'wrk', 'nginx'), '200 (at nginx 67%)'),
        ])


class Verdicts(Case, unittest.TestCase):
    def test_comparisons(self):
        self.run_table([
            ('at least: more', stats.at_least, ('5', '4'), '1'),
            ('at least: equal', stats.at_least, ('4', '4'), '1'),
            ('at least: less', stats.at_least, ('3.99', '4'), '0'),
            ('at least 3x: short', stats.at_least, ('11.9', '4', '3'), '0'),
            ('at least 3x: met', stats.at_least, ('12', '4', '3'), '1'),
            ('at least: numbers, not text', stats.at_least, ('10', '9'), '1'),
            ('at most 1.5x: met', stats.at_most, ('1500', '1000', '1.5'), '1'),
            ('at most 1.5x: not met', stats.at_most, ('1501', '1000', '1.5'), '0'),
            ('at most pool size', stats.at_most, ('16.0', '16'), '1'),
            ('below: less', stats.below, ('0.99', '1'), '1'),
            ('below: equal', stats.below, ('1', '1'), '0'),
            ('below: nan is not below', stats.below, ('nan', '1'), '0'),
            ('max: second larger', stats.larger, ('0', '12.5'), '12.5'),
            ('max: first larger, kept as given', stats.larger, ('12.50', '3'), '12.50'),
            ('max: equal keeps the first', stats.larger, ('2', '2.0'), '2'),
        ])

    def test_idle_target(self):
        self.run_table([
            ('held all, below target', stats.idle_target, ('10000', '290000', '300'), '1'),
            ('just over 300 MB', stats.idle_target, ('10000', '292969', '300'), '0'),
            ('just under 300 MB', stats.idle_target, ('10000', '292968', '300'), '1'),
            ('held too few', stats.idle_target, ('9999', '1', '300'), '0'),
        ])


class Parsing(Case, unittest.TestCase):
    def test_proc(self):
        self.run_table([
            ('stat: user + system, name with spaces', stats.stat_ticks, (PROC_STAT, 'cpu'), 1750),
            ('stat: user only', stats.stat_ticks, (PROC_STAT, 'user'), 1500),
            ('stat: truncated', stats.stat_ticks, ('1 (x) S 1 2', 'cpu'), None),
            ('status: VmHWM', stats.status_kb, (PROC_STATUS, 'VmHWM'), 123456),
            ('status: VmRSS', stats.status_kb, (PROC_STATUS, 'VmRSS'), 100000),
            ('status: key absent', stats.status_kb, (PROC_STATUS, 'VmSwap'), None),
            ('status: prefix of a key is not the key', stats.status_kb, (PROC_STATUS, 'Vm'), None),
        ])

    def test_proc_of_this_process(self):
        pid = str(os.getpid())
        self.assertGreater(stats.sum_over_pids([pid], 'status', lambda t: stats.status_kb(t, 'VmRSS')), 0)
        ticks = stats.sum_over_pids([pid], 'stat', lambda t: stats.stat_ticks(t, 'cpu'))
        self.assertGreaterEqual(ticks, stats.sum_over_pids([pid], 'stat', lambda t: stats.stat_ticks(t, 'user')))
        self.assertEqual(stats.sum_over_pids(['999999999', 'x'], 'stat', lambda t: stats.stat_ticks(t, 'cpu')), 0)

    def test_tw_count(self):
        self.run_table([
            ('fresh sockets, client and origin side', stats.tw_count,
             (SS_TIME_WAIT, '1000', '1000.5', '60', '1.5', '3128', '8080'), '1 2 1 0 9'),
            ('no origin port', stats.tw_count,
             (SS_TIME_WAIT, '1000', '1000.5', '60', '1.5', '3128', '0'), '1 2 0 0 9'),
            ('30 s later: older timers count, 9.250ms form read as seconds', stats.tw_count,
             (SS_TIME_WAIT, '1000', '1030', '60', '1.5', '3128', '8080'), '2 2 1 1 9'),
            ('ports swapped', stats.tw_count,
             (SS_TIME_WAIT, '1000', '1001', '60', '1.5', '9999', '3128'), '1 0 1 2 9'),
            ('empty', stats.tw_count, ('', '1000', '1001', '60', '1.5', '3128', '8080'), '0 0 0 0 0'),
        ])

    def test_stalls(self):
        self.run_table([
            ('limit 2000 ms', stats.stalls, (SS_ESTABLISHED, '2000'), '3 2'),
            ('limit 3000 ms', stats.stalls, (SS_ESTABLISHED, '3000'), '3 0'),
            ('limit 0', stats.stalls, (SS_ESTABLISHED, '0'), '3 3'),
            ('no connections', stats.stalls, ('', '2000'), '0 0'),
        ])


class CommandLine(unittest.TestCase):
    def test_usage_errors(self):
        for name, argv in [('no command', []), ('unknown command', ['nope']),
                           ('too few arguments', ['ratio', '1']), ('ticks needs cpu or user', ['ticks', 'x', '1'])]:
            with self.subTest(name), contextlib.redirect_stderr(io.StringIO()) as err:
                self.assertEqual(stats.main(argv), 2)
                self.assertIn('usage' if name != 'ticks needs cpu or user' else 'cpu or user', err.getvalue())

    def test_help(self):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            self.assertEqual(stats.main(['--help']), 0)
        self.assertIn('tw-count', out.getvalue())


if __name__ == '__main__':
    unittest.main()
