"""Tests for tests/k8s/validate.py: the examples pass, broken manifests fail, each policy rule bites."""

import copy
import os
import subprocess
import sys

import pytest
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(validate.ROOT, "examples", "kubernetes")
BROKEN = os.path.join(HERE, "broken")


def load(name):
    with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
        return yaml.safe_load(f)


def pod(doc):
    return doc["spec"]["template"]["spec"]


def test_examples_are_valid(capsys):
    assert validate.main([]) == 0
    out = capsys.readouterr().out
    assert "INVALID" not in out
    assert "validated 7 document(s) in 7 file(s)" in out


def test_examples_cover_the_documented_pieces():
    deployment, job = load("deployment.yaml"), load("job-staging-rebuild.yaml")
    init = pod(deployment)["initContainers"][0]
    env = validate.env_map(init)
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"] == load("secret.yaml")["metadata"]["name"]
    assert validate.env_map(pod(job)["containers"][0])["ON_EXISTING"]["value"] == "replace"
    assert pod(job)["restartPolicy"] == "Never"


def test_broken_schema_is_rejected(capsys):
    assert validate.main([os.path.join(BROKEN, "deployment-bad-schema.yaml")]) == 1
    out = capsys.readouterr().out
    assert "spec.replicas" in out and "'two' is not of type 'integer'" in out


def test_broken_policy_is_rejected(capsys):
    assert validate.main([os.path.join(BROKEN, "deployment-bad-policy.yaml")]) == 1
    out = capsys.readouterr().out
    for expected in ("allowPrivilegeEscalation must be false", "capabilities.drop must contain ALL",
                     "mount sqlite must be readOnly", "claim app-sqlite must be mounted readOnly",
                     "DATABASE_URL must come from a Secret"):
        assert expected in out
    assert "initContainers/migrate" in out and "containers/app" not in out


def test_command_line_exit_codes(tmp_path):
    script = os.path.join(HERE, "validate.py")
    good = subprocess.run([sys.executable, script], capture_output=True, text=True)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = subprocess.run([sys.executable, script, os.path.join(EXAMPLES, "deployment.yaml"),
                          os.path.join(BROKEN, "deployment-bad-schema.yaml")], capture_output=True, text=True)
    assert bad.returncode == 1
    unreadable = tmp_path / "not-yaml.yaml"
    unreadable.write_text("kind: [unclosed\n")
    assert subprocess.run([sys.executable, script, str(unreadable)], capture_output=True).returncode == 1


def test_unknown_field_is_a_schema_error():
    doc = load("deployment.yaml")
    pod(doc)["initContainers"][0]["securityContext"]["readOnlyRootFilesytem"] = True  # misspelt
    assert any("readOnlyRootFilesytem" in e for e in validate.schema_errors(doc, ["1.30.0"]))


def test_unknown_kind_is_an_error():
    doc = {"apiVersion": "v1", "kind": "NoSuchKind", "metadata": {"name": "x"}}
    assert validate.schema_errors(doc, ["1.30.0"])


MUTATIONS = {
    "runAsNonRoot must be true": lambda p, c: (p["securityContext"].pop("runAsNonRoot"),
                                              c["securityContext"].pop("runAsNonRoot")),
    "runAsUser must not be 0": lambda p, c: p["securityContext"].update(runAsUser=0),
    "readOnlyRootFilesystem must be true": lambda p, c: c["securityContext"].update(readOnlyRootFilesystem=False),
    "allowPrivilegeEscalation must be false": lambda p, c: c["securityContext"].pop("allowPrivilegeEscalation"),
    "privileged must not be true": lambda p, c: c["securityContext"].update(privileged=True),
    "capabilities.drop must contain ALL": lambda p, c: c["securityContext"]["capabilities"].update(drop=["NET_RAW"]),
    "capabilities.add must be empty": lambda p, c: c["securityContext"]["capabilities"].update(add=["NET_ADMIN"]),
    "must be readOnly": lambda p, c: c["volumeMounts"][0].pop("readOnly"),
    "must be mounted readOnly": lambda p, c: p["volumes"][0]["persistentVolumeClaim"].pop("readOnly"),
    "is not on a mounted volume": lambda p, c: c["volumeMounts"].pop(0),
    "SQLITE_PATH must be set": lambda p, c: c.update(env=[e for e in c["env"] if e["name"] != "SQLITE_PATH"]),
    "not a literal": lambda p, c: validate.env_map(c)["DATABASE_URL"].update(value="postgres://x", valueFrom=None),
    "DIRECT_URL must come from a Secret":
        lambda p, c: validate.env_map(c)["DIRECT_URL"].update(value="postgres://x", valueFrom=None),
    "set DATABASE_URL from a Secret or DATABASE_URL_FILE":
        lambda p, c: c.update(env=[e for e in c["env"] if e["name"] != "DATABASE_URL"]),
}


