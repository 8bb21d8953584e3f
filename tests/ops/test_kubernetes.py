"""The Kubernetes manifests as rendered by `kubectl kustomize`: every overlay builds, every
object validates (Kubernetes schemas, and the custom resources structurally), images are
pinned, every container is hardened, config files hot-reload, Kafka topics, scaling (the
classifier on its lag, the alerter a single replica), network policy and monitoring are wired
as docs/operations.md describes."""

from __future__ import annotations

import copy
import ipaddress
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
from services.cli import check_files
from services.runtime.kafka import Topics

from tests.ops.manifests import (
    BUILDS,
    DASHBOARDS,
    SERVICES,
    build,
    crd_schemas,
    env_of,
    named,
    of_kind,
    pod_spec,
    rule_groups,
    service_of,
)

pytestmark = pytest.mark.unit

KUBERNETES_VERSION = "1.30.0"  # the oldest Kubernetes the manifests support
DEFAULT_DRAIN_TIMEOUT = 20.0
INPUT_TOPIC = {"classifier": "posts", "alerter": "scored"}
SCALERS = ("ScaledObject", "HorizontalPodAutoscaler")
CONFIG_ENV = {
    "collector": "FIELDWATCH_SOURCES",
    "classifier": "FIELDWATCH_WATCHLIST",
    "alerter": "FIELDWATCH_ROUTES",
}


def validate(obj: dict[str, Any]) -> None:
    """Kubernetes kinds against the Kubernetes schema (strict), custom resources against
    tests/ops/crd_schemas.yaml; a kind known to neither fails."""
    key = f"{obj['apiVersion']}/{obj['kind']}"
    schemas = crd_schemas()
    if key in schemas:
        jsonschema.Draft202012Validator(schemas[key]).validate(obj)
        return
    kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def deployments(name: str) -> list[dict[str, Any]]:
    return [
        d
        for d in of_kind(build(name), "Deployment")
        if d["metadata"].get("labels", {}).get("app.kubernetes.io/name") == "fieldwatch"
    ]


