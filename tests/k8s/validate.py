#!/usr/bin/env python3
"""Validate Kubernetes manifests offline: schema and sqlite2pg's hardening policy.

    python3 tests/k8s/validate.py                      # examples/kubernetes/*.yaml
    python3 tests/k8s/validate.py FILE... [-k 1.30.0]  # given files, given Kubernetes versions

1. Schema: every document is checked against the Kubernetes OpenAPI JSON schemas bundled in the
   kubernetes-validate package (no network, no cluster), in strict mode (unknown fields are errors), for
   the oldest and the newest Kubernetes version it bundles unless -k says otherwise.
2. Policy, for every Pod template (Deployment, Job, ...): each container and init container runs as
   non-root, with readOnlyRootFilesystem, allowPrivilegeEscalation false and capabilities drop ALL; a
   container running sqlite2pg mounts its SQLITE_PATH folder read-only, takes the database URL from a
   Secret (DATABASE_URL via secretKeyRef, or DATABASE_URL_FILE; DIRECT_URL, when set, via secretKeyRef too),
   and a Job runs with ON_EXISTING=replace, except a fleet's Indexed Job (docs/fleet.md): that one sets SHARDS
   to its completions, no more parallelism than completions, a TARGET_SCHEMA template with {stem}, and leaves
   JOB_COMPLETION_INDEX to Kubernetes. SHARDS anywhere else is an error.

Kustomization files (kustomize.config.k8s.io) are not Kubernetes objects and are only checked for their
resources existing. Exits 0 when every document passes, 1 when any fails, 2 on a usage error.
"""

import argparse
import glob
import os
import sys

import yaml

try:
    import kubernetes_validate
    from kubernetes_validate import utils as kv_utils
except ImportError:  # pragma: no cover - a setup problem, not a test outcome
    print("kubernetes-validate is missing: pip install -r tests/k8s/requirements.txt", file=sys.stderr)
    sys.exit(2)

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_GLOB = os.path.join(ROOT, "examples", "kubernetes", "*.yaml")
POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}


def load_documents(path):
    """Every non-empty YAML document of a file."""
    with open(path, encoding="utf-8") as f:
        return [doc for doc in yaml.safe_load_all(f) if doc is not None]


def name_of(doc):
    meta = doc.get("metadata") or {}
    return f"{doc.get('kind', '?')}/{meta.get('name') or meta.get('generateName') or '?'}"


def schema_errors(doc, versions):
    """Schema problems of one document, for each Kubernetes version."""
    errors = []
    for version in versions:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kv_utils.ValidationError as e:
            where = ".".join(str(p) for p in e.path) or "(document)"
            errors.append(f"k8s {version}: {where}: {e.message}")
        except (kv_utils.SchemaNotFoundError, kv_utils.InvalidSchemaError,
                kv_utils.VersionNotSupportedError) as e:
            errors.append(f"k8s {version}: {e.message}")
    return errors


