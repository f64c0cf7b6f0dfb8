"""The chaos soak's counting: request outcomes, the longest unavailability per fault kind, and what each place
lost or applied twice of the accepted works and decisions."""

from bench.chaos.tally import (
    Request,
    classify,
    dead_letters,
    longest_not_ready,
    longest_unavailability,
    not_ready_spells,
    outages,
    outcome_counts,
    reconcile,
    table,
    times_applied,
)


def test_each_status_is_one_outcome() -> None:
    assert [classify(s) for s in (201, 200, 409, 422, 503, 500, 502, None)] == [
        "accepted", "accepted", "refused", "refused", "unavailable", "server_error", "server_error", "no_answer"]


def test_outcomes_are_counted_per_kind_of_request_with_zeros() -> None:
    requests = [Request("work", 0, 1, 201, "w1"), Request("work", 0, 1, 503), Request("work", 0, 10, None),
                Request("decision", 0, 1, 201, "d1")]

    counts = outcome_counts(requests)

    assert counts["work"] == {"accepted": 1, "refused": 0, "unavailable": 1, "server_error": 0, "no_answer": 1}
    assert counts["decision"]["accepted"] == 1 and sum(counts["decision"].values()) == 1


def test_unavailability_runs_from_the_fault_to_the_answer_of_the_first_accepted_request_sent_after_it() -> None:
    requests = [
        Request("work", 9.0, 9.1, 201, "before"),
        Request("work", 9.9, 12.0, 201, "sent before the fault, answered after"),  # does not count
        Request("work", 10.5, 10.6, 503), Request("work", 11.0, 21.0, None),
        Request("work", 12.0, 12.4, 201, "first after the first kill"),
        Request("work", 30.1, 30.3, 201, "first after the second kill"),
        Request("work", 40.0, 45.0, 201, "first after the restart"),
    ]

    longest = longest_unavailability([("sigkill", 10.0), ("sigkill", 30.0), ("postgresql", 39.0)], requests)

    assert longest == {"sigkill": 2.4, "postgresql": 6.0}


def test_a_request_slipping_through_as_the_fault_begins_does_not_end_the_outage() -> None:
    requests = [Request("work", 10.01, 10.05, 201, "on a connection still open"), Request("work", 10.5, 10.6, None),
                Request("work", 12.0, 12.1, 503), Request("work", 14.0, 14.2, 201, "back"),
                Request("work", 20.5, 20.6, None)]  # after the next fault: that one's outage

    longest = longest_unavailability([("sigterm", 10.0), ("sigkill", 20.0)], requests)

    assert longest == {"sigterm": 4.2, "sigkill": None}


def test_a_request_that_fails_only_once_the_next_fault_began_counts_against_that_one() -> None:
    requests = [Request("work", 10.5, 10.6, 201, "back at once"), Request("work", 19.9, 20.4, 503),
                Request("work", 21.0, 21.5, 201, "back")]

    assert outages([("node", 10.0), ("postgresql", 20.0)], requests) == [0.6, 1.5]


def test_a_fault_after_which_nothing_was_accepted_is_never_available_again() -> None:
    requests = [Request("work", 1.0, 1.1, 201, "w"), Request("work", 6.0, 6.1, 503)]

    assert longest_unavailability([("broker", 0.5), ("broker", 5.0)], requests) == {"broker": None}


def test_an_accepted_entity_missing_from_a_place_is_lost_and_one_held_twice_is_duplicated() -> None:
    places = {"evaluation works": {"w1": 1, "w2": 1}, "registry ledger": {"w1": 1, "w2": 2, "w3": 1},
              "notifications deliveries": {"w2": 1, "w3": 1, "unanswered": 1}}

    found = reconcile(["w1", "w2", "w3", "w3"], places)

    assert found.accepted == 3
    assert found.lost == {"evaluation works": ["w3"], "notifications deliveries": ["w1"]}
    assert found.duplicated == {"registry ledger": ["w2"]}
    assert (found.lost_count, found.duplicated_count) == (2, 1)


def test_nothing_lost_nothing_twice() -> None:
    found = reconcile(["w1"], {"evaluation works": {"w1": 1}})

    assert (found.lost, found.duplicated, found.lost_count, found.duplicated_count) == ({}, {}, 0, 0)


def test_a_message_to_several_recipients_is_applied_once_and_twice_to_the_same_one_is_twice() -> None:
    rows = [("w1", ("0912", "sms")), ("w1", ("a@x.ir", "email")), ("w1", ("p1", "inbox")),
            ("w2", ("0913", "sms")), ("w2", ("0913", "sms"))]

    assert times_applied(rows) == {"w1": 1, "w2": 2}


def test_a_not_ready_spell_runs_from_the_first_failing_sample_to_the_next_ready_one() -> None:
    samples = [("registry", 1.0, True), ("registry", 1.5, False), ("evaluation", 1.6, False),
               ("registry", 2.0, False), ("registry", 3.5, True), ("evaluation", 9.0, False)]

    assert not_ready_spells(samples) == [("registry", 1.5, 3.5), ("evaluation", 1.6, 9.0)]


def test_the_longest_not_ready_spell_is_counted_against_the_fault_it_began_under() -> None:
    samples = [("registry", t / 2, not (4 <= t / 2 < 6)) for t in range(60)] + [
        ("evaluation", t / 2, not (20 <= t / 2 < 21)) for t in range(60)]
    faults = [("node", 3.0, 8.0), ("sigkill", 19.5, 19.6), ("broker", 25.0, 26.0)]

    assert longest_not_ready(faults, samples) == {"node": 2.0, "sigkill": 1.0, "broker": 0.0}


def test_dead_letters_are_read_from_rabbitmqctl_list_queues() -> None:
    output = ("name\tmessages\nevaluation.events\t12\nevaluation.dead-letter\t0\n"
              "notifications.dead-letter\t3\nregistry.events\t0\n")

    assert dead_letters(output) == {"evaluation.dead-letter": 0, "notifications.dead-letter": 3}


def test_the_table_shows_every_figure_and_the_verdict() -> None:
    summary = {"profile": "short", "seconds": 120, "faults": {"broker": 2, "sigkill": 4},
               "requests": {"work": {"accepted": 600, "refused": 0, "unavailable": 12, "server_error": 0,
                                     "no_answer": 30}},
               "works": {"accepted": 600, "lost": 1, "duplicated": 0, "lost_in": {"evaluation works": ["w9"]},
                         "duplicated_in": {}, "unanswered": 2},
               "decisions": {"accepted": 25, "lost": 0, "duplicated": 0},
               "relays": {"accepted": 100, "lost": 0, "duplicated": 0},
               "dead_lettered": {"evaluation.dead-letter": 0}, "unavailability_s": {"broker": 0.3, "sigkill": None},
               "stall_backlogs": [57], "unsent_outbox": {"registry": 0, "evaluation": 2}, "ok": False}

    text = table(summary)

    assert "broker 2, sigkill 4" in text and "lost in evaluation works: 1 (e.g. w9)" in text
    assert "[57] messages" in text and "never published: {'registry': 0, 'evaluation': 2}" in text
    assert "sigkill never" in text and "broker 0.3 s" in text and text.endswith("LOSS OR DUPLICATES")
    assert "not ready" not in text
    assert "not ready (/health/ready) after a fault: node 1.5 s" in table({**summary, "not_ready_s": {"node": 1.5}})
