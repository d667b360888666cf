#!/usr/bin/env python3
"""The image and the manifests, side by side, for e2e/image.sh (issue 30).

  image_pod.py check RENDERED_DIR IMAGE_JSON IMAGE_REF PLAN_OUT
      RENDERED_DIR holds `kubectl kustomize` output, one file per variant (sidecar.yaml, ...);
      IMAGE_JSON is `buildah inspect --type image` of the built image. Checks, for every Deployment's
      hopwise container, that the manifests agree with the image: the image reference, the ports
      (declared, probed, and the config's listen and admin), the probes, the user, the config
      path and the ConfigMap key mounted there, that no volume hides a file the entrypoint needs,
      and that a read-only root filesystem leaves the JVM a writable temporary directory.
      Writes PLAN_OUT (JSON): how the sidecar variant runs the container, for `exec` below.
  image_pod.py exec PLAN ROOTFS
      Run in a new mount namespace (unshare --mount) as root: mounts what the pod spec mounts on
      ROOTFS (the ConfigMap's files read-only, an emptyDir as tmpfs, /proc, the few devices a
      runtime gives), makes the root read-only as readOnlyRootFilesystem does, chroots, drops to
      the pod's UID and GID with no capabilities and no_new_privs, and execs the entrypoint with
      the container's environment.
"""
import ctypes
import json
import os
import posixpath
import re
import shlex
import subprocess
import sys

import yaml

CONTAINER = "hopwise"
PR_SET_NO_NEW_PRIVS = 38
PR_CAPBSET_DROP = 24
CAP_LAST = 40  # CAP_CHECKPOINT_RESTORE on Linux 5.9+; dropping beyond the kernel's last fails, so errors are ignored


class Mismatch(Exception):
    pass


def need(cond, what):
    if not cond:
        raise Mismatch(what)


