-- wrk script used by bench/run.sh for BOTH paths (direct and through the proxy),
-- so that both measurements pay exactly the same client-side cost.
--
-- Usage:
--   wrk ... -s bench/proxy.lua http://127.0.0.1:<connect-port> -- <request-target> <host-header>
--
--   direct: wrk ... http://127.0.0.1:ORIGIN -- /small                        127.0.0.1:ORIGIN
--   proxy : wrk ... http://127.0.0.1:PROXY  -- http://127.0.0.1:ORIGIN/small 127.0.0.1:ORIGIN
--
-- With an absolute URL as request-target every request is absolute-form:
--   GET http://127.0.0.1:ORIGIN/small HTTP/1.1
--   Host: 127.0.0.1:ORIGIN
-- i.e. exactly what wrk.format("GET", "http://127.0.0.1:ORIGIN/small", {Host = ...}) returns.
--
-- Fallbacks when no script args are given: env BENCH_TARGET and BENCH_HOST.
--
-- Optional third arg (or env BENCH_CONNECTION): a Connection header value, e.g. "close"
-- (used by bench/connections.sh for connection-per-request clients). wrk reconnects after
-- every response that carries "Connection: close", so each request uses a new connection.
-- Without it no Connection header is sent (HTTP/1.1 default: keep-alive).
--
-- No request() function is defined on purpose: wrk then formats the request ONCE per
-- thread (wrk.init calls wrk.format() after our init()) instead of calling into Lua for
-- every request. No response() function either, so wrk does not hand headers/bodies to Lua.

function init(args)
   local target = args[1] or os.getenv("BENCH_TARGET")
   local host   = args[2] or os.getenv("BENCH_HOST")
   wrk.method = "GET"
   if target and target ~= "" then
      wrk.path = target
   end
   if host and host ~= "" then
      wrk.headers["Host"] = host
   end
   local conn = args[3] or os.getenv("BENCH_CONNECTION")
   if conn and conn ~= "" then
      wrk.headers["Connection"] = conn
   end
end

-- Machine-readable result line, parsed by bench/run.sh.
-- Latencies in microseconds, duration in microseconds.
-- err_status counts responses with status > 399 (that is how wrk counts them).
function done(summary, latency, requests)
   local dur_us = summary.duration
   local rps = 0
   if dur_us > 0 then
      rps = summary.requests / (dur_us / 1e6)
   end
   local p50, p99, p999 = 0, 0, 0
   if summary.requests > 0 then
      p50  = latency:percentile(50)
      p99  = latency:percentile(99)
      p999 = latency:percentile(99.9)
   end
   local e = summary.errors
   io.write(string.format(
      "BENCH_RESULT requests=%d duration_us=%d rps=%.2f p50_us=%d p99_us=%d p999_us=%d " ..
      "mean_us=%.1f max_us=%d bytes=%d err_connect=%d err_read=%d err_write=%d " ..
      "err_status=%d err_timeout=%d\n",
      summary.requests, dur_us, rps, p50, p99, p999,
      latency.mean, latency.max, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout))
end
