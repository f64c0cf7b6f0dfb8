"""The demo festival's made-up data and its command line: valid for the services, spread as promised."""

from collections import Counter

import pytest

from ops.cli import parser
from ops.demo_data import judge, pdf, works
from services.submissions.documents.domain import sniff
from shared.persian import is_valid_national_id

HOODS = {1: ["دربند", "زعفرانیه"], 7: ["نظام آباد"], 12: ["بازار", "هرندی"]}


def test_works_spread_evenly_over_districts_and_categories_with_valid_submitters() -> None:
    made = works(HOODS, 90, seed=1405)

    assert Counter(w["district"] for w in made) == {1: 30, 7: 30, 12: 30}
    assert set(Counter(w["category"] for w in made).values()) == {30}
    assert len({(w["district"], w["category"]) for w in made}) == 9  # every district has works in every category
    assert all(w["neighbourhood"] in HOODS[w["district"]] for w in made)
    assert all(is_valid_national_id(w["submitter"]["national_id"]) for w in made)
    assert len({w["title"] for w in made}) == 90  # no probable duplicates
    assert works(HOODS, 90, seed=1405) == made  # the same seed, the same festival


def test_scores_stay_in_the_criterions_range_and_differ_between_works() -> None:
    criterion = {"code": "innovation", "min_score": 0, "max_score": 10}
    scores = [judge(index, {"work_id": f"work-{n}"}, criterion) for n in range(50) for index in range(3)]
    assert all(0 <= score <= 10 for score in scores) and len(set(scores)) > 5


def test_the_demo_report_is_a_pdf_to_submissions() -> None:
    assert sniff(pdf("Hami 1405 work 1")) == "pdf"


@pytest.mark.parametrize("districts", ["1,x", "0,3", "5,5", ""])
def test_the_demo_refuses_bad_districts(districts: str) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["demo", "--districts", districts])


def test_the_demo_takes_districts_as_numbers() -> None:
    assert parser().parse_args(["demo", "--districts", "3,22"]).districts == (3, 22)