def pod_spec(doc):
    if doc.get("kind") == "Pod":
        return doc.get("spec") or {}
    if doc.get("kind") in POD_TEMPLATE_KINDS:
        return ((doc.get("spec") or {}).get("template") or {}).get("spec") or {}
    if doc.get("kind") == "CronJob":
        job = ((doc.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}
        return (job.get("template") or {}).get("spec") or {}
    return None


def env_map(container):
    return {e.get("name"): e for e in container.get("env") or []}


def runs_sqlite2pg(container):
    image = str(container.get("image", ""))
    return image.split("/")[-1].split(":")[0].split("@")[0] == "sqlite2pg" or "SQLITE_PATH" in env_map(container)


def policy_errors(doc):
    """Hardening and sqlite2pg-usage problems of the Pod template in one document (none for other kinds)."""
    spec = pod_spec(doc)
    if spec is None:
        return []
    errors = []
    pod_sc = spec.get("securityContext") or {}
    volumes = {v.get("name"): v for v in spec.get("volumes") or []}
    containers = [("initContainers", c) for c in spec.get("initContainers") or []] + \
                 [("containers", c) for c in spec.get("containers") or []]
    for group, c in containers:
        who = f"{group}/{c.get('name', '?')}"
        sc = c.get("securityContext") or {}
        if not (sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is True):
            errors.append(f"{who}: runAsNonRoot must be true")
        if sc.get("runAsUser", pod_sc.get("runAsUser")) == 0:
            errors.append(f"{who}: runAsUser must not be 0")
        if sc.get("readOnlyRootFilesystem") is not True:
            errors.append(f"{who}: readOnlyRootFilesystem must be true")
        if sc.get("allowPrivilegeEscalation") is not False:
            errors.append(f"{who}: allowPrivilegeEscalation must be false")
        if sc.get("privileged") is True:
            errors.append(f"{who}: privileged must not be true")
        drop = [str(x).upper() for x in ((sc.get("capabilities") or {}).get("drop") or [])]
        if "ALL" not in drop:
            errors.append(f"{who}: capabilities.drop must contain ALL")
        if (sc.get("capabilities") or {}).get("add"):
            errors.append(f"{who}: capabilities.add must be empty")
        if runs_sqlite2pg(c):
            errors += sqlite2pg_errors(doc, who, c, volumes)
    return errors


def sqlite2pg_errors(doc, who, c, volumes):
    errors = []
    env = env_map(c)
    path = (env.get("SQLITE_PATH") or {}).get("value")
    if not path:
        errors.append(f"{who}: SQLITE_PATH must be set to a literal path")
    else:
        mount = None
        for m in c.get("volumeMounts") or []:
            mp = m.get("mountPath", "").rstrip("/")
            if (path == mp or path.startswith(mp + "/")) and (mount is None or len(mp) > len(mount["mountPath"])):
                mount = m
        if mount is None:
            errors.append(f"{who}: SQLITE_PATH {path} is not on a mounted volume")
        else:
            vol = volumes.get(mount.get("name")) or {}
            claim = vol.get("persistentVolumeClaim")
            if mount.get("readOnly") is not True:
                errors.append(f"{who}: the SQLite volume mount {mount.get('name')} must be readOnly")
            if claim is not None and claim.get("readOnly") is not True:
                errors.append(f"{who}: the SQLite claim {claim.get('claimName')} must be mounted readOnly")
    for name in ("DATABASE_URL", "DIRECT_URL"):
        url = env.get(name)
        if url is not None and "secretKeyRef" not in (url.get("valueFrom") or {}):
            literal = ", not a literal" if "value" in url else ""
            errors.append(f"{who}: {name} must come from a Secret (valueFrom.secretKeyRef){literal}")
    url = env.get("DATABASE_URL")
    if url is None and "DATABASE_URL_FILE" not in env:
        errors.append(f"{who}: set DATABASE_URL from a Secret or DATABASE_URL_FILE")
    if "PGPASSWORD" in env and "value" in env["PGPASSWORD"]:
        errors.append(f"{who}: PGPASSWORD must come from a Secret, not a literal")
    if is_indexed_job(doc):
        errors += fleet_errors(doc, who, env)
    elif "SHARDS" in env:
        errors.append(f"{who}: SHARDS shards a fleet over the pods of an Indexed Job (completionMode: Indexed)")
    elif doc.get("kind") == "Job" and (env.get("ON_EXISTING") or {}).get("value") != "replace":
        errors.append(f"{who}: a rebuild Job must set ON_EXISTING=replace")
    return errors


def is_indexed_job(doc):
    return doc.get("kind") == "Job" and (doc.get("spec") or {}).get("completionMode") == "Indexed"


def fleet_errors(doc, who, env):
    """An Indexed Job that fans a fleet of SQLite files out over its pods: each pod takes its shard by index."""
    errors = []
    spec = doc.get("spec") or {}
    completions, parallelism = spec.get("completions"), spec.get("parallelism")
    shards = (env.get("SHARDS") or {}).get("value")
    if shards is None:
        errors.append(f"{who}: an Indexed Job must set SHARDS to its completions, so each pod takes its shard")
    elif str(shards) != str(completions):
        errors.append(f"{who}: SHARDS={shards} must equal completions ({completions}): files would be left out "
                      "or loaded by no pod")
    if isinstance(parallelism, int) and isinstance(completions, int) and parallelism > completions:
        errors.append(f"{who}: parallelism {parallelism} is more than completions {completions}")
    if "JOB_COMPLETION_INDEX" in env:
        errors.append(f"{who}: JOB_COMPLETION_INDEX must be left to Kubernetes, which sets it in each pod")
    if "{stem}" not in str((env.get("TARGET_SCHEMA") or {}).get("value", "")):
        errors.append(f"{who}: TARGET_SCHEMA must be a template with {{stem}}, a schema for each file")
    return errors


def kustomization_errors(path, doc):
    base = os.path.dirname(path)
    return [f"resource {r} does not exist" for r in doc.get("resources") or []
            if not os.path.exists(os.path.join(base, r))]


def check_file(path, versions):
    """(documents checked, list of 'file: object: problem' lines)."""
    problems = []
    try:
        docs = load_documents(path)
    except (OSError, yaml.YAMLError) as e:
        return 0, [f"{path}: cannot read: {e}"]
    if not docs:
        return 0, [f"{path}: no YAML documents"]
    for doc in docs:
        if not isinstance(doc, dict) or "kind" not in doc or "apiVersion" not in doc:
            problems.append(f"{path}: a document without kind/apiVersion")
            continue
        label = f"{os.path.relpath(path, ROOT)}: {name_of(doc)}"
        if str(doc["apiVersion"]).startswith("kustomize.config.k8s.io/"):
            problems += [f"{label}: {e}" for e in kustomization_errors(path, doc)]
            continue
        problems += [f"{label}: {e}" for e in schema_errors(doc, versions)]
        problems += [f"{label}: {e}" for e in policy_errors(doc)]
    return len(docs), problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="manifests (default examples/kubernetes/*.yaml)")
    parser.add_argument("-k", "--kubernetes-version", action="append", dest="versions",
                        help="Kubernetes version to validate against (repeatable; default oldest and newest bundled)")
    args = parser.parse_args(argv)
    files = args.files or sorted(glob.glob(DEFAULT_GLOB))
    if not files:
        print("no manifests found", file=sys.stderr)
        return 2
    bundled = kv_utils.all_versions()
    versions = args.versions or sorted({bundled[0], bundled[-1]}, key=bundled.index)
    total = 0
    problems = []
    for path in files:
        n, p = check_file(path, versions)
        total += n
        problems += p
    for line in problems:
        print(f"INVALID {line}")
    status = "ok" if not problems else f"{len(problems)} problem(s)"
    print(f"validated {total} document(s) in {len(files)} file(s) against Kubernetes {', '.join(versions)}: {status}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