@pytest.mark.parametrize("name", BUILDS)
def test_every_object_validates(name: str) -> None:
    objects = build(name)
    kinds = {o["kind"] for o in objects}
    assert {"Deployment", "Service", "ConfigMap", "NetworkPolicy", "PodDisruptionBudget"} <= kinds
    assert {"Kafka", "KafkaNodePool", "KafkaTopic", "PodMonitor", "PrometheusRule"} <= kinds
    problems = []
    for obj in objects:
        try:
            validate(obj)
        except (jsonschema.ValidationError, kubernetes_validate.ValidationError) as exc:
            problems.append(f"{obj['kind']}/{obj['metadata']['name']}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError as exc:
            problems.append(f"{obj['kind']}/{obj['metadata']['name']}: {exc.message}")
    assert not problems, "\n".join(problems)


def test_validation_rejects_mistakes() -> None:
    """The checks above are live: a typo in a Deployment or a custom resource fails."""
    objects = build("overlays/prod")
    deployment = copy.deepcopy(of_kind(objects, "Deployment")[0])
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {"httpGet": {}}
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(deployment)
    for kind, path, bad in (
        ("KafkaTopic", ("spec", "partitons"), 3),
        ("ScaledObject", ("spec", "triggers", 0, "metadata", "lagThreshold"), 500),
        ("Kafka", ("spec", "zookeeper"), {"replicas": 3}),
        ("PrometheusRule", ("spec", "groups", 0, "rules", 0, "for"), "ten minutes"),
    ):
        obj = copy.deepcopy(of_kind(objects, kind)[0])
        node: Any = obj
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = bad
        with pytest.raises(jsonschema.ValidationError):
            validate(obj)


@pytest.mark.parametrize("name", BUILDS)
def test_images_are_pinned(name: str) -> None:
    for obj in build(name):
        spec = pod_spec(obj)
        if spec is None:
            continue
        for container in spec.get("containers", []) + spec.get("initContainers", []):
            image = container["image"]
            if "@sha256:" in image:
                continue
            repo, _, tag = image.rpartition(":")
            assert repo, f"{obj['metadata']['name']}: {image} has no tag"
            assert "/" not in tag, f"{obj['metadata']['name']}: {image} has no tag"
            assert tag != "latest", f"{obj['metadata']['name']}: {image} uses latest"
            assert tag[0].isdigit(), f"{obj['metadata']['name']}: {image}: not a version tag"


@pytest.mark.parametrize("name", BUILDS)
def test_every_container_is_hardened(name: str) -> None:
    workloads = [o for o in build(name) if pod_spec(o) is not None]
    assert workloads
    for obj in workloads:
        where = f"{obj['kind']}/{obj['metadata']['name']}"
        spec = pod_spec(obj)
        assert spec is not None
        pod_sc = spec.get("securityContext", {})
        assert pod_sc.get("runAsNonRoot") is True, where
        assert pod_sc.get("seccompProfile", {}).get("type") == "RuntimeDefault", where
        assert spec.get("automountServiceAccountToken") is False, where
        grace = spec.get("terminationGracePeriodSeconds", 30)
        for container in spec["containers"] + spec.get("initContainers", []):
            sc = container.get("securityContext", {})
            cwhere = f"{where} container {container['name']}"
            assert sc.get("allowPrivilegeEscalation") is False, cwhere
            assert sc.get("readOnlyRootFilesystem") is True, cwhere
            assert sc.get("privileged", False) is False, cwhere
            assert sc.get("capabilities", {}).get("drop") == ["ALL"], cwhere
            assert not sc.get("capabilities", {}).get("add"), cwhere
            assert sc.get("runAsUser", pod_sc.get("runAsUser", 0)) != 0, cwhere
            resources = container.get("resources", {})
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources.get(kind, {})), f"{cwhere}: {kind}"
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", cwhere
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", cwhere
            drain = float(env_of(container).get("FIELDWATCH_DRAIN_TIMEOUT", DEFAULT_DRAIN_TIMEOUT))
            assert grace > drain + 5, f"{cwhere}: grace {grace}s not above drain {drain}s"


@pytest.mark.parametrize("name", BUILDS)
def test_config_files_are_mounted_for_hot_reload_and_valid(name: str, tmp_path: Path) -> None:
    objects = build(name)
    configmaps = {c["metadata"]["name"]: c for c in of_kind(objects, "ConfigMap")}
    seen = set()
    for deployment in deployments(name):
        service = service_of(deployment)
        spec = deployment["spec"]["template"]["spec"]
        container = spec["containers"][0]
        path = Path(env_of(container)[CONFIG_ENV[service]])
        mounts = [m for m in container["volumeMounts"] if path.parent == Path(m["mountPath"])]
        assert len(mounts) == 1, f"{service}: {path} is not in a mounted directory"
        # subPath mounts never see ConfigMap updates: the whole directory must be mounted.
        assert "subPath" not in mounts[0], service
        volume = next(v for v in spec["volumes"] if v["name"] == mounts[0]["name"])
        configmap = configmaps[volume["configMap"]["name"]]
        # No generated name suffix: an update changes this ConfigMap in place (hot reload).
        assert configmap["metadata"]["name"] == volume["configMap"]["name"]
        out = tmp_path / configmap["metadata"]["name"] / path.name
        out.parent.mkdir(exist_ok=True)
        out.write_text(configmap["data"][path.name])
        seen.add(out)
    assert len(seen) >= 3
    assert check_files(sorted(seen)) == 0, "a shipped config file does not validate"


