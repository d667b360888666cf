package io.hopwise.app.config;

import io.hopwise.options.UpstreamOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a reload applies (issue 26), worked out from the running configuration and the one just
 * read, with no I/O. Everything applies to new requests, tunnels and connections except what is
 * made once at start: the sockets (listen, admin), the mode, the event loops, the transport, the
 * per-destination series and the CA file built into the upstream connectors. A change to one of
 * those is named in {@link #needRestart} and the running value is kept, as nginx keeps its
 * listening sockets across a reload.
 *
 * @param applied the loaded configuration with the running values of what needs a restart
 * @param needRestart one line per such change: {@code listen: 127.0.0.1:3129 needs a restart (kept 127.0.0.1:3128)}
 */
public record ReloadPlan(ProxyConfig applied, List<String> needRestart) {
  public ReloadPlan {
    needRestart = List.copyOf(needRestart);
  }

  public static ReloadPlan between(ProxyConfig running, ProxyConfig loaded) {
    List<String> restart = new ArrayList<>();
    kept(restart, "listen", running.listen(), loaded.listen());
    kept(restart, "admin", running.admin(), loaded.admin());
    kept(restart, "mode", running.mode(), loaded.mode());
    kept(restart, "eventLoops", running.eventLoops(), loaded.eventLoops());
    kept(restart, "transport", running.transport(), loaded.transport());
    kept(restart, "metrics.destinations", running.metrics().destinations(), loaded.metrics().destinations());
    kept(restart, "upstream.caFile", running.upstream().caFile(), loaded.upstream().caFile());
    UpstreamOptions u = loaded.upstream();
    UpstreamOptions upstream = Objects.equals(u.caFile(), running.upstream().caFile()) ? u
        : new UpstreamOptions(u.defaultUpstream(), u.maxConnectionsPerOrigin(), u.maxWaitQueue(), u.connectTimeout(),
            u.responseTimeout(), u.idleTimeout(), u.maxLifetime(), running.upstream().caFile(), u.pipelining());
    ProxyConfig applied = new ProxyConfig(running.listen(), running.admin(), running.mode(), loaded.pseudonym(),
        running.eventLoops(), loaded.limits(), upstream, loaded.client(), loaded.connect(), loaded.accessLog(),
        loaded.shutdown(), loaded.access(), loaded.security(), loaded.roles(), loaded.parents(), loaded.view(), running.metrics(),
        running.transport());
    return new ReloadPlan(applied, restart);
  }

  private static void kept(List<String> restart, String key, Object running, Object loaded) {
    if (!Objects.equals(running, loaded)) {
      restart.add(key + ": " + loaded + " needs a restart (kept " + running + ")");
    }
  }
}
