"""The four services on a three-node RabbitMQ cluster of their own (ops/rabbitmq_cluster.py: three nodes with their
own names, ports and data, quorum queues replicated on all three, HAProxy in front), under the chaos soak's steady
load, while the node leading most of their queues is stopped whole, then another, and RabbitMQ's application is
stopped on a third: nothing accepted is lost or applied twice, and the services stay ready."""

import re

from bench.chaos.__main__ import options
from bench.chaos.soak import soak
from bench.chaos.tally import table


def test_losing_the_node_that_leads_the_queues_under_load_loses_nothing_and_applies_nothing_twice() -> None:
    summary = soak(options(["--cluster", "--faults", "node,broker", "--minutes", "1.5"]))
    print(table(summary))

    assert summary["cluster"] and summary["faults"] == {"broker": 2, "node": 2}, summary["fault_log"]
    assert set(summary["replicas"].values()) == {3}, summary["replicas"]  # every queue on every node
    losses = [re.fullmatch(r"(\S+) \(leading (\d+) queues\)", fault["target"]).groups()
              for fault in summary["fault_log"] if fault["kind"] == "node"]
    assert len({node for node, _ in losses}) == 2, losses  # one node, then another
    assert all(int(leading) > 0 for _, leading in losses), losses  # each was leading queues when it went
    for kind in ("works", "decisions", "relays"):
        assert summary[kind]["lost"] == summary[kind]["duplicated"] == 0, (kind, summary[kind])
    assert summary["works"]["accepted"] > 300 and summary["relays"]["accepted"] > 40
    assert not any(summary["dead_lettered"].values()), summary["dead_lettered"]
    assert all(counts["server_error"] == 0 for counts in summary["requests"].values()), summary["requests"]
    # Requests only write to the outbox; a service whose connection went with the node reconnects through HAProxy.
    assert all(seconds < 2.0 for seconds in summary["unavailability_s"].values()), summary["unavailability_s"]
    assert all(seconds < 15.0 for seconds in summary["not_ready_s"].values()), summary["not_ready_s"]
    assert summary["ok"]
