package io.hopwise.app.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hopwise.app.admin.AdminServer;
import io.hopwise.app.admin.Readiness;
import io.hopwise.app.config.ConfigException;
import io.hopwise.app.config.ConfigLoaderAccess;
import io.hopwise.app.config.ProxyConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks every manifest under {@code k8s/} (and the {@code Dockerfile}) against the code: the
 * config each pod mounts is one {@link io.hopwise.app.config.ConfigLoader} accepts, the ports the
 * probes, Services, annotations and the PodMonitor name are the ports that config opens, the probe
 * paths are ones {@link AdminServer} serves (with the right status while draining), the grace
 * period covers the configured drain, and the pods run non-root on a read-only root filesystem.
 * No cluster is needed: the manifests are read as YAML, as {@code kubectl kustomize} would.
 */
class ManifestsTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The container that runs the proxy, in every workload. */
  private static final String CONTAINER = "hopwise";
  /** terminationGracePeriodSeconds must exceed shutdown.delay + drainTimeout by at least this. */
  private static final Duration GRACE_MARGIN = Duration.ofSeconds(5);
  private static final Set<String> KUSTOMIZATION_NAMES =
      Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  @TempDir
  static Path tmp;

  private static Path repo;
  private static Path k8s;
  /** Every YAML document of every manifest file (not kustomizations, not generator inputs). */
  private static final List<Doc> docs = new ArrayList<>();
  private static final List<Path> manifestFiles = new ArrayList<>();
  /** Directory to its parsed kustomization. */
  private static final Map<Path, JsonNode> kustomizations = new LinkedHashMap<>();
  /** Files that configMapGenerators read: proxy configs, not manifests. */
  private static final Set<Path> generatorFiles = new LinkedHashSet<>();
  private static Dockerfile dockerfile;
  /** Every Deployment, with its hopwise container and the config that container would load. */
  private static final List<Workload> workloads = new ArrayList<>();

  /** One YAML document of a manifest file. */
  record Doc(Path file, JsonNode node) {
    String kind() {
      return node.path("kind").asText();
    }

    String name() {
      return node.path("metadata").path("name").asText();
    }

    Path dir() {
      return file.getParent();
    }

    /** For messages: {@code standalone/service.yaml Service/hopwise}. */
    String where() {
      return k8s.relativize(file) + " " + kind() + "/" + name();
    }
  }

  /** A Deployment's pod, its hopwise container and the config it would run with. */
  record Workload(Doc doc, JsonNode pod, JsonNode container, ProxyConfig config, String configSource) {
    String where() {
      return doc.where();
    }

    JsonNode podLabels() {
      return doc.node().path("spec").path("template").path("metadata").path("labels");
    }

    JsonNode podAnnotations() {
      return doc.node().path("spec").path("template").path("metadata").path("annotations");
    }

    /** The containers other than hopwise: the application, in the sidecar variant. */
    List<JsonNode> otherContainers() {
      List<JsonNode> out = new ArrayList<>();
      pod.path("containers").forEach(c -> {
        if (!CONTAINER.equals(c.path("name").asText())) {
          out.add(c);
        }
      });
      return out;
    }
  }

  /** The instructions of a Dockerfile's final (runtime) stage, plus every stage's text. */
  record Dockerfile(List<String[]> runtime, String all) {
    List<String> args(String instruction) {
      return runtime.stream().filter(i -> i[0].equals(instruction)).map(i -> i[1]).toList();
    }
  }

  @BeforeAll
  static void load() throws Exception {
    repo = Path.of("").toAbsolutePath();
    while (repo != null && !(Files.isDirectory(repo.resolve("k8s")) && Files.exists(repo.resolve("mvnw")))) {
      repo = repo.getParent();
    }
    assertNotNull(repo, "no k8s/ directory next to mvnw above " + Path.of("").toAbsolutePath());
    k8s = repo.resolve("k8s");

    List<Path> yamlFiles;
    try (Stream<Path> walk = Files.walk(k8s)) {
      yamlFiles = walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")
              || KUSTOMIZATION_NAMES.contains(p.getFileName().toString()))
          .sorted().toList();
    }
    for (Path f : yamlFiles) {
      if (KUSTOMIZATION_NAMES.contains(f.getFileName().toString())) {
        JsonNode k = YAML.readTree(f.toFile());
        kustomizations.put(f.getParent(), k);
        for (JsonNode gen : k.path("configMapGenerator")) {
          for (JsonNode entry : gen.path("files")) {
            generatorFiles.add(f.getParent().resolve(generatorPath(entry.asText())).normalize());
          }
        }
        // An overlay's patches are parts of another directory's manifests, not manifests.
        for (JsonNode patch : k.path("patches")) {
          if (patch.has("path")) {
            generatorFiles.add(f.getParent().resolve(patch.path("path").asText()).normalize());
          }
        }
      }
    }
    for (Path f : yamlFiles) {
      if (KUSTOMIZATION_NAMES.contains(f.getFileName().toString()) || generatorFiles.contains(f)) {
        continue;
      }
      manifestFiles.add(f);
      List<JsonNode> inFile = YAML.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile()).readAll();
      for (JsonNode n : inFile) {
        if (n != null && !n.isNull() && !n.isMissingNode() && !(n.isObject() && n.isEmpty())) {
          docs.add(new Doc(f, n));
        }
      }
    }
    dockerfile = parseDockerfile(repo.resolve("Dockerfile"));

    for (Doc d : docs) {
      if (d.kind().equals("Deployment")) {
        workloads.add(workload(d));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Files and kustomizations

  @TestFactory
  Stream<DynamicTest> everyManifestIsAKubernetesObject() {
    assertFalse(manifestFiles.isEmpty(), "no manifests under " + k8s);
    return manifestFiles.stream().map(f -> dynamicTest(k8s.relativize(f).toString(), () -> {
      List<Doc> inFile = docs.stream().filter(d -> d.file().equals(f)).toList();
      assertFalse(inFile.isEmpty(), k8s.relativize(f) + ": no YAML document");
      for (Doc d : inFile) {
        assertFalse(d.node().path("apiVersion").asText().isEmpty(), k8s.relativize(f) + ": a document without apiVersion");
        assertFalse(d.kind().isEmpty(), k8s.relativize(f) + ": a document without kind");
        assertFalse(d.name().isEmpty(), k8s.relativize(f) + ": a " + d.kind() + " without metadata.name");
      }
    }));
  }

  @Test
  void theExpectedObjectsExist() {
    Set<String> found = docs.stream()
        .map(d -> k8s.relativize(d.dir()) + ":" + d.node().path("apiVersion").asText() + "/" + d.kind())
        .collect(Collectors.toCollection(TreeSet::new));
    for (String expected : List.of(
        "sidecar:apps/v1/Deployment",
        "standalone:apps/v1/Deployment", "standalone:v1/Service",
        "standalone:autoscaling/v2/HorizontalPodAutoscaler",
        "monitoring:monitoring.coreos.com/v1/PodMonitor")) {
      assertTrue(found.contains(expected), "k8s/: expected " + expected + ", found " + found);
    }
  }

  @Test
  void kustomizationsListEveryManifestAndNothingElse() {
    assertTrue(kustomizations.containsKey(k8s), "k8s/kustomization.yaml is missing");
    Set<Path> reached = new TreeSet<>();
    collectReached(k8s, reached);
    for (Path dir : kustomizations.keySet()) {
      // An overlay of a variant (k8s/sidecar-parent) cannot sit beside its base in one render (the
      // same Deployment twice): it is reached through its base instead.
      boolean overlayOfReached = kustomizations.get(dir).path("resources").size() > 0;
      for (JsonNode r : kustomizations.get(dir).path("resources")) {
        overlayOfReached &= reached.contains(dir.resolve(r.asText()).normalize());
      }
      assertTrue(reached.contains(dir) || overlayOfReached,
          k8s.relativize(dir) + "/kustomization.yaml is not reachable from k8s/kustomization.yaml, nor an overlay of what is");
    }
    kustomizations.forEach((dir, k) -> {
      String file = relative(dir.resolve("kustomization.yaml"));
      Set<Path> listed = new TreeSet<>();
      for (JsonNode r : k.path("resources")) {
        Path p = dir.resolve(r.asText()).normalize();
        assertTrue(Files.isRegularFile(p) || kustomizations.containsKey(p),
            file + ": resource " + r.asText() + " is neither a file nor a directory with a kustomization");
        listed.add(p);
      }
      for (JsonNode gen : k.path("configMapGenerator")) {
        for (JsonNode entry : gen.path("files")) {
          assertTrue(Files.isRegularFile(dir.resolve(generatorPath(entry.asText()))),
              file + ": configMapGenerator " + gen.path("name").asText() + " reads missing file " + entry.asText());
        }
      }
      for (Path m : manifestFiles) {
        if (m.getParent().equals(dir)) {
          assertTrue(listed.contains(m), file + " does not list " + m.getFileName() + " under resources");
        }
      }
    });
  }

  private static void collectReached(Path dir, Set<Path> reached) {
    if (!reached.add(dir)) {
      return;
    }
    for (JsonNode r : kustomizations.getOrDefault(dir, JSON.createObjectNode()).path("resources")) {
      Path p = dir.resolve(r.asText()).normalize();
      if (kustomizations.containsKey(p)) {
        collectReached(p, reached);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Every Deployment: config, probes, ports, grace period, security, resources, JVM

  @TestFactory
  Stream<DynamicTest> deployments() {
    assertTrue(workloads.size() >= 2, "expected the sidecar and standalone Deployments, found " + workloads.size());
    return workloads.stream().flatMap(w -> Stream.of(
        dynamicTest(w.where() + ": probes are /healthz and /readyz on the admin port", () -> probes(w)),
        dynamicTest(w.where() + ": admin port and prometheus.io annotations", () -> adminPort(w)),
        dynamicTest(w.where() + ": terminationGracePeriodSeconds covers the drain", () -> gracePeriod(w)),
        dynamicTest(w.where() + ": non-root, read-only root filesystem", () -> security(w)),
        dynamicTest(w.where() + ": resource requests and limits", () -> resources(w)),
        dynamicTest(w.where() + ": JVM options for a container", () -> jvmOptions(w)),
        dynamicTest(w.where() + ": config mounted where the image's CMD reads it", () -> configMount(w))));
  }

  private static void probes(Workload w) {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("livenessProbe", "/healthz");
    expected.put("readinessProbe", "/readyz");
    expected.put("startupProbe", "/healthz");
    for (var e : expected.entrySet()) {
      JsonNode probe = w.container().path(e.getKey());
      if (probe.isMissingNode() && e.getKey().equals("startupProbe")) {
        continue; // optional
      }
      String what = w.where() + ": " + CONTAINER + " " + e.getKey();
      assertFalse(probe.isMissingNode(), what + " is missing");
      JsonNode get = probe.path("httpGet");
      assertFalse(get.isMissingNode(), what + " must be an httpGet probe");
      assertEquals(e.getValue(), get.path("path").asText(), what + " path");
      assertEquals("HTTP", get.path("scheme").asText("HTTP"), what + " scheme");
      assertEquals(w.config().admin().port(), containerPort(w, get.path("port")),
          what + " port must be the admin port of " + w.configSource());
    }
    assertEquals("0.0.0.0", w.config().admin().host(),
        w.configSource() + ": admin must listen on 0.0.0.0 so that the kubelet's probes reach it");
  }

  private static void adminPort(Workload w) {
    int admin = w.config().admin().port();
    assertEquals(admin, containerPort(w, JSON.getNodeFactory().textNode("admin")),
        w.where() + ": container port named admin must be " + w.configSource() + "'s admin port");
    JsonNode a = w.podAnnotations();
    assertEquals("true", a.path("prometheus.io/scrape").asText(), w.where() + ": pod annotation prometheus.io/scrape");
    assertEquals(String.valueOf(admin), a.path("prometheus.io/port").asText(),
        w.where() + ": pod annotation prometheus.io/port must be the admin port of " + w.configSource());
    assertEquals("/metrics", a.path("prometheus.io/path").asText(), w.where() + ": pod annotation prometheus.io/path");
  }

  private static void gracePeriod(Workload w) {
    JsonNode grace = w.pod().path("terminationGracePeriodSeconds");
    assertTrue(grace.isInt(), w.where() + ": terminationGracePeriodSeconds must be set (an integer)");
    Duration drain = w.config().shutdown().delay().plus(w.config().shutdown().drainTimeout());
    Duration needed = drain.plus(GRACE_MARGIN);
    assertTrue(Duration.ofSeconds(grace.asInt()).compareTo(needed) >= 0,
        w.where() + ": terminationGracePeriodSeconds " + grace.asInt() + " must be at least shutdown.delay + "
            + "shutdown.drainTimeout (" + drain.toSeconds() + "s, from " + w.configSource() + ") + "
            + GRACE_MARGIN.toSeconds() + "s");
  }

  private static void security(Workload w) {
    JsonNode c = w.container().path("securityContext");
    JsonNode p = w.pod().path("securityContext");
    String what = w.where() + ": " + CONTAINER + " securityContext.";
    assertTrue(effective(c, p, "runAsNonRoot").asBoolean(false), what + "runAsNonRoot must be true");
    assertEquals(dockerfileUser(), effective(c, p, "runAsUser").asInt(-1),
        what + "runAsUser must be the Dockerfile's USER");
    assertTrue(c.path("readOnlyRootFilesystem").asBoolean(false), what + "readOnlyRootFilesystem must be true");
    assertTrue(c.has("allowPrivilegeEscalation") && !c.path("allowPrivilegeEscalation").asBoolean(true),
        what + "allowPrivilegeEscalation must be false");
    assertEquals(List.of("ALL"), texts(c.path("capabilities").path("drop")), what + "capabilities.drop");
    assertEquals("RuntimeDefault", effective(c, p, "seccompProfile").path("type").asText(),
        what + "seccompProfile.type");
  }

  private static void resources(Workload w) {
    JsonNode r = w.container().path("resources");
    String what = w.where() + ": " + CONTAINER + " resources.";
    for (String path : List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")) {
      String[] parts = path.split("\\.");
      String value = r.path(parts[0]).path(parts[1]).asText();
      assertFalse(value.isEmpty(), what + path + " must be set");
    }
    long request = bytes(r.path("requests").path("memory").asText());
    long limit = bytes(r.path("limits").path("memory").asText());
    assertTrue(request <= limit, what + "requests.memory must not exceed limits.memory");
  }

  private static void jvmOptions(Workload w) {
    String what = w.where() + ": " + CONTAINER + " JAVA_TOOL_OPTIONS";
    String options = env(w.container()).get("JAVA_TOOL_OPTIONS");
    assertNotNull(options, what + " must be set");
    assertTrue(Pattern.compile("(^|\\s)-XX:MaxRAMPercentage=\\d+(\\.\\d+)?(\\s|$)").matcher(options).find(),
        what + " must size the heap from the container's memory limit (-XX:MaxRAMPercentage=N): " + options);
    assertFalse(options.matches(".*(^|\\s)-Xmx\\S*.*"), what + ": -Xmx would ignore the memory limit: " + options);
    Matcher tmpdir = Pattern.compile("(?:^|\\s)-Djava\\.io\\.tmpdir=(\\S+)").matcher(options);
    assertTrue(tmpdir.find(), what + " must set -Djava.io.tmpdir (the root filesystem is read-only)");
    String dir = tmpdir.group(1);
    JsonNode mount = mountAt(w.container(), dir);
    assertNotNull(mount, what + ": -Djava.io.tmpdir=" + dir + " is not a volume mount of " + CONTAINER);
    JsonNode volume = volume(w.pod(), mount.path("name").asText());
    assertTrue(volume.has("emptyDir"), what + ": " + dir + " must be an emptyDir volume");
    assertFalse(mount.path("readOnly").asBoolean(false), what + ": " + dir + " must be writable");
  }

  private static void configMount(Workload w) {
    assertFalse(w.container().has("command"), w.where() + ": " + CONTAINER + " must not override the image's ENTRYPOINT");
    assertFalse(w.container().has("args"),
        w.where() + ": " + CONTAINER + " must not override the image's CMD (--config " + dockerfileConfigPath() + ")");
    // Which ConfigMap serves the config path was resolved in workload(); here, that it is read-only.
    String path = dockerfileConfigPath();
    JsonNode mount = configVolumeMount(w.container(), path);
    assertNotNull(mount, w.where() + ": nothing mounted at " + path);
    assertTrue(mount.path("readOnly").asBoolean(false), w.where() + ": the config mount must be readOnly");
  }

  // ---------------------------------------------------------------------------------------------
  // Variants

  @Test
  void sidecarAppUsesTheProxyOnLoopback() {
    List<Workload> sidecars = inDir("sidecar");
    assertEquals(1, sidecars.size(), "k8s/sidecar: expected one Deployment");
    Workload w = sidecars.get(0);
    assertEquals("127.0.0.1", w.config().listen().host(),
        w.configSource() + ": the sidecar must listen on loopback only (the app shares the pod's network)");
    List<JsonNode> apps = w.otherContainers();
    assertFalse(apps.isEmpty(), w.where() + ": no application container next to " + CONTAINER);
    String proxyUrl = "http://127.0.0.1:" + w.config().listen().port();
    for (JsonNode app : apps) {
      String what = w.where() + ": container " + app.path("name").asText() + " env ";
      Map<String, String> env = env(app);
      for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
        assertEquals(proxyUrl, env.get(name), what + name + " must point at the proxy's listen port in " + w.configSource());
      }
      List<String> noProxy = List.of(env.getOrDefault("NO_PROXY", "").split(","));
      assertTrue(noProxy.contains("localhost") && noProxy.contains("127.0.0.1"),
          what + "NO_PROXY must contain localhost and 127.0.0.1, is " + env.get("NO_PROXY"));
    }
    // Issue 26: the sidecar example shows a role with an allow-list, in report mode so that a new
    // deployment breaks nothing while the list is completed from its access log.
    var roles = w.config().roles();
    assertFalse(roles.staticRole().isEmpty(), w.configSource() + ": the sidecar example must give its pod a static role");
    var role = roles.list().stream().filter(r -> r.name().equals(roles.staticRole())).findFirst().orElseThrow();
    assertFalse(role.allow().isEmpty(), w.configSource() + ": the example role must have an allow-list");
    assertEquals(io.hopwise.policy.Role.Mode.REPORT, role.mode(), w.configSource() + ": start in report mode");
    // Issue 26: a change of the allow-list reaches the running pod without a restart. That takes a
    // ConfigMap whose name stays (a generated name with a content hash rolls the pods instead) and
    // a directory mount (the kubelet never updates a subPath mount); hopwise reloads on the swap.
    // Either spelling: the kustomization-wide generatorOptions (what older kustomize, Debian's
    // kubectl 1.20 among them, understands) or the generator's own options.
    JsonNode kustomization = kustomizations.get(w.doc().dir());
    JsonNode generator = kustomization.path("configMapGenerator").get(0);
    assertTrue(generator.path("options").path("disableNameSuffixHash").asBoolean(false)
            || kustomization.path("generatorOptions").path("disableNameSuffixHash").asBoolean(false),
        w.doc().dir() + "/kustomization.yaml: the sidecar's ConfigMap must keep its name (generatorOptions: disableNameSuffixHash: true)"
            + " so that a change updates the mounted file in place");
    JsonNode mount = configVolumeMount(w.container(), dockerfileConfigPath());
    assertFalse(mount.has("subPath"), w.where() + ": the config must be mounted as a directory: a subPath mount never sees a ConfigMap update");
  }

  /**
   * Issue 27: the sidecar behind a corporate proxy, as an overlay of k8s/sidecar: its config (the
   * sidecar's ConfigMap replaced) loads and sends everything through a parent but the cluster's
   * own names and loopback, keeps the sidecar's ports, and every credentials variable it names is
   * set in the hopwise container from a Secret by the overlay's patch (never a literal value).
   */
  @Test
  void sidecarParentOverlayChainsToACorporateProxyWithCredentialsFromASecret() throws Exception {
    Path dir = k8s.resolve("sidecar-parent");
    JsonNode k = kustomizations.get(dir);
    assertNotNull(k, "k8s/sidecar-parent/kustomization.yaml is missing");
    assertEquals(List.of("../sidecar"), texts(k.path("resources")), "k8s/sidecar-parent: an overlay of k8s/sidecar");
    Workload sidecar = inDir("sidecar").get(0);
    JsonNode generator = k.path("configMapGenerator").get(0);
    JsonNode base = kustomizations.get(k8s.resolve("sidecar")).path("configMapGenerator").get(0);
    assertEquals(base.path("name").asText(), generator.path("name").asText(), "the overlay replaces the sidecar's ConfigMap");
    assertEquals("replace", generator.path("behavior").asText());

    Path config = dir.resolve(generatorPath(generator.path("files").get(0).asText()));
    Map<String, String> env = new LinkedHashMap<>(env(sidecar.container()));
    JsonNode patch = YAML.readTree(dir.resolve(k.path("patches").get(0).path("path").asText()).toFile());
    assertEquals(sidecar.doc().name(), patch.path("metadata").path("name").asText(), "the patch is for the sidecar's Deployment");
    JsonNode patched = null;
    for (JsonNode c : patch.path("spec").path("template").path("spec").path("initContainers")) {
      if (CONTAINER.equals(c.path("name").asText())) {
        patched = c;
      }
    }
    assertNotNull(patched, "the patch must add to the " + CONTAINER + " init container");
    Set<String> fromSecrets = new TreeSet<>();
    for (JsonNode e : patched.path("env")) {
      assertFalse(e.has("value"), "credentials come from a Secret, never a literal: " + e);
      assertTrue(e.path("valueFrom").has("secretKeyRef"), "from a secretKeyRef: " + e);
      fromSecrets.add(e.path("name").asText());
      env.put(e.path("name").asText(), "user:from-the-secret");
    }
    ProxyConfig c = ConfigLoaderAccess.loadWithEnvironment(config, env);
    assertEquals(sidecar.config().listen(), c.listen(), relative(config) + ": the sidecar's listen address (the app's HTTP_PROXY)");
    assertEquals(sidecar.config().admin(), c.admin(), relative(config) + ": the sidecar's admin address (the probes)");
    assertFalse(c.parents().list().isEmpty(), relative(config) + ": names a parent");
    for (var p : c.parents().list()) {
      assertNull(p.credentialsFile(), relative(config) + ": credentials from the environment (the Secret), not a file");
      assertTrue(fromSecrets.contains(p.credentialsEnv()), relative(config) + ": " + p.credentialsEnv()
          + " must be set from a Secret by the patch, which sets " + fromSecrets);
    }
    io.hopwise.policy.Routes routes = ConfigLoaderAccess.optionsWithEnvironment(c, env).routes();
    assertFalse(routes.route("api.example.com").direct(), "the internet goes through the parent");
    for (String inside : List.of("localhost", "127.0.0.1", "my-service.my-namespace.svc.cluster.local")) {
      assertTrue(routes.route(inside).direct(), inside + " must go direct (bypass)");
    }
  }

  @Test
  void standaloneServiceReachesTheProxyAndAdminPorts() {
    List<Workload> standalone = inDir("standalone");
    assertEquals(1, standalone.size(), "k8s/standalone: expected one Deployment");
    Workload w = standalone.get(0);
    assertEquals("0.0.0.0", w.config().listen().host(),
        w.configSource() + ": the standalone proxy must listen on 0.0.0.0 to be reachable through its Service");
    assertTrue(w.otherContainers().isEmpty(), w.where() + ": only the " + CONTAINER + " container expected");
    List<Doc> services = docs.stream().filter(d -> d.kind().equals("Service") && d.dir().equals(w.doc().dir())).toList();
    assertEquals(1, services.size(), "k8s/standalone: expected one Service");
    Doc svc = services.get(0);
    assertSelects(svc, svc.node().path("spec").path("selector"), w);
    Map<String, JsonNode> ports = new LinkedHashMap<>();
    svc.node().path("spec").path("ports").forEach(p -> ports.put(p.path("name").asText(), p));
    assertEquals(Set.of("proxy", "admin"), ports.keySet(), svc.where() + ": port names");
    assertEquals(3128, ports.get("proxy").path("port").asInt(), svc.where() + ": port proxy");
    assertEquals(w.config().listen().port(), containerPort(w, targetPort(ports.get("proxy"))),
        svc.where() + ": port proxy's targetPort must be the listen port of " + w.configSource());
    assertEquals(9901, ports.get("admin").path("port").asInt(), svc.where() + ": port admin");
    assertEquals(w.config().admin().port(), containerPort(w, targetPort(ports.get("admin"))),
        svc.where() + ": port admin's targetPort must be the admin port of " + w.configSource());
    assertEquals(w.config().listen().port(), containerPort(w, JSON.getNodeFactory().textNode("proxy")),
        w.where() + ": container port named proxy must be the listen port of " + w.configSource());
  }

  @Test
  void standaloneAutoscalerTargetsTheDeploymentOnCpu() {
    Workload w = inDir("standalone").get(0);
    List<Doc> hpas = docs.stream().filter(d -> d.kind().equals("HorizontalPodAutoscaler")).toList();
    assertEquals(1, hpas.size(), "k8s/: expected one HorizontalPodAutoscaler");
    Doc hpa = hpas.get(0);
    JsonNode spec = hpa.node().path("spec");
    assertEquals("autoscaling/v2", hpa.node().path("apiVersion").asText(), hpa.where() + ": apiVersion");
    assertEquals(w.doc().dir(), hpa.dir(), hpa.where() + ": must sit with the Deployment it scales");
    JsonNode target = spec.path("scaleTargetRef");
    assertEquals("apps/v1", target.path("apiVersion").asText(), hpa.where() + ": scaleTargetRef.apiVersion");
    assertEquals("Deployment", target.path("kind").asText(), hpa.where() + ": scaleTargetRef.kind");
    assertEquals(w.doc().name(), target.path("name").asText(), hpa.where() + ": scaleTargetRef.name");
    int min = spec.path("minReplicas").asInt(1);
    int max = spec.path("maxReplicas").asInt(0);
    assertTrue(min >= 2, hpa.where() + ": minReplicas must be at least 2, so one pod can drain while another serves");
    assertTrue(max > min, hpa.where() + ": maxReplicas must exceed minReplicas");
    JsonNode cpu = null;
    for (JsonNode m : spec.path("metrics")) {
      if (m.path("type").asText().equals("Resource") && m.path("resource").path("name").asText().equals("cpu")) {
        cpu = m.path("resource").path("target");
      }
    }
    assertNotNull(cpu, hpa.where() + ": no Resource metric on cpu");
    assertEquals("Utilization", cpu.path("type").asText(), hpa.where() + ": cpu target type");
    int utilization = cpu.path("averageUtilization").asInt(0);
    assertTrue(utilization > 0 && utilization <= 100, hpa.where() + ": cpu averageUtilization " + utilization);
    assertFalse(w.doc().node().path("spec").has("replicas"),
        w.where() + ": spec.replicas must be left out: the HorizontalPodAutoscaler owns it");
  }

  @Test
  void everySelectorInADirectorySelectsItsDeployment() {
    int checked = 0;
    for (Doc d : docs) {
      JsonNode selector = switch (d.kind()) {
        case "Service" -> d.node().path("spec").path("selector");
        case "PodDisruptionBudget" -> d.node().path("spec").path("selector").path("matchLabels");
        default -> null;
      };
      if (selector == null) {
        continue;
      }
      List<Workload> here = workloads.stream().filter(w -> w.doc().dir().equals(d.dir())).toList();
      assertEquals(1, here.size(), d.where() + ": expected one Deployment next to it");
      assertSelects(d, selector, here.get(0));
      checked++;
    }
    assertTrue(checked >= 1, "k8s/: no Service or PodDisruptionBudget selector checked");
  }

  // ---------------------------------------------------------------------------------------------
  // Prometheus

  @Test
  void podMonitorScrapesTheAdminPortOfEveryProxyPod() {
    List<Doc> monitors = docs.stream().filter(d -> d.kind().equals("PodMonitor")).toList();
    assertEquals(1, monitors.size(), "k8s/: expected one PodMonitor");
    Doc pm = monitors.get(0);
    assertEquals("monitoring.coreos.com/v1", pm.node().path("apiVersion").asText(), pm.where() + ": apiVersion");
    JsonNode endpoints = pm.node().path("spec").path("podMetricsEndpoints");
    assertEquals(1, endpoints.size(), pm.where() + ": expected one podMetricsEndpoints entry");
    JsonNode ep = endpoints.get(0);
    assertEquals("admin", ep.path("port").asText(), pm.where() + ": podMetricsEndpoints[0].port");
    assertEquals("/metrics", ep.path("path").asText(), pm.where() + ": podMetricsEndpoints[0].path");
    for (Workload w : workloads) {
      assertSelects(pm, pm.node().path("spec").path("selector").path("matchLabels"), w);
      assertEquals(w.config().admin().port(), containerPort(w, ep.path("port")),
          pm.where() + ": port " + ep.path("port").asText() + " of " + w.where() + " must be the admin port of "
              + w.configSource());
    }
  }

  /**
   * The paths the manifests name, against the real admin server: every one answers 200 when ready;
   * while draining, the liveness (and startup) paths stay 200, so a draining pod is not restarted,
   * and the readiness path turns 503, so it gets no new traffic.
   */
  @Test
  void adminServerServesThePathsTheManifestsName() throws Exception {
    Map<String, String> alive = new LinkedHashMap<>();
    Map<String, String> ready = new LinkedHashMap<>();
    Map<String, String> metrics = new LinkedHashMap<>();
    for (Workload w : workloads) {
      for (String probe : List.of("livenessProbe", "startupProbe")) {
        String path = w.container().path(probe).path("httpGet").path("path").asText();
        if (!path.isEmpty()) {
          alive.put(path, w.where() + " " + probe);
        }
      }
      ready.put(w.container().path("readinessProbe").path("httpGet").path("path").asText(), w.where() + " readinessProbe");
      metrics.put(w.podAnnotations().path("prometheus.io/path").asText(), w.where() + " prometheus.io/path");
    }
    for (Doc pm : docs.stream().filter(d -> d.kind().equals("PodMonitor")).toList()) {
      pm.node().path("spec").path("podMetricsEndpoints")
          .forEach(ep -> metrics.put(ep.path("path").asText("/metrics"), pm.where()));
    }
    assertFalse(alive.isEmpty() || ready.isEmpty() || metrics.isEmpty(), "no probe or metrics paths found");

    Vertx vertx = Vertx.vertx();
    try {
      Readiness readiness = new Readiness();
      AdminServer admin = new AdminServer(vertx, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), readiness, "");
      int port = admin.start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newHttpClient();
      readiness.ready();
      for (Map<String, String> paths : List.of(alive, ready, metrics)) {
        for (var e : paths.entrySet()) {
          assertEquals(200, get(http, port, e.getKey()).statusCode(),
              e.getValue() + ": GET " + e.getKey() + " on AdminServer when ready");
        }
      }
      for (var e : metrics.entrySet()) {
        assertTrue(get(http, port, e.getKey()).headers().firstValue("Content-Type").orElse("")
            .startsWith("text/plain; version=0.0.4"), e.getValue() + ": " + e.getKey() + " is not Prometheus text");
      }
      readiness.draining();
      for (var e : alive.entrySet()) {
        assertEquals(200, get(http, port, e.getKey()).statusCode(),
            e.getValue() + ": GET " + e.getKey() + " must stay 200 while draining (else the kubelet kills the drain)");
      }
      for (var e : ready.entrySet()) {
        assertEquals(503, get(http, port, e.getKey()).statusCode(),
            e.getValue() + ": GET " + e.getKey() + " must be 503 while draining");
      }
      admin.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  // ---------------------------------------------------------------------------------------------
  // Dockerfile

  /**
   * Regression (issue 30): the build stage copied two of the parent POM's three modules, and Maven
   * refuses a reactor with a module missing ("Child module .../proxy-bench of .../pom.xml does not
   * exist"), so the image could not build. Every module's POM must be copied.
   */
  @Test
  void dockerfileBuildStageCopiesEveryModulesPom() throws IOException {
    String pom = Files.readString(repo.resolve("pom.xml"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    List<String> modules = new java.util.ArrayList<>();
    while (m.find()) {
      modules.add(m.group(1).trim());
    }
    assertFalse(modules.isEmpty(), "pom.xml lists no modules");
    for (String module : modules) {
      assertTrue(dockerfile.all().contains("COPY " + module + "/pom.xml " + module + "/"),
          "Dockerfile: the build stage must COPY " + module + "/pom.xml " + module + "/ (pom.xml lists the module)");
    }
  }

  @Test
  void dockerfileMatchesTheManifests() {
    Set<Integer> exposed = new TreeSet<>();
    for (String args : dockerfile.args("EXPOSE")) {
      for (String p : args.trim().split("\\s+")) {
        exposed.add(Integer.parseInt(p.replaceFirst("/tcp$", "")));
      }
    }
    assertEquals(Set.of(3128, 9901), exposed, "Dockerfile: EXPOSE");
    Workload standalone = inDir("standalone").get(0);
    assertEquals(Set.of(standalone.config().listen().port(), standalone.config().admin().port()), exposed,
        "Dockerfile: EXPOSE must be the listen and admin ports of " + standalone.configSource());
    // The image runs with the launcher's JVM options (conf/jvm.options), as bin/hopwise does.
    assertEquals(List.of("java", "@/opt/hopwise/jvm.options", "-XX:SharedArchiveFile=/opt/hopwise/hopwise.jsa",
        "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", "/opt/hopwise/hopwise.jar"), jsonArray("ENTRYPOINT"),
        "Dockerfile: ENTRYPOINT");
    // The class archive the ENTRYPOINT maps is the one a training run in the image writes (issue 28).
    assertTrue(dockerfile.args("RUN").stream().anyMatch(r -> r.contains("-XX:ArchiveClassesAtExit=/opt/hopwise/hopwise.jsa")),
        "Dockerfile: no RUN trains /opt/hopwise/hopwise.jsa, which the ENTRYPOINT maps");
    assertEquals(List.of("--config", "/etc/hopwise/proxy.yaml"), jsonArray("CMD"), "Dockerfile: CMD");
    assertEquals(10001, dockerfileUser(), "Dockerfile: USER");
    List<String> copies = dockerfile.args("COPY");
    assertTrue(copies.stream().anyMatch(c -> c.matches("--from=\\S+\\s+\\S*proxy-app/target/hopwise\\.jar\\s+/opt/hopwise/hopwise\\.jar")),
        "Dockerfile: the runtime stage must COPY --from the build stage's proxy-app/target/hopwise.jar to "
            + "/opt/hopwise/hopwise.jar, has " + copies);
    assertTrue(copies.contains("conf/proxy.yaml /etc/hopwise/proxy.yaml"),
        "Dockerfile: the runtime stage must COPY conf/proxy.yaml /etc/hopwise/proxy.yaml, has " + copies);
    assertTrue(copies.contains("conf/jvm.options /opt/hopwise/jvm.options"),
        "Dockerfile: the runtime stage must COPY conf/jvm.options /opt/hopwise/jvm.options, has " + copies);
    // The base images are build arguments (e2e/image.sh passes local Debian ones); by default the
    // public Temurin images, which a user with a registry gets.
    List<String> from = dockerfile.args("FROM");
    assertEquals(1, from.size(), "Dockerfile: one FROM in the runtime stage");
    assertEquals("${RUNTIME_IMAGE}", from.get(0), "Dockerfile: the runtime stage's FROM");
    String runtimeDefault = buildArgDefault("RUNTIME_IMAGE");
    assertTrue(runtimeDefault.startsWith("eclipse-temurin:17") && runtimeDefault.contains("jre"),
        "Dockerfile: ARG RUNTIME_IMAGE must default to an eclipse-temurin 17 JRE, is " + runtimeDefault);
    assertTrue(buildArgDefault("BUILD_IMAGE").contains("17"), "Dockerfile: ARG BUILD_IMAGE must default to a JDK 17 image");
    assertTrue(dockerfile.all().contains("./mvnw -q -B -DskipTests package -pl proxy-app -am"),
        "Dockerfile: the build stage must run ./mvnw -q -B -DskipTests package -pl proxy-app -am");
  }

  /**
   * Regression (issue 30): the image read its JVM options from /etc/hopwise/jvm.options, and both
   * Deployments mount the ConfigMap over /etc/hopwise, which hides everything the image has there:
   * run as the manifests run it, the image stopped at once ("Error: could not open
   * `/etc/hopwise/jvm.options'"). No file the command line reads may lie under a volume mount.
   */
  @Test
  void noVolumeHidesAFileTheEntrypointReads() {
    List<String> argv = jsonArray("ENTRYPOINT");
    List<String> read = new ArrayList<>();
    for (int i = 0; i < argv.size(); i++) {
      if (argv.get(i).startsWith("@/")) {
        read.add(argv.get(i).substring(1));
      } else if (argv.get(i).equals("-jar") && i + 1 < argv.size()) {
        read.add(argv.get(i + 1));
      } else if (argv.get(i).startsWith("-XX:SharedArchiveFile=")) {
        read.add(argv.get(i).substring("-XX:SharedArchiveFile=".length()));
      }
    }
    assertEquals(3, read.size(), "Dockerfile: expected an @argfile, a class archive and a -jar in the ENTRYPOINT, has " + argv);
    for (Workload w : workloads) {
      for (JsonNode m : w.container().path("volumeMounts")) {
        String dir = m.path("mountPath").asText().replaceFirst("/+$", "");
        for (String file : read) {
          assertFalse(file.startsWith(dir + "/"), w.where() + ": the volume " + m.path("name").asText()
              + " mounted at " + dir + " hides " + file + ", which the image's ENTRYPOINT reads");
        }
      }
    }
  }

  /**
   * Regression (issue 30): .dockerignore kept proxy-bench/pom.xml and conf/jvm.options out of the
   * build context, so their COPY lines failed ("no items matching glob ... filtered out using
   * .dockerignore"). Every COPY source must get through (the patterns' last match decides, as
   * Docker's does; the matcher below knows the forms the file uses).
   */
  @Test
  void dockerignoreLetsEveryCopySourceThrough() throws IOException {
    List<String> patterns = Files.readAllLines(repo.resolve(".dockerignore")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    List<String> sources = new ArrayList<>();
    for (String line : dockerfile.all().split("\n")) {
      if (line.startsWith("COPY ") && !line.contains("--from=")) {
        String[] parts = line.substring(5).trim().split("\\s+");
        sources.addAll(List.of(parts).subList(0, parts.length - 1));
      }
    }
    assertTrue(sources.contains("proxy-bench/pom.xml"), "expected the build stage's COPY lines, found " + sources);
    for (String src : sources) {
      String path = src.replaceFirst("/+$", "");
      assertTrue(Files.exists(repo.resolve(path)), "Dockerfile: COPY " + src + ": no such file in the repository");
      boolean excluded = false;
      for (String pattern : patterns) {
        boolean negate = pattern.startsWith("!");
        if (dockerignoreMatches(negate ? pattern.substring(1) : pattern, path)) {
          excluded = !negate;
        }
      }
      assertFalse(excluded, ".dockerignore keeps " + src + " out of the build context, and the Dockerfile COPYs it");
    }
  }

  /** Docker's matching for the forms .dockerignore uses: "*", "dir/" or "file", "** /dir/". */
  private static boolean dockerignoreMatches(String pattern, String path) {
    String p = pattern.replaceFirst("/+$", "");
    if (p.equals("*")) {
      return true;
    }
    if (p.startsWith("**/")) {
      String name = p.substring(3);
      return ("/" + path + "/").contains("/" + name + "/");
    }
    return path.equals(p) || path.startsWith(p + "/");
  }

  private static String buildArgDefault(String name) {
    Matcher m = Pattern.compile("(?m)^ARG " + name + "=(\\S+)$").matcher(dockerfile.all());
    assertTrue(m.find(), "Dockerfile: no ARG " + name + "=DEFAULT");
    return m.group(1);
  }

  private static List<String> jsonArray(String instruction) {
    List<String> args = dockerfile.args(instruction);
    assertEquals(1, args.size(), "Dockerfile: expected one " + instruction + " in the runtime stage");
    try {
      return texts(JSON.readTree(args.get(0)));
    } catch (IOException e) {
      return fail("Dockerfile: " + instruction + " must be in JSON (exec) form, is " + args.get(0));
    }
  }

  private static int dockerfileUser() {
    List<String> users = dockerfile.args("USER");
    assertEquals(1, users.size(), "Dockerfile: expected one USER in the runtime stage");
    String user = users.get(0).trim().split(":")[0];
    assertTrue(user.matches("[0-9]+"), "Dockerfile: USER must be numeric (runAsNonRoot can only verify a UID), is " + user);
    return Integer.parseInt(user);
  }

  private static String dockerfileConfigPath() {
    List<String> cmd = jsonArray("CMD");
    int i = cmd.indexOf("--config");
    assertTrue(i >= 0 && i + 1 < cmd.size(), "Dockerfile: CMD must pass --config FILE, is " + cmd);
    return cmd.get(i + 1);
  }

  private static Dockerfile parseDockerfile(Path file) throws IOException {
    assertTrue(Files.isRegularFile(file), "no Dockerfile at " + file);
    List<String[]> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(file)) {
      String t = line.strip();
      if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      current.append(t);
      String whole = current.toString().strip();
      current.setLength(0);
      if (whole.isEmpty()) {
        continue;
      }
      String[] parts = whole.split("\\s+", 2);
      instructions.add(new String[] {parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : ""});
    }
    int lastFrom = -1;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i)[0].equals("FROM")) {
        lastFrom = i;
      }
    }
    assertTrue(lastFrom >= 0, "Dockerfile: no FROM");
    String all = instructions.stream().map(i -> i[0] + " " + i[1]).collect(Collectors.joining("\n"));
    return new Dockerfile(instructions.subList(lastFrom, instructions.size()), all);
  }

  // ---------------------------------------------------------------------------------------------
  // Resolving a Deployment: its hopwise container and the config it would load

  private static Workload workload(Doc d) throws IOException {
    JsonNode pod = d.node().path("spec").path("template").path("spec");
    List<JsonNode> found = new ArrayList<>();
    boolean init = false;
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : pod.path(list)) {
        if (CONTAINER.equals(c.path("name").asText())) {
          found.add(c);
          init = list.equals("initContainers");
        }
      }
    }
    assertEquals(1, found.size(), d.where() + ": expected one container named " + CONTAINER);
    JsonNode container = found.get(0);
    if (init) {
      // A plain init container would have to exit before the app starts: a proxy never does.
      assertEquals("Always", container.path("restartPolicy").asText(),
          d.where() + ": " + CONTAINER + " as an init container must be a native sidecar (restartPolicy: Always)");
    }

    String configPath = dockerfileConfigPath();
    JsonNode mount = configVolumeMount(container, configPath);
    assertNotNull(mount, d.where() + ": " + CONTAINER + " mounts nothing at " + configPath + " (the image's --config)");
    String fileInVolume = mount.has("subPath") ? mount.path("subPath").asText()
        : configPath.substring(mount.path("mountPath").asText().replaceFirst("/$", "").length() + 1);
    JsonNode volume = volume(pod, mount.path("name").asText());
    JsonNode cm = volume.path("configMap");
    assertFalse(cm.isMissingNode(), d.where() + ": volume " + mount.path("name").asText() + " must be a configMap");
    String key = fileInVolume;
    if (cm.has("items")) {
      key = null;
      for (JsonNode item : cm.path("items")) {
        if (item.path("path").asText().equals(fileInVolume)) {
          key = item.path("key").asText();
        }
      }
      assertNotNull(key, d.where() + ": configMap volume " + cm.path("name").asText() + " has no item with path " + fileInVolume);
    }
    String cmName = cm.path("name").asText();
    String source = null;
    String content = null;
    JsonNode k = kustomizations.get(d.dir());
    if (k != null) {
      for (JsonNode gen : k.path("configMapGenerator")) {
        if (gen.path("name").asText().equals(cmName)) {
          for (JsonNode entry : gen.path("files")) {
            String e = entry.asText();
            String entryKey = e.contains("=") ? e.substring(0, e.indexOf('=')) : Path.of(e).getFileName().toString();
            if (entryKey.equals(key)) {
              Path f = d.dir().resolve(generatorPath(e));
              source = relative(f) + " (configMapGenerator " + cmName + ")";
              content = Files.readString(f);
            }
          }
        }
      }
    }
    for (Doc other : docs) {
      if (other.kind().equals("ConfigMap") && other.name().equals(cmName) && other.dir().equals(d.dir())) {
        assertTrue(source == null, d.where() + ": ConfigMap " + cmName + " is both generated and a manifest");
        JsonNode data = other.node().path("data").path(key);
        if (data.isTextual()) {
          source = other.where() + " data." + key;
          content = data.asText();
        }
      }
    }
    assertNotNull(content, d.where() + ": no ConfigMap " + cmName + " with key " + key + " in " + relative(d.dir())
        + " (neither a configMapGenerator file nor a ConfigMap manifest)");

    Path file = Files.createTempDirectory(tmp, "config").resolve("proxy.yaml");
    Files.writeString(file, content);
    // Exactly the environment the container gets: HOPWISE_* variables there override the file.
    Map<String, String> env = env(container);
    List<String> overrides = env.keySet().stream().filter(n -> n.startsWith("HOPWISE_")).sorted().toList();
    if (!overrides.isEmpty()) {
      source += " with " + String.join(", ", overrides) + " from the container's env";
    }
    ProxyConfig config;
    try {
      config = ConfigLoaderAccess.loadWithEnvironment(file, env);
    } catch (ConfigException e) {
      return fail(source + " is refused by ConfigLoader: " + e.getMessage().replace(file.toString(), "proxy.yaml"));
    }
    return new Workload(d, pod, container, config, source);
  }

  /** The volumeMount through which {@code path} is visible in the container, or null. */
  private static JsonNode configVolumeMount(JsonNode container, String path) {
    for (JsonNode m : container.path("volumeMounts")) {
      String at = m.path("mountPath").asText().replaceFirst("/$", "");
      if (m.has("subPath") ? at.equals(path) : path.startsWith(at + "/")) {
        return m;
      }
    }
    return null;
  }

  /** The volumeMount whose mountPath is exactly {@code dir}, or null. */
  private static JsonNode mountAt(JsonNode container, String dir) {
    for (JsonNode m : container.path("volumeMounts")) {
      if (m.path("mountPath").asText().replaceFirst("/$", "").equals(dir.replaceFirst("/$", ""))) {
        return m;
      }
    }
    return null;
  }

  private static JsonNode volume(JsonNode pod, String name) {
    for (JsonNode v : pod.path("volumes")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    return fail("no volume named " + name);
  }

  /** A port reference (number or name) resolved against the hopwise container's ports. */
  private static int containerPort(Workload w, JsonNode ref) {
    for (JsonNode p : w.container().path("ports")) {
      if (ref.isInt() ? p.path("containerPort").asInt() == ref.asInt() : p.path("name").asText().equals(ref.asText())) {
        return p.path("containerPort").asInt();
      }
    }
    return fail(w.where() + ": " + CONTAINER + " has no container port " + ref);
  }

  private static JsonNode targetPort(JsonNode servicePort) {
    // Left out, targetPort is the port itself.
    return servicePort.has("targetPort") ? servicePort.path("targetPort") : servicePort.path("port");
  }

  private static void assertSelects(Doc selectorOwner, JsonNode matchLabels, Workload w) {
    assertTrue(matchLabels.isObject() && !matchLabels.isEmpty(), selectorOwner.where() + ": empty selector");
    matchLabels.properties().forEach(e -> assertEquals(e.getValue().asText(),
        w.podLabels().path(e.getKey()).asText(null),
        selectorOwner.where() + ": selector " + e.getKey() + " does not match the pods of " + w.where()));
  }

  private static List<Workload> inDir(String dir) {
    return workloads.stream().filter(w -> w.doc().dir().equals(k8s.resolve(dir))).toList();
  }

  /** Literal env values of a container (valueFrom entries are not known without a cluster). */
  private static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : container.path("env")) {
      if (e.has("value")) {
        env.put(e.path("name").asText(), e.path("value").asText());
      }
    }
    return env;
  }

  private static JsonNode effective(JsonNode container, JsonNode pod, String field) {
    return container.has(field) ? container.path(field) : pod.path(field);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** {@code key=path} or {@code path}, as configMapGenerator files entries are written. */
  private static String generatorPath(String entry) {
    return entry.contains("=") ? entry.substring(entry.indexOf('=') + 1) : entry;
  }

  private static String relative(Path p) {
    return repo.relativize(p).toString();
  }

  /** A Kubernetes memory quantity in bytes: 512Mi, 1Gi, 500M, 1024. */
  private static long bytes(String quantity) {
    Matcher m = Pattern.compile("([0-9]+)(Ki|Mi|Gi|Ti|k|M|G|T)?").matcher(quantity);
    assertTrue(m.matches(), "not a memory quantity: " + quantity);
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    return n * switch (unit) {
      case "Ki" -> 1L << 10;
      case "Mi" -> 1L << 20;
      case "Gi" -> 1L << 30;
      case "Ti" -> 1L << 40;
      case "k" -> 1_000L;
      case "M" -> 1_000_000L;
      case "G" -> 1_000_000_000L;
      case "T" -> 1_000_000_000_000L;
      default -> 1L;
    };
  }
}