def docs_of(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def hopwise_container(pod_spec):
    for kind in ("initContainers", "containers"):
        for c in pod_spec.get(kind) or []:
            if c.get("name") == CONTAINER:
                return c
    return None


def image_config(image_json):
    oci = image_json.get("OCIv1") or {}
    cfg = oci.get("config") or {}
    return {
        "user": cfg.get("User", ""),
        "ports": sorted(int(p.split("/")[0]) for p in (cfg.get("ExposedPorts") or {})),
        "entrypoint": cfg.get("Entrypoint") or [],
        "cmd": cfg.get("Cmd") or [],
        "env": cfg.get("Env") or [],
    }


def port_number(container, port):
    """A probe's port: a number, or the name of one of the container's ports."""
    if isinstance(port, int):
        return port
    for p in container.get("ports") or []:
        if p.get("name") == port:
            return int(p["containerPort"])
    raise Mismatch("probe port %r is not a named port of the container" % port)


def files_named(argv):
    """Paths the JVM's command line reads: @argfiles, the class archive and -jar JAR."""
    out = [a[1:] for a in argv if a.startswith("@/")]
    out += [a.split("=", 1)[1] for a in argv if a.startswith("-XX:SharedArchiveFile=")]
    out += [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "-jar"]
    return out


def under(path, directory):
    return path == directory or path.startswith(directory.rstrip("/") + "/")


def check_workload(where, doc, configmaps, image, image_ref):
    """Checks one Deployment against the image; returns its run plan."""
    spec = doc["spec"]["template"]["spec"]
    c = hopwise_container(spec)
    need(c is not None, "%s: no container named %s" % (where, CONTAINER))
    need(c.get("image") == image_ref, "%s: image is %r, built %r" % (where, c.get("image"), image_ref))
    need(not c.get("command"), "%s: overrides the image's ENTRYPOINT (command:)" % where)
    argv = image["entrypoint"] + (c.get("args") or image["cmd"])
    need(argv and "--config" in argv, "%s: the command line passes no --config: %s" % (where, argv))
    config_path = argv[argv.index("--config") + 1]

    # The user: the image's numeric USER is the one the pod's securityContext names.
    need(re.fullmatch(r"\d+(:\d+)?", image["user"] or ""), "image USER must be numeric, is %r" % image["user"])
    uid = int(image["user"].split(":")[0])
    gid = int(image["user"].split(":")[1]) if ":" in image["user"] else uid
    sc = dict(spec.get("securityContext") or {})
    sc.update(c.get("securityContext") or {})
    need(sc.get("runAsUser", uid) == uid, "%s: runAsUser %s, the image's USER %s" % (where, sc.get("runAsUser"), uid))
    need(sc.get("runAsGroup", gid) == gid, "%s: runAsGroup %s, the image's group %s" % (where, sc.get("runAsGroup"), gid))
    need(sc.get("runAsNonRoot") is True, "%s: runAsNonRoot must be true" % where)

    # The config: a ConfigMap volume at the config file's directory, with a key of that name.
    mounts = c.get("volumeMounts") or []
    volumes = {v["name"]: v for v in spec.get("volumes") or []}
    config_dir, config_file = posixpath.split(config_path)
    cfg_mount = [m for m in mounts if m["mountPath"].rstrip("/") == config_dir]
    need(len(cfg_mount) == 1, "%s: nothing mounted at %s (the image's --config %s)" % (where, config_dir, config_path))
    need(not cfg_mount[0].get("subPath"), "%s: the config mount uses subPath (never updated)" % where)
    vol = volumes.get(cfg_mount[0]["name"]) or {}
    cm_name = (vol.get("configMap") or {}).get("name")
    need(cm_name in configmaps, "%s: volume %s names ConfigMap %r, rendered: %s"
         % (where, cfg_mount[0]["name"], cm_name, sorted(configmaps)))
    data = configmaps[cm_name].get("data") or {}
    items = (vol["configMap"].get("items") or [{"key": k, "path": k} for k in data])
    files = {}
    for it in items:
        need(it["key"] in data, "%s: ConfigMap %s has no key %r" % (where, cm_name, it["key"]))
        files[it["path"]] = data[it["key"]]
    need(config_file in files, "%s: ConfigMap %s puts no %s at %s" % (where, cm_name, config_file, config_dir))
    config = yaml.safe_load(files[config_file]) or {}

    # A volume hides what the image has under its mount path: the entrypoint's own files must
    # not lie there (they would vanish when the pod mounts the volume).
    for f in files_named(argv):
        for m in mounts:
            need(not under(f, m["mountPath"]), "%s: the command line reads %s, which the volume %s mounted at %s hides"
                 % (where, f, m["name"], m["mountPath"]))

    # Ports: the config's listen and admin ports are in the image's EXPOSE; declared ports too.
    listen_port = int(str(config.get("listen", "")).rsplit(":", 1)[-1])
    admin_port = int(str(config.get("admin", "")).rsplit(":", 1)[-1])
    for p in (listen_port, admin_port):
        need(p in image["ports"], "%s: the config's port %d is not exposed by the image (%s)" % (where, p, image["ports"]))
    for p in c.get("ports") or []:
        need(p["containerPort"] in (listen_port, admin_port),
             "%s: declares port %s, the config listens on %d and %d" % (where, p["containerPort"], listen_port, admin_port))
    probes = {}
    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        probe = (c.get(kind) or {}).get("httpGet")
        need(probe, "%s: %s must be an httpGet" % (where, kind))
        need(port_number(c, probe["port"]) == admin_port, "%s: %s probes port %s, admin is %d"
             % (where, kind, probe["port"], admin_port))
        probes[kind] = probe["path"]
    need(probes["readinessProbe"] == "/readyz" and probes["livenessProbe"] == "/healthz",
         "%s: probes %s (the admin server answers /healthz and /readyz)" % (where, probes))

    # A read-only root: the JVM's temporary directory must be a volume.
    env = dict(e.split("=", 1) for e in image["env"])
    env.update({e["name"]: e["value"] for e in c.get("env") or [] if "value" in e})
    tmpfs = {}
    if sc.get("readOnlyRootFilesystem"):
        m = re.search(r"-Djava\.io\.tmpdir=(\S+)", env.get("JAVA_TOOL_OPTIONS", ""))
        tmpdir = m.group(1) if m else "/tmp"
        writable = [mm for mm in mounts if under(tmpdir, mm["mountPath"]) and not mm.get("readOnly")]
        need(writable, "%s: read-only root, and java.io.tmpdir %s is not on a writable volume" % (where, tmpdir))
        for mm in mounts:
            ed = (volumes.get(mm["name"]) or {}).get("emptyDir")
            if ed is not None:
                tmpfs[mm["mountPath"]] = ed.get("sizeLimit", "64Mi")
    limits = (c.get("resources") or {}).get("limits") or {}
    return {
        "where": where,
        "argv": argv,
        "env": env,
        "uid": uid,
        "gid": gid,
        "readOnlyRoot": bool(sc.get("readOnlyRootFilesystem")),
        "noNewPrivs": sc.get("allowPrivilegeEscalation") is False,
        "dropAllCaps": "ALL" in ((sc.get("capabilities") or {}).get("drop") or []),
        "configDir": config_dir,
        "configFiles": files,
        "tmpfs": tmpfs,
        "memoryLimit": limits.get("memory"),
        "listenPort": listen_port,
        "adminPort": admin_port,
        "probes": probes,
        "grace": int(spec.get("terminationGracePeriodSeconds", 30)),
    }


def check(rendered_dir, image_json, image_ref, plan_out):
    with open(image_json) as f:
        raw = json.load(f)
    image = image_config(raw)
    plans, lines = {}, []
    for name in sorted(os.listdir(rendered_dir)):
        if not name.endswith(".yaml"):
            continue
        docs = docs_of(os.path.join(rendered_dir, name))
        configmaps = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "ConfigMap"}
        for d in docs:
            if d.get("kind") != "Deployment":
                continue
            where = "%s: Deployment %s" % (name, d["metadata"]["name"])
            plan = check_workload(where, d, configmaps, image, image_ref)
            plans[name[:-len(".yaml")]] = plan
            lines.append("%s: image %s, user %d, ports %d/%d, probes %s, config %s/%s from ConfigMap"
                         % (where, image_ref, plan["uid"], plan["listenPort"], plan["adminPort"],
                            ",".join(sorted(set(plan["probes"].values()))), plan["configDir"],
                            ",".join(sorted(plan["configFiles"])))
                         + (", read-only root with %s writable" % ",".join(sorted(plan["tmpfs"])) if plan["readOnlyRoot"] else ""))
    need("sidecar" in plans, "no Deployment with a hopwise container rendered from k8s/sidecar")
    with open(plan_out, "w") as f:
        json.dump(plans["sidecar"], f, indent=2)
    print("\n".join(lines))