@pytest.mark.parametrize("expected", sorted(MUTATIONS))
def test_each_policy_rule_bites(expected):
    doc = load("deployment.yaml")
    assert validate.policy_errors(doc) == []
    broken = copy.deepcopy(doc)
    MUTATIONS[expected](pod(broken), pod(broken)["initContainers"][0])
    errors = validate.policy_errors(broken)
    assert any(expected in e and "initContainers/migrate" in e for e in errors), errors


def test_job_must_replace():
    doc = load("job-staging-rebuild.yaml")
    assert validate.policy_errors(doc) == []
    env = validate.env_map(pod(doc)["containers"][0])
    env["ON_EXISTING"]["value"] = "skip"
    assert any("ON_EXISTING=replace" in e for e in validate.policy_errors(doc))


def test_kustomization_resources_must_exist(tmp_path):
    (tmp_path / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - missing.yaml\n")
    count, problems = validate.check_file(str(tmp_path / "kustomization.yaml"), ["1.30.0"])
    assert count == 1 and problems and "missing.yaml does not exist" in problems[0]


def test_fleet_job_shards_its_files():
    doc = load("fleet-indexed-job.yaml")
    assert validate.policy_errors(doc) == []
    assert validate.schema_errors(doc, ["1.25.0", "1.37.0"]) == []
    spec = doc["spec"]
    env = validate.env_map(pod(doc)["containers"][0])
    assert spec["completionMode"] == "Indexed" and env["SHARDS"]["value"] == str(spec["completions"])
    assert spec["parallelism"] <= spec["completions"]
    assert "{stem}" in env["TARGET_SCHEMA"]["value"] and "JOB_COMPLETION_INDEX" not in env
    claim = pod(doc)["volumes"][0]["persistentVolumeClaim"]["claimName"]
    assert claim == load("fleet-pvc.yaml")["metadata"]["name"]
    assert "ReadOnlyMany" in load("fleet-pvc.yaml")["spec"]["accessModes"]


FLEET_MUTATIONS = {
    "must equal completions": lambda j, e: e["SHARDS"].update(value="4"),
    "must set SHARDS": lambda j, e: e.pop("SHARDS"),
    "is more than completions": lambda j, e: j["spec"].update(parallelism=16),
    "must be left to Kubernetes": lambda j, e: e.update(JOB_COMPLETION_INDEX={"name": "JOB_COMPLETION_INDEX",
                                                                               "value": "0"}),
    "template with {stem}": lambda j, e: e["TARGET_SCHEMA"].update(value="tenants"),
    "a rebuild Job must set ON_EXISTING=replace": lambda j, e: (j["spec"].pop("completionMode"), e.pop("SHARDS")),
    "SHARDS shards a fleet": lambda j, e: j["spec"].pop("completionMode"),
}


@pytest.mark.parametrize("expected", sorted(FLEET_MUTATIONS))
def test_each_fleet_rule_bites(expected):
    doc = copy.deepcopy(load("fleet-indexed-job.yaml"))
    container = pod(doc)["containers"][0]
    env = validate.env_map(container)
    FLEET_MUTATIONS[expected](doc, env)
    container["env"] = list(env.values())
    errors = validate.policy_errors(doc)
    assert any(expected in e and "containers/sqlite2pg" in e for e in errors), errors


def test_shards_outside_an_indexed_job_is_an_error():
    doc = load("deployment.yaml")
    pod(doc)["initContainers"][0]["env"].append({"name": "SHARDS", "value": "2"})
    assert any("SHARDS shards a fleet" in e for e in validate.policy_errors(doc))
