#!/usr/bin/env python3
"""Statistics, verdicts and /proc parsing for the bench/ scripts (python3 standard library only).

The shell scripts call one subcommand per value, and print what it prints; each subcommand keeps
the number format the scripts printed before (they computed these in awk). Run it with no
arguments for the list. Tests: python3 -m unittest discover -s bench -p 'test_*.py'
"""
import math
import os
import re
import sys
import time

_NUM = re.compile(r'\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?')


def num(text):
    """A string as awk reads it as a number: its longest numeric prefix, else 0 ("nan"/"inf" too)."""
    text = str(text)
    m = _NUM.match(text)
    if m:
        return float(m.group(0))
    word = text.strip().lower()
    for sign in ('', '+', '-'):
        for special in ('nan', 'inf'):
            if word.startswith(sign + special):
                return float(sign + special)
    return 0.0


def div(a, b):
    """a / b with IEEE results for b == 0 (inf, -inf, nan), as awk gives them."""
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def awk_print(x):
    """A number as awk's print shows it: an integral value as an integer, else %.6g."""
    if math.isfinite(x) and x == int(x) and abs(x) < 1e16:
        return '%d' % x
    return '%.6g' % x


def fmt(pattern, x):
    """A number through a printf pattern (%.2f, ...); 'print' formats as awk's print."""
    return awk_print(x) if pattern == 'print' else pattern % x


