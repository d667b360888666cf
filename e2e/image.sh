#!/usr/bin/env bash
# The container image, built and run for real (issue 30), with no registry and no container engine:
#  1. base images from Debian's packages: debootstrap a minimal bookworm with the JRE (the runtime
#     stage) and add the JDK to it (the build stage); kept in buildah's local storage, and made
#     again only when their recipe changes;
#  2. the repository's Dockerfile built by buildah (--isolation chroot), those images passed as its
#     BUILD_IMAGE and RUNTIME_IMAGE; its size reported;
#  3. the manifests rendered by kustomize (kubectl kustomize), every variant, and checked against the
#     built image by e2e/image_pod.py: image, ports, probes, user, config path and ConfigMap key,
#     volumes that would hide the image's files, a writable tmpdir under a read-only root;
#  4. the image run as k8s/sidecar runs it: its filesystem mounted read-only, chroot, UID 10001 with
#     no capabilities and no_new_privs, the ConfigMap's files at /etc/hopwise, an emptyDir at /tmp, the
#     container's environment. Then a request through it reaches an origin on loopback, /healthz
#     and /readyz answer as the probes expect, and SIGTERM drains and exits 0 within the pod's
#     grace period. The start-up time to the first proxied response is reported.
# Needs root (debootstrap, buildah's chroot isolation, mounts). Set HOPWISE_IMAGE_M2=1 to let the
# build stage use this machine's ~/.m2 (faster; CI builds cold, as a new user's `docker build` does).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
NAME="image e2e"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
[[ $(id -u) == 0 ]] || { echo "$NAME: needs root (debootstrap, buildah --isolation chroot, mount, chroot); run it as root"; exit 2; }
make_tmp hopwise-image
tmp=$TMP
install_missing buildah buildah debootstrap debootstrap curl curl unshare util-linux
export BUILDAH_ISOLATION=chroot

SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
IMAGE_REF=hopwise:${version%-SNAPSHOT}      # what the manifests name
IMAGE=localhost/$IMAGE_REF                 # what buildah calls it

