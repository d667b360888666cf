// Node's real proxy clients, one fetch per run, for e2e/node.sh.
// Usage: node node_clients.mjs MODE URL [PROXY [CA_FILE]]
//   proxy-agent URL PROXY [CA_FILE]  undici fetch with {dispatcher: new ProxyAgent(PROXY)};
//                                    CA_FILE: trust it for the origin's TLS (through the tunnel)
//   env-agent URL                    undici fetch after setGlobalDispatcher(new EnvHttpProxyAgent()),
//                                    which reads HTTP_PROXY / HTTPS_PROXY / NO_PROXY
//   env-proxy URL                    Node's own global fetch, no undici import: the proxy comes
//                                    from NODE_USE_ENV_PROXY=1 and HTTP_PROXY (Node >= 24, 22.21)
// undici is loaded from the npm prefix in $UNDICI_PREFIX (node.sh installs a pinned version there):
// an ES module's bare import resolves next to this file, where there is no node_modules.
// Prints one line: "status=200 body=..." (exit 0) or "error: message <- cause <- cause" (exit 1).
// Every ProxyAgent of these undici versions tunnels http:// URLs too (CONNECT host:80), so what
// the proxy's connect.ports allow decides whether plain http fetches work at all.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const [mode, url, proxy, caFile] = process.argv.slice(2)

function undici () {
  if (!process.env.UNDICI_PREFIX) throw new Error('UNDICI_PREFIX is not set')
  return createRequire(join(process.env.UNDICI_PREFIX, 'package.json'))('undici')
}

// The whole cause chain: fetch only says "fetch failed"; the reason (a proxy's 403 on CONNECT,
// a TLS error, a refused connection) is in err.cause, sometimes two levels down.
function describe (err) {
  const parts = []
  for (let e = err, depth = 0; e && depth < 6; e = e.cause, depth++) {
    const code = typeof e.code === 'string' ? `(${e.code})` : ''
    parts.push(`${e.name || 'Error'}${code}: ${e.message ?? e}`)
  }
  return parts.join(' <- ')
}

let fetchFn
let dispatcher // closed at the end: an open keep-alive tunnel is logged only when it closes
switch (mode) {
  case 'proxy-agent': {
    const { fetch, ProxyAgent } = undici()
    const opts = { uri: proxy }
    if (caFile) opts.requestTls = { ca: readFileSync(caFile) }
    dispatcher = new ProxyAgent(opts)
    fetchFn = (u, init) => fetch(u, { ...init, dispatcher })
    break
  }
  case 'env-agent': {
    const { fetch, EnvHttpProxyAgent, setGlobalDispatcher } = undici()
    // No implicit loopback bypass in EnvHttpProxyAgent: an empty NO_PROXY proxies every host.
    dispatcher = new EnvHttpProxyAgent()
    setGlobalDispatcher(dispatcher)
    fetchFn = fetch // uses the global dispatcher
    break
  }
  case 'env-proxy':
    fetchFn = globalThis.fetch // Node's bundled undici, set up from the environment at startup
    break
  default:
    console.error('usage: node node_clients.mjs proxy-agent|env-agent|env-proxy URL [PROXY [CA_FILE]]')
    process.exit(2)
}

let code = 0
try {
  const res = await fetchFn(url, { signal: AbortSignal.timeout(10000) })
  const body = (await res.text()).trim()
  console.log(`status=${res.status} body=${JSON.stringify(body)}`)
} catch (err) {
  console.log(`error: ${describe(err)}`)
  code = 1
}
if (dispatcher) await dispatcher.close()
process.exit(code)
