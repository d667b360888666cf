# syntax=docker/dockerfile:1
# The hopwise image: docker build -t hopwise:0.1.0 .
# Run it: docker run --rm -p 3128:3128 -p 9901:9901 \
#   -e HOPWISE_LISTEN=0.0.0.0:3128 -e HOPWISE_ADMIN_LISTEN=0.0.0.0:9901 hopwise:0.1.0
# (the built-in config, conf/proxy.yaml, listens on loopback only). In Kubernetes the config comes
# from a ConfigMap mounted over /etc/hopwise: see k8s/.
#
# The base images are build arguments: the public Temurin images by default; e2e/image.sh (in
# .ci/run, where no registry is reachable) passes local Debian images it makes with debootstrap,
# builds this file with buildah and runs the image as k8s/sidecar does. ManifestsTest checks the
# parts of this file the manifests depend on (ports, user, config path).
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

# --- build ------------------------------------------------------------------------------------
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# The wrapper and the POMs first: the layer that downloads Maven, plugins and dependencies is
# rebuilt only when one of them changes, not on every source change.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
# Every module the parent POM lists must be there for Maven to read the reactor, even the one the
# image does not build (proxy-bench); ManifestsTest checks this list against pom.xml's modules.
COPY proxy-core/pom.xml proxy-core/
COPY proxy-app/pom.xml proxy-app/
COPY proxy-bench/pom.xml proxy-bench/
# Building the still empty modules resolves every plugin and dependency the real build uses.
RUN ./mvnw -q -B -DskipTests package -pl proxy-app -am && rm -rf proxy-core/target proxy-app/target
COPY proxy-core/src/ proxy-core/src/
COPY proxy-app/src/ proxy-app/src/
RUN ./mvnw -q -B -DskipTests package -pl proxy-app -am

# --- runtime ----------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
RUN groupadd --gid 10001 hopwise \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin hopwise
COPY --from=build /src/proxy-app/target/hopwise.jar /opt/hopwise/hopwise.jar
COPY conf/proxy.yaml /etc/hopwise/proxy.yaml
# Not under /etc/hopwise: the manifests mount the ConfigMap over that directory, which hides
# everything the image has there (issue 30: with jvm.options there, no pod could start).
COPY conf/jvm.options /opt/hopwise/jvm.options
# Class-data sharing (AppCDS, issue 28): one training run of the proxy on the image's own JVM
# records the classes it loads in /opt/hopwise/hopwise.jsa; the ENTRYPOINT maps them instead of
# loading and verifying each class again (first proxied response in about 0.8 s instead of 1.5 s).
# A request through the proxy to its own admin port takes it along the request path. A JVM that
# cannot use the archive ignores it.
RUN bash -ec ' \
  HOPWISE_SHUTDOWN_DELAY=0s java @/opt/hopwise/jvm.options -XX:ArchiveClassesAtExit=/opt/hopwise/hopwise.jsa \
    -Xlog:cds=off -Xlog:cds+dynamic=off -jar /opt/hopwise/hopwise.jar --config /etc/hopwise/proxy.yaml & pid=$!; \
  for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/3128) 2>/dev/null && break; sleep 0.1; done; \
  exec 3<>/dev/tcp/127.0.0.1/3128; \
  printf "GET http://127.0.0.1:9901/healthz HTTP/1.1\r\nHost: 127.0.0.1:9901\r\nConnection: close\r\n\r\n" >&3; \
  timeout 10 cat <&3 >/dev/null || true; exec 3<&-; \
  kill -TERM $pid; wait $pid; test -s /opt/hopwise/hopwise.jsa'
# Numeric, so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
# 3128: the proxy (listen); 9901: the admin server (/metrics, /healthz, /readyz).
EXPOSE 3128 9901
# The launcher's JVM options (conf/jvm.options) and the class archive; JAVA_TOOL_OPTIONS adds the memory sizing.
ENTRYPOINT ["java","@/opt/hopwise/jvm.options","-XX:SharedArchiveFile=/opt/hopwise/hopwise.jsa","-Xlog:cds=off","-Xlog:cds+dynamic=off","-jar","/opt/hopwise/hopwise.jar"]
CMD ["--config","/etc/hopwise/proxy.yaml"]