# ---------------------------------------------------------------- statistics
def median(values):
    """Median of numbers (the mean of the middle two for an even count) as %.6f; 0 if none."""
    v = sorted(num(x) for x in values) or [0.0]   # none: one empty value, as awk read it
    n = len(v)
    m = v[(n - 1) // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    return '%.6f' % m


def spread(values):
    """'<median> <min> <max> <count> <count below 1>', the first three with 3 decimals."""
    v = sorted(num(x) for x in values)
    if not v:
        return '0.000 0.000 0.000 0 0'
    n = len(v)
    m = v[(n - 1) // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    return '%.3f %.3f %.3f %d %d' % (m, v[0], v[-1], n, sum(1 for x in v if x < 1))


def ratio(a, b, pattern='print', if_not_positive=None):
    """a / b through a printf pattern; if_not_positive (when given) is printed instead when b <= 0."""
    a, b = num(a), num(b)
    if if_not_positive is not None and not b > 0:
        return if_not_positive
    return fmt(pattern, div(a, b))


def per_10k(count, requests):
    """Connections per 10,000 requests, %.1f, or nan when no request completed."""
    c, q = num(count), num(requests)
    return '%.1f' % (c * 10000 / q) if q > 0 else 'nan'


def us_per_req(ticks, requests, clk_tck, decimals='1'):
    """CPU clock ticks over requests as microseconds per request, or nan when no requests."""
    c, q = num(ticks), num(requests)
    if not q > 0:
        return 'nan'
    return '%.*f' % (int(decimals), c / clk_tck * 1e6 / q)


def ms(us, decimals='3'):
    """Microseconds as milliseconds."""
    return '%.*f' % (int(decimals), num(us) / 1000)


def number(pattern, value):
    """One number through a printf pattern (%.1f, %d, ...), as awk's printf formats it."""
    return fmt(pattern, num(value))


def per_1k_mb(peak_kb, base_kb, held):
    """MB (10^6 bytes) per 1,000 held connections above the base RSS, '%.2f MB', or '-'."""
    h, z, n = num(peak_kb), num(base_kb), num(held)
    return '%.2f MB' % ((h - z) * 1024 / 1e6 * 1000 / n) if n > 0 else '-'


def mb(kb):
    """kB (1024 bytes) as MB (10^6 bytes), %.1f."""
    return '%.1f' % (num(kb) * 1024 / 1e6)


def gap_wait(last_end, gap, now):
    """Seconds still to wait so that gap seconds pass after last_end, within 0..gap, %.2f."""
    g = num(gap)
    w = num(last_end) + g - num(now)
    return '%.2f' % min(max(w, 0.0), g)


def elapsed(start, end):
    """Whole seconds from start to end (%.0f)."""
    return '%.0f' % (num(end) - num(start))


def fmt_tw(total, at_connector, at_listener, connector, listener):
    """TIME_WAIT total with the share held by the end that holds most: 'N (at NAME P%)'."""
    t, c, s = num(total), num(at_connector), num(at_listener)
    if total == '0':
        return '0'
    if c + s == 0:
        return '%d' % t
    if s >= c:
        return '%d (at %s %d%%)' % (t, listener, int(100 * s / (c + s) + 0.5))
    return '%d (at %s %d%%)' % (t, connector, int(100 * c / (c + s) + 0.5))


# ---------------------------------------------------------------- verdicts (1 = met, 0 = not)
def at_least(a, b, factor='1'):
    """1 if a >= factor * b."""
    return '1' if num(a) >= num(factor) * num(b) else '0'


def at_most(a, b, factor='1'):
    """1 if a <= factor * b."""
    return '1' if num(a) <= num(factor) * num(b) else '0'


def below(a, b):
    """1 if a < b."""
    return '1' if num(a) < num(b) else '0'


def larger(a, b):
    """The larger of two numbers, as given (a when equal)."""
    return b if num(b) > num(a) else a


def idle_target(held, hwm_kb, target_mb, want='10000'):
    """1 if at least want connections were held with a peak RSS below target_mb (10^6 bytes)."""
    ok = num(held) >= num(want) and num(hwm_kb) * 1024 < num(target_mb) * 1e6
    return '1' if ok else '0'


# ---------------------------------------------------------------- /proc and ss parsing
def stat_ticks(stat_text, which):
    """utime (+ stime for 'cpu') from the text of /proc/PID/stat; None if unreadable."""
    rest = stat_text[stat_text.rfind(')') + 1:].split()
    # rest[0] is field 3 (state): utime is field 14, stime field 15
    try:
        utime, stime = int(rest[11]), int(rest[12])
    except (IndexError, ValueError):
        return None
    return utime + stime if which == 'cpu' else utime


def status_kb(status_text, key):
    """The kB value of KEY (VmRSS, VmHWM) in the text of /proc/PID/status; None if absent."""
    for line in status_text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == key + ':':
            return int(parts[1]) if parts[1].isdigit() else None
    return None


def _read(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            return f.read()
    except OSError:
        return None


def sum_over_pids(pids, path, parse):
    """Sums parse(text of /proc/PID/<path>) over pids; a gone or unreadable process counts 0."""
    total = 0
    for pid in pids:
        text = _read('/proc/%s/%s' % (pid, path)) if pid.isdigit() else None
        value = parse(text) if text is not None else None
        total += value or 0
    return total


def _port(addr):
    return int(num(addr.rsplit(':', 1)[-1]))


def _timer_secs(t):
    """Time left from ss's timer text: 1min | 59sec | 9.250ms (read as 9.25 s) | 250ms."""
    r = 0.0
    m = re.match(r'[0-9]+min', t)
    if m:
        r = 60 * num(t[:m.end() - 3])
        t = t[m.end():]
    if t.endswith('sec'):
        r += num(t)
    elif re.fullmatch(r'[0-9]+\.[0-9]+ms', t):
        r += num(t)
    elif t.endswith('ms'):
        r += num(t) / 1000
    return r


def tw_count(ss_text, t0, now, tw_len, slop, client_port, origin_port):
    """Counts, in `ss -Htan -o state time-wait` output, the TIME_WAIT sockets that entered
    TIME_WAIT at or after t0 (timer left >= tw_len - (now - t0) - slop). Returns
    '<client side at connector> <at listener> <origin side at connector> <at listener> <all>'."""
    min_left = num(tw_len) - (num(now) - num(t0)) - num(slop)
    cp, op = int(num(client_port)), int(num(origin_port))
    cc = cs = oc = os_ = total = 0
    for line in ss_text.splitlines():
        total += 1
        m = re.search(r'timewait,([^,]*),', line)
        if not m or _timer_secs(m.group(1)) < min_left:
            continue
        fields = line.split()
        lp = _port(fields[2]) if len(fields) > 2 else 0
        pp = _port(fields[3]) if len(fields) > 3 else 0
        if lp == cp:
            cs += 1          # the listening end closed first
        elif pp == cp:
            cc += 1          # the connecting end closed first
        elif op > 0 and lp == op:
            os_ += 1
        elif op > 0 and pp == op:
            oc += 1
    return '%d %d %d %d %d' % (cc, cs, oc, os_, total)


def stalls(ss_text, limit_ms):
    """From `ss -Htni state established` output: '<connections> <connections whose lastrcv is
    >= limit_ms>' (a connection's line starts in column 0, its TCP info line is indented)."""
    open_ = stuck = 0
    lim = num(limit_ms)
    for line in ss_text.splitlines():
        if line[:1] and not line[:1].isspace():
            open_ += 1
            continue
        m = re.search(r'lastrcv:([0-9]+)', line)
        if m and int(m.group(1)) >= lim:
            stuck += 1
    return '%d %d' % (open_, stuck)


# ---------------------------------------------------------------- command line
def _clk_tck():
    try:
        return os.sysconf('SC_CLK_TCK')
    except (ValueError, OSError):
        return 100


def _file_text(path):
    return _read(path) or ''


COMMANDS = {
    # name: (usage, function of the argument list)
    'median': ('V...', lambda a: median(a)),
    'spread': ('V...', lambda a: spread(a)),
    'ratio': ('A B [PRINTF-FORMAT|print [IF-B-NOT-POSITIVE]]', lambda a: ratio(*a)),
    'per-10k': ('COUNT REQUESTS', lambda a: per_10k(*a)),
    'us-per-req': ('TICKS REQUESTS [DECIMALS]', lambda a: us_per_req(a[0], a[1], _clk_tck(), *a[2:])),
    'ms': ('MICROSECONDS [DECIMALS]', lambda a: ms(*a)),
    'mb': ('KB', lambda a: mb(*a)),
    'fmt': ('PRINTF-FORMAT V', lambda a: number(*a)),
    'per-1k-mb': ('PEAK-KB BASE-KB HELD', lambda a: per_1k_mb(*a)),
    'gap-wait': ('LAST-END GAP', lambda a: gap_wait(a[0], a[1], time.time())),
    'elapsed': ('START END', lambda a: elapsed(*a)),
    'fmt-tw': ('TOTAL AT-CONNECTOR AT-LISTENER CONNECTOR-NAME LISTENER-NAME', lambda a: fmt_tw(*a)),
    'at-least': ('A B [FACTOR]', lambda a: at_least(*a)),
    'at-most': ('A B [FACTOR]', lambda a: at_most(*a)),
    'below': ('A B', lambda a: below(*a)),
    'max': ('A B', lambda a: larger(*a)),
    'idle-target': ('HELD HWM-KB TARGET-MB', lambda a: idle_target(*a)),
    'ticks': ('cpu|user PID...', lambda a: str(sum_over_pids(a[1:], 'stat', lambda t: stat_ticks(t, a[0])))),
    'status-kb': ('KEY PID...', lambda a: str(sum_over_pids(a[1:], 'status', lambda t: status_kb(t, a[0])))),
    'tw-count': ('SS-FILE T0 TW-LEN SLOP CLIENT-PORT ORIGIN-PORT',
                 lambda a: tw_count(_file_text(a[0]), a[1], time.time(), *a[2:6])),
    'stalls': ('SS-FILE LIMIT-MS', lambda a: stalls(_file_text(a[0]), a[1])),
}
MIN_ARGS = {'fmt': 2, 'per-1k-mb': 3, 'below': 2, 'ratio': 2, 'per-10k': 2, 'us-per-req': 2, 'ms': 1, 'mb': 1, 'gap-wait': 2, 'elapsed': 2,
            'fmt-tw': 5, 'at-least': 2, 'at-most': 2, 'max': 2, 'idle-target': 3, 'ticks': 1,
            'status-kb': 1, 'tw-count': 6, 'stalls': 2}


def usage():
    lines = ['usage: stats.py COMMAND ARGS...']
    lines += ['  %-11s %s' % (name, spec[0]) for name, spec in COMMANDS.items()]
    return '\n'.join(lines)


def main(argv):
    if not argv or argv[0] in ('-h', '--help'):
        print(usage(), file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    name, args = argv[0], argv[1:]
    if name not in COMMANDS or len(args) < MIN_ARGS.get(name, 0):
        print(usage(), file=sys.stderr)
        return 2
    if name == 'ticks' and args[0] not in ('cpu', 'user'):
        print('stats.py ticks: cpu or user, then PIDs', file=sys.stderr)
        return 2
    print(COMMANDS[name][1](args))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