# --- 1. base images -----------------------------------------------------------------------------
JRE_PACKAGES=openjdk-17-jre-headless
JDK_PACKAGES="openjdk-17-jdk-headless curl unzip"   # curl and unzip: what ./mvnw fetches Maven with
JRE_IMAGE=localhost/hopwise-base-jre:17-$SUITE
JDK_IMAGE=localhost/hopwise-base-jdk:17-$SUITE
# The build stage fetches Maven and the dependencies over HTTPS: it trusts what this machine trusts
# beyond Debian's CAs (/usr/local/share/ca-certificates: a TLS-inspecting egress proxy's CA, here).
# The runtime base keeps Debian's CAs only, as a public JRE image does.
local_cas=(/usr/local/share/ca-certificates/*.crt)
[[ -e ${local_cas[0]} ]] || local_cas=()
recipe=$( (printf '%s\n' "$SUITE" "$MIRROR" "$JRE_PACKAGES" "$JDK_PACKAGES"; cat "${local_cas[@]}" /dev/null) | sha256sum | cut -c1-16)
has_recipe() { [[ $(buildah inspect --type image --format '{{index .ImageAnnotations "io.hopwise.base.recipe"}}' "$1" 2>/dev/null) == "$recipe" ]]; }
base_config=(--env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env LANG=C.UTF-8
  --cmd /bin/bash --annotation io.hopwise.base.recipe="$recipe")

t0=$(date +%s)
if has_recipe "$JRE_IMAGE" && has_recipe "$JDK_IMAGE"; then
  echo "== base images: $JRE_IMAGE and $JDK_IMAGE already made (recipe $recipe)"
else
  echo "== base images: debootstrap $SUITE (minbase) + $JRE_PACKAGES; then + $JDK_PACKAGES"
  ctr=$(buildah from scratch)
  mnt=$(buildah mount "$ctr")
  debootstrap --variant=minbase --include="${JRE_PACKAGES// /,}" "$SUITE" "$mnt" "$MIRROR" >"$tmp/debootstrap.log" 2>&1 ||
    fail "debootstrap $SUITE from $MIRROR failed"
  rm -rf "$mnt"/var/cache/apt/archives/*.deb "$mnt"/var/lib/apt/lists/*
  buildah umount "$ctr" >/dev/null
  buildah config "${base_config[@]}" "$ctr"
  buildah commit -q --rm "$ctr" "$JRE_IMAGE" >/dev/null
  ctr=$(buildah from "$JRE_IMAGE")
  for ca in "${local_cas[@]}"; do buildah copy -q "$ctr" "$ca" /usr/local/share/ca-certificates/ >/dev/null; done
  # shellcheck disable=SC2086  # the package list is meant to split
  buildah run "$ctr" -- sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $JDK_PACKAGES >/dev/null && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb && update-ca-certificates" \
    >"$tmp/jdk-base.log" 2>&1 || fail "installing $JDK_PACKAGES in the build stage's base failed"
  buildah config "${base_config[@]}" "$ctr"
  buildah commit -q --rm "$ctr" "$JDK_IMAGE" >/dev/null
fi
t1=$(date +%s)

# --- 2. the Dockerfile, built ----------------------------------------------------------------------
echo "== buildah bud: the repository's Dockerfile, BUILD_IMAGE=$JDK_IMAGE RUNTIME_IMAGE=$JRE_IMAGE"
m2=()
[[ ${HOPWISE_IMAGE_M2:-0} == 1 ]] && m2=(--volume "$HOME/.m2:/root/.m2")
buildah bud --layers "${m2[@]}" --build-arg BUILD_IMAGE="$JDK_IMAGE" --build-arg RUNTIME_IMAGE="$JRE_IMAGE" \
  -t "$IMAGE" -f Dockerfile . >"$tmp/bud.log" 2>&1 || { tail -n 30 "$tmp/bud.log"; fail "the Dockerfile did not build"; }
t2=$(date +%s)
buildah inspect --type image "$IMAGE" >"$tmp/image.json"
size=$(buildah images --format '{{.Size}}' "$IMAGE" | head -1)
base_size=$(buildah images --format '{{.Size}}' "$JRE_IMAGE" | head -1)
echo "image $IMAGE: $size (its base $JRE_IMAGE: $base_size); base images $((t1 - t0)) s, build $((t2 - t1)) s"

# The layer that resolves Maven's plugins and dependencies depends on the POMs only: a change to a
# source file rebuilds from the sources' COPY on. Checked on a copy of the context with one source
# file changed (built, then untagged).
echo "== a source change keeps the dependency layer"
ctx=$tmp/context
mkdir -p "$ctx/conf" "$ctx/proxy-bench"
cp -r mvnw pom.xml .mvn proxy-core proxy-app Dockerfile .dockerignore "$ctx/"
cp proxy-bench/pom.xml "$ctx/proxy-bench/"; cp conf/proxy.yaml conf/jvm.options "$ctx/conf/"
rm -rf "$ctx"/proxy-*/target
echo "// changed by e2e/image.sh at $(date +%s%N)" >>"$ctx/proxy-app/src/main/java/io/hopwise/app/Main.java"
buildah bud --layers "${m2[@]}" --build-arg BUILD_IMAGE="$JDK_IMAGE" --build-arg RUNTIME_IMAGE="$JRE_IMAGE" \
  -t localhost/hopwise-e2e-rebuild -f "$ctx/Dockerfile" "$ctx" >"$tmp/rebuild.log" 2>&1 || fail "the rebuild with a changed source failed"
t3=$(date +%s)
grep -A1 'STEP [0-9/]*: RUN ./mvnw.* && rm -rf' "$tmp/rebuild.log" | grep -q 'Using cache' ||
  fail "a source change rebuilt the dependency layer (see $tmp/rebuild.log)"
grep -A1 'STEP [0-9/]*: COPY proxy-app/src/' "$tmp/rebuild.log" | grep -q 'Using cache' &&
  fail "the rebuild took the sources' layer from the cache: the changed file did not reach the build"
buildah rmi localhost/hopwise-e2e-rebuild >/dev/null
echo "rebuilt in $((t3 - t2)) s: the dependency layer from the cache, the sources' layers built again"

# --- 3. the manifests, rendered by kustomize and checked against the image ------------------------------
if ! kubectl kustomize --help >/dev/null 2>&1; then
  apt_install kubernetes-client   # Debian's kubectl: kustomize built in
fi
echo "== kubectl kustomize ($(kubectl version --client 2>/dev/null | grep -io 'kustomize version: \S*' || kubectl version --client --short 2>/dev/null | head -1))"
mkdir -p "$tmp/rendered"
kustomize_version=$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p')
for variant in sidecar standalone monitoring sidecar-parent; do
  if [[ $variant == sidecar-parent && ${kustomize_version:-2} -lt 3 ]]; then
    # An overlay (resources: [../sidecar], patches:) needs kustomize 3 or later; Debian's kubectl
    # 1.20 has 2.0. ManifestsTest still checks the overlay's parts.
    echo "k8s/sidecar-parent not rendered: this kubectl's kustomize is older than 3"
    continue
  fi
  kubectl kustomize "k8s/$variant" >"$tmp/rendered/$variant.yaml" 2>"$tmp/kustomize-$variant.log" ||
    fail "kubectl kustomize k8s/$variant failed: $(head -c 300 "$tmp/kustomize-$variant.log")"
done
python3 e2e/image_pod.py check "$tmp/rendered" "$tmp/image.json" "$IMAGE_REF" "$tmp/plan.json" ||
  fail "the rendered manifests and the image disagree"

# --- 4. the image, run as the sidecar's pod spec runs it ---------------------------------------------
read -r listen_port admin_port grace <<<"$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(p["listenPort"], p["adminPort"], p["grace"])' "$tmp/plan.json")"
for p in "$listen_port" "$admin_port"; do
  port_open "$p" && fail "port $p (the sidecar config's) is taken on this machine: the image runs in the host's network here"
done
origin_port=$(free_port "$listen_port" "$admin_port")
mkdir -p "$tmp/www" && head -c 100000 /dev/urandom >"$tmp/www/blob" && sha=$(sha256sum <"$tmp/www/blob" | cut -d' ' -f1)
python3 e2e/origin.py "$tmp/www" "$origin_port" 2>"$tmp/origin.log" &
STARTED_PIDS+=("$!")
wait_port "$origin_port" 10 "" origin || fail "the origin did not start"

# One working container, by name: a run that failed leaves it for a look, the next run replaces it.
buildah rm hopwise-image-e2e >/dev/null 2>&1 || true
ctr=$(buildah from --name hopwise-image-e2e "$IMAGE")
rootfs=$(buildah mount "$ctr")
echo "== run: chroot into $IMAGE's filesystem (read-only) as the sidecar's pod spec says"
start_ns=$(date +%s%N)
unshare --mount --propagation private python3 e2e/image_pod.py exec "$tmp/plan.json" "$rootfs" >"$tmp/proxy.log" 2>&1 &
pod_pid=$!
STARTED_PIDS+=("$pod_pid")
first=""
for _ in $(seq 1 600); do
  kill -0 "$pod_pid" 2>/dev/null || { fail "the container exited before serving: $(tail -n 5 "$tmp/proxy.log")"; }
  if got=$(curl -sf -x "http://127.0.0.1:$listen_port" "http://127.0.0.1:$origin_port/blob" 2>/dev/null | sha256sum | cut -d' ' -f1) &&
    [[ $got == "$sha" ]]; then
    first=$(($(date +%s%N) - start_ns)); break
  fi
  sleep 0.05
done
[[ -n $first ]] || { fail "no proxied response within 30 s"; }
echo "start-up to the first proxied response (100,000 bytes, checksum equal): $((first / 1000000)) ms"

# Who runs, and on what: UID and GID, capabilities, no_new_privs, the root read-only.
status=/proc/$pod_pid/status
uid=$(awk '/^Uid:/ {print $2}' "$status"); gid=$(awk '/^Gid:/ {print $2}' "$status")
capeff=$(awk '/^CapEff:/ {print $2}' "$status"); capbnd=$(awk '/^CapBnd:/ {print $2}' "$status")
nnp=$(awk '/^NoNewPrivs:/ {print $2}' "$status")
[[ $uid == 10001 && $gid == 10001 ]] || fail "the proxy runs as $uid:$gid, the pod says 10001:10001"
[[ $capeff == 0000000000000000 && $capbnd == 0000000000000000 ]] || fail "capabilities left: effective $capeff, bounding $capbnd"
[[ $nnp == 1 ]] || fail "no_new_privs is not set (allowPrivilegeEscalation: false)"
ro=$(awk '$5 == "/" {print $6}' "/proc/$pod_pid/mountinfo" | cut -d, -f1)
[[ $ro == ro ]] || fail "the container's root is mounted $ro, the pod says readOnlyRootFilesystem"
echo "process: uid $uid gid $gid, CapEff $capeff, CapBnd $capbnd, NoNewPrivs $nnp, root $ro"

# The probes, as the kubelet sends them.
for path in /healthz /readyz; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin_port$path")
  [[ $code == 200 ]] || fail "GET $path on the admin port: $code, the probes expect 200"
done

# SIGTERM, as the kubelet sends it: /readyz 503 at once, /healthz still 200, exit 0 within the grace period.
term_ns=$(date +%s%N)
kill -TERM "$pod_pid"
sleep 0.5
ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin_port/readyz" || true)
live=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin_port/healthz" || true)
[[ $ready == 503 ]] || fail "/readyz said $ready while draining, expected 503"
[[ $live == 200 ]] || fail "/healthz said $live while draining, expected 200 (the liveness probe must not restart a draining proxy)"
code=""
for _ in $(seq 1 $((grace * 10))); do
  if ! kill -0 "$pod_pid" 2>/dev/null; then wait "$pod_pid" && code=0 || code=$?; break; fi
  sleep 0.1
done
[[ -n $code ]] || fail "still running $grace s after SIGTERM (terminationGracePeriodSeconds)"
drain_ms=$((($(date +%s%N) - term_ns) / 1000000))
[[ $code == 0 ]] || fail "exited with $code after SIGTERM, expected 0"
# The access log went to stdout (buffered, flushed at exit), where kubectl logs shows it.
grep -q "\"target\":\"http://127.0.0.1:$origin_port/blob\",\"status\":200" "$tmp/proxy.log" ||
  fail "no access log line for the proxied request on stdout"
buildah rm "$ctr" >/dev/null
echo "SIGTERM: /readyz 503 and /healthz 200 while draining, exit 0 after $drain_ms ms (grace period ${grace} s)"
echo "image e2e: OK ($IMAGE, $size)"