@pytest.mark.parametrize("name", BUILDS)
def test_kafka_is_kraft_with_every_topic(name: str) -> None:
    objects = build(name)
    kafka = named(objects, "Kafka", "fieldwatch")
    annotations = kafka["metadata"]["annotations"]
    assert annotations["strimzi.io/kraft"] == "enabled"
    assert annotations["strimzi.io/node-pools"] == "enabled"
    assert "zookeeper" not in kafka["spec"]
    roles = {r for p in of_kind(objects, "KafkaNodePool") for r in p["spec"]["roles"]}
    assert roles == {"controller", "broker"}
    listener = kafka["spec"]["kafka"]["listeners"][0]
    assert listener["tls"] is True
    assert listener["authentication"]["type"] == "scram-sha-512"

    topics = Topics.from_prefix("fieldwatch")
    kafka_topics = {t["spec"]["topicName"]: t for t in of_kind(objects, "KafkaTopic")}
    assert set(kafka_topics) == set(topics.all())
    brokers = sum(
        p["spec"]["replicas"]
        for p in of_kind(objects, "KafkaNodePool")
        if "broker" in p["spec"]["roles"]
    )
    for topic_name, topic in kafka_topics.items():
        spec = topic["spec"]
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == "fieldwatch"
        assert spec["replicas"] == min(3, brokers), topic_name
        assert spec["config"]["min.insync.replicas"] == (2 if brokers >= 3 else 1), topic_name
        if topic_name in topics.compacted():
            assert spec["config"]["cleanup.policy"] == "compact", topic_name
        else:
            assert spec["config"]["cleanup.policy"] == "delete", topic_name
            assert int(spec["config"]["retention.ms"]) >= 86_400_000, topic_name

    # The services reach the brokers with TLS and SCRAM, as the user the User Operator creates.
    user = named(objects, "KafkaUser", "fieldwatch-services")
    for deployment in deployments(name):
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        env = env_of(container)
        assert env["FIELDWATCH_KAFKA_BOOTSTRAP"] == "fieldwatch-kafka-bootstrap:9093"
        assert env["FIELDWATCH_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
        assert env["FIELDWATCH_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
        assert env["FIELDWATCH_KAFKA_SASL_USERNAME"] == user["metadata"]["name"]
        password = next(
            e for e in container["env"] if e["name"] == "FIELDWATCH_KAFKA_SASL_PASSWORD"
        )
        assert password["valueFrom"]["secretKeyRef"]["name"] == user["metadata"]["name"]
        assert env.get("FIELDWATCH_TOPIC_PREFIX", "fieldwatch") == "fieldwatch"


@pytest.mark.parametrize("name", BUILDS)
def test_collectors_never_double_collect(name: str) -> None:
    collectors = [d for d in deployments(name) if service_of(d) == "collector"]
    assert collectors
    sources_files = set()
    for collector in collectors:
        spec = collector["spec"]
        assert spec["replicas"] == 1, collector["metadata"]["name"]
        assert spec["strategy"]["type"] == "Recreate", collector["metadata"]["name"]
        volumes = {v["name"]: v for v in spec["template"]["spec"]["volumes"]}
        sources_files.add(volumes["config"]["configMap"]["name"])
    assert len(sources_files) == len(collectors), "two collector groups share a sources file"
    for obj in build(name):
        if obj["kind"] in ("ScaledObject", "HorizontalPodAutoscaler"):
            assert obj["spec"]["scaleTargetRef"]["name"] not in {
                c["metadata"]["name"] for c in collectors
            }


def scaler_targets(objects: tuple[dict[str, Any], ...]) -> dict[str, list[dict[str, Any]]]:
    """Deployment name -> the ScaledObjects and HPAs that scale it."""
    targets: dict[str, list[dict[str, Any]]] = {}
    for scaler in (o for o in objects if o["kind"] in SCALERS):
        ref = scaler["spec"]["scaleTargetRef"]
        if ref.get("kind", "Deployment") == "Deployment":
            targets.setdefault(ref["name"], []).append(scaler)
    return targets


@pytest.mark.parametrize("name", [b for b in BUILDS if b != "overlays/dev"])
def test_the_classifier_scales_on_its_consumer_group_lag(name: str) -> None:
    objects = build(name)
    partitions = {
        t["spec"]["topicName"]: t["spec"]["partitions"] for t in of_kind(objects, "KafkaTopic")
    }
    targets = scaler_targets(objects)
    classifiers = [d for d in deployments(name) if service_of(d) == "classifier"]
    assert classifiers
    for deployment in classifiers:
        service = service_of(deployment)
        (scaler,) = targets[deployment["metadata"]["name"]]
        # The scaler owns the count: a replicas field would reset it on every apply.
        assert "replicas" not in deployment["spec"], deployment["metadata"]["name"]
        env = env_of(deployment["spec"]["template"]["spec"]["containers"][0])
        group = env.get("FIELDWATCH_GROUP_ID", f"fieldwatch.{service}")
        topic = f"fieldwatch.{INPUT_TOPIC[service]}"
        if scaler["kind"] == "ScaledObject":
            (trigger,) = scaler["spec"]["triggers"]
            assert trigger["type"] == "kafka"
            meta = trigger["metadata"]
            assert (meta["consumerGroup"], meta["topic"]) == (group, topic)
            assert meta["bootstrapServers"] == env["FIELDWATCH_KAFKA_BOOTSTRAP"]
            assert (meta["sasl"], meta["tls"]) == ("scram_sha512", "enable")
            low, high = scaler["spec"]["minReplicaCount"], scaler["spec"]["maxReplicaCount"]
        else:
            external = next(m for m in scaler["spec"]["metrics"] if m["type"] == "External")
            labels = external["external"]["metric"]["selector"]["matchLabels"]
            assert (labels["consumergroup"], labels["topic"]) == (group, topic)
            low, high = scaler["spec"]["minReplicas"], scaler["spec"]["maxReplicas"]
        assert 1 <= low <= high <= partitions[topic], f"{service}: {low}..{high}"


@pytest.mark.parametrize("name", BUILDS)
def test_the_alerter_is_a_single_replica_recreated_and_never_scaled(name: str) -> None:
    """The alerter keeps incident state per process and scored is keyed by post id: a second
    replica, even for the overlap of a rolling update, would split incidents."""
    objects = build(name)
    alerters = [d for d in deployments(name) if service_of(d) == "alerter"]
    assert len(alerters) == 1, [a["metadata"]["name"] for a in alerters]
    (alerter,) = alerters
    where = alerter["metadata"]["name"]
    assert alerter["spec"].get("replicas") == 1, where
    assert alerter["spec"]["strategy"] == {"type": "Recreate"}, where
    scalers = [o for o in objects if o["kind"] in SCALERS]
    assert not [s for s in scalers if s["spec"]["scaleTargetRef"]["name"] == where], where
    # Its disruption budget lets a node drain evict the one pod.
    labels = alerter["spec"]["template"]["metadata"]["labels"]
    for pdb in of_kind(objects, "PodDisruptionBudget"):
        selector = pdb["spec"]["selector"]["matchLabels"]
        if all(labels.get(k) == v for k, v in selector.items()):
            assert "minAvailable" not in pdb["spec"], pdb["metadata"]["name"]
            assert pdb["spec"]["maxUnavailable"] in (1, "100%"), pdb["metadata"]["name"]


def allowed_by_ip_blocks(policies: list[dict[str, Any]], address: str) -> bool:
    """Whether any egress ipBlock of `policies` lets pods reach `address` (any port)."""
    ip = ipaddress.ip_address(address)
    for policy in policies:
        for rule in policy["spec"].get("egress", []):
            for peer in rule.get("to", []):
                block = peer.get("ipBlock")
                if block is None:
                    continue
                net = ipaddress.ip_network(block["cidr"])
                if ip.version != net.version or ip not in net:
                    continue
                if not any(ip in ipaddress.ip_network(e) for e in block.get("except", [])):
                    return True
    return False


@pytest.mark.parametrize("name", BUILDS)
def test_alerter_reaches_the_internet_but_nothing_internal(name: str) -> None:
    objects = build(name)
    pods = {service_of(d): d["spec"]["template"]["metadata"]["labels"] for d in deployments(name)}

    def selects(policy: dict[str, Any], labels: dict[str, str]) -> bool:
        selector = policy["spec"]["podSelector"]
        if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
            return False
        for expr in selector.get("matchExpressions", []):
            if expr["operator"] == "In" and labels.get(expr["key"]) not in expr["values"]:
                return False
        return True

    policies = of_kind(objects, "NetworkPolicy")
    deny = [p for p in policies if not p["spec"].get("egress") and not p["spec"].get("ingress")]
    assert deny
    assert all(set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"} for p in deny)
    for service in SERVICES:
        assert any(selects(p, pods[service]) for p in deny), f"{service}: no default deny"
    # The alerter (Slack, webhooks) and the collector (platform APIs) reach the internet, and
    # nothing internal: a webhook URL must never reach the metadata service or the cluster.
    for service in ("alerter", "collector"):
        egress = [
            p
            for p in policies
            if selects(p, pods[service]) and "Egress" in p["spec"]["policyTypes"]
        ]
        for public in ("1.1.1.1", "34.120.0.10", "2606:4700:4700::1111"):
            assert allowed_by_ip_blocks(egress, public), f"{service}: {public}"
        for internal in (
            "169.254.169.254",
            "fd00:ec2::254",
            "10.96.0.1",
            "172.20.0.10",
            "192.168.1.1",
            "100.64.0.1",
            "127.0.0.1",
            "::1",
        ):
            assert not allowed_by_ip_blocks(egress, internal), f"{service}: {internal}"
    classifier = [p for p in policies if selects(p, pods["classifier"])]
    assert not allowed_by_ip_blocks(classifier, "1.1.1.1"), "the classifier needs no internet"


@pytest.mark.parametrize("name", BUILDS)
def test_every_service_has_a_pdb_service_and_service_account(name: str) -> None:
    objects = build(name)
    for deployment in deployments(name):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        spec = deployment["spec"]["template"]["spec"]
        named(objects, "ServiceAccount", spec["serviceAccountName"])
        for kind in ("PodDisruptionBudget", "Service"):
            matching = [
                o
                for o in of_kind(objects, kind)
                if (
                    o["spec"]["selector"].get("matchLabels", o["spec"]["selector"])
                    and all(
                        labels.get(k) == v
                        for k, v in o["spec"]["selector"]
                        .get("matchLabels", o["spec"]["selector"])
                        .items()
                    )
                )
            ]
            assert len(matching) == 1, f"{deployment['metadata']['name']}: {kind}"
        port = spec["containers"][0]["ports"][0]
        assert port["name"] == "http"


@pytest.mark.parametrize("name", BUILDS)
def test_monitoring_objects_match_the_shipped_rules_and_dashboards(name: str) -> None:
    objects = build(name)
    (monitor,) = [
        m for m in of_kind(objects, "PodMonitor") if m["metadata"]["name"] == "fieldwatch"
    ]
    selector = monitor["spec"]["selector"]["matchLabels"]
    for deployment in deployments(name):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert all(labels.get(k) == v for k, v in selector.items())
    assert [e["port"] for e in monitor["spec"]["podMetricsEndpoints"]] == ["http"]

    (rule,) = of_kind(objects, "PrometheusRule")
    assert rule["spec"]["groups"] == rule_groups()

    dashboards = [
        c
        for c in of_kind(objects, "ConfigMap")
        if c["metadata"].get("labels", {}).get("grafana_dashboard") == "1"
    ]
    shipped = {k: v for c in dashboards for k, v in c["data"].items()}
    assert shipped == {p.name: p.read_text() for p in DASHBOARDS}