def sh(*argv):
    subprocess.run(argv, check=True)


def size_bytes(quantity):
    m = re.fullmatch(r"(\d+)(Ki|Mi|Gi)?", quantity)
    return int(m.group(1)) * {None: 1, "Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30}[m.group(2)]


def exec_plan(plan_path, rootfs):
    """As the kubelet and runtime would: mounts, read-only root, chroot, user, no privileges, exec."""
    with open(plan_path) as f:
        plan = json.load(f)
    need(os.geteuid() == 0, "exec needs root (mounts and chroot), in its own mount namespace")
    root = rootfs
    sh("mount", "--bind", root, root)
    sh("mount", "-t", "proc", "-o", "nosuid,nodev,noexec", "proc", root + "/proc")
    # The few devices a container runtime gives: bind-mounted onto files on a small tmpfs.
    sh("mount", "-t", "tmpfs", "-o", "size=64k,mode=755,nosuid", "dev", root + "/dev")
    for d in ("null", "zero", "random", "urandom"):
        open(root + "/dev/" + d, "w").close()
        sh("mount", "--bind", "/dev/" + d, root + "/dev/" + d)
    for path, size in plan["tmpfs"].items():
        sh("mount", "-t", "tmpfs", "-o", "size=%d,mode=1777,nosuid,nodev" % size_bytes(size), "emptydir", root + path)
    # The ConfigMap volume: its files in a directory of their own, mounted read-only.
    cm_dir = os.path.join(os.path.dirname(plan_path), "configmap")
    os.makedirs(cm_dir, exist_ok=True)
    for name, text in plan["configFiles"].items():
        with open(os.path.join(cm_dir, name), "w") as f:
            f.write(text)
    sh("mount", "--bind", cm_dir, root + plan["configDir"])
    sh("mount", "-o", "remount,bind,ro", root + plan["configDir"])
    if plan["readOnlyRoot"]:
        sh("mount", "-o", "remount,bind,ro", root)
    os.chroot(root)
    os.chdir("/")
    libc = ctypes.CDLL(None, use_errno=True)
    if plan["dropAllCaps"]:
        for cap in range(CAP_LAST + 1):
            libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    os.setgroups([])
    os.setgid(plan["gid"])
    os.setuid(plan["uid"])  # from root to a non-root UID: the permitted and effective sets empty
    if plan["noNewPrivs"]:
        need(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "prctl(PR_SET_NO_NEW_PRIVS) failed")
    env = dict(plan["env"])
    if plan.get("memoryLimit"):
        # In a pod the JVM reads the memory limit from its cgroup; here it is told the same limit.
        env["JAVA_TOOL_OPTIONS"] = (env.get("JAVA_TOOL_OPTIONS", "") + " -XX:MaxRAM=%d" % size_bytes(plan["memoryLimit"])).strip()
    argv = plan["argv"]
    path = env.get("PATH", "/usr/bin:/bin").split(":")
    exe = argv[0] if "/" in argv[0] else next((p + "/" + argv[0] for p in path if os.access(p + "/" + argv[0], os.X_OK)), None)
    need(exe, "%s not found on the image's PATH %s" % (argv[0], env.get("PATH")))
    sys.stderr.write("image_pod: exec %s as %d:%d\n" % (shlex.join(argv), plan["uid"], plan["gid"]))
    os.execve(exe, argv, env)


def main():
    try:
        if len(sys.argv) == 6 and sys.argv[1] == "check":
            check(*sys.argv[2:])
        elif len(sys.argv) == 4 and sys.argv[1] == "exec":
            exec_plan(sys.argv[2], sys.argv[3])
        else:
            sys.exit(__doc__)
    except Mismatch as e:
        print("image_pod: %s" % e, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
