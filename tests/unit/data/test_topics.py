"""One spelling per topic (data.topics)."""

from __future__ import annotations

import pandas as pd

from data.topics import merge_topics, topic_key, topic_spellings


def test_key_ignores_case_spacing_and_punctuation():
    assert topic_key("Children  Looked-After ") == topic_key("children looked after")
    assert topic_key("Children in need") != topic_key("Children in need: referrals")


def test_the_three_real_pairs_take_the_form_with_fewest_capitals():
    chosen = topic_spellings(
        [
            ("Child Protection", False),
            ("Child protection", True),
            ("Children Looked After", False),
            ("Children looked after", True),
            ("Children in Need", False),
            ("Children in need", True),
            ("Adoption", False),
        ]
    )
    assert chosen == {
        "Child Protection": "Child protection",
        "Child protection": "Child protection",
        "Children Looked After": "Children looked after",
        "Children looked after": "Children looked after",
        "Children in Need": "Children in need",
        "Children in need": "Children in need",
        "Adoption": "Adoption",
    }


def test_fewest_capitals_wins_whoever_publishes_it():
    assert topic_spellings([("Early years", False), ("Early Years", True)])["Early Years"] == (
        "Early years"
    )


def test_a_tie_goes_to_the_ees_form_then_alphabetical():
    ees_wins = topic_spellings([("Key stage 4", False), ("key Stage 4", True)])
    assert ees_wins["Key stage 4"] == "key Stage 4"  # one capital each
    no_ees = topic_spellings([("key stage four", False), ("key  stage four", False)])
    assert set(no_ees.values()) == {"key  stage four"}  # alphabetical: two spaces sort first


def test_merge_rewrites_topics_records_what_merged_and_leaves_the_input():
    frame = pd.DataFrame(
        {
            "indicator_id": ["a", "b", "c", "d"],
            "topic": ["Children in Need", "Children in need", "Children in Need", "Adoption"],
            "source_id": ["lait", "ees_cin", "lait", "lait"],
        }
    )
    before = frame.copy(deep=True)
    merged, records = merge_topics(frame)
    assert list(merged["topic"]) == ["Children in need"] * 3 + ["Adoption"]
    assert records == [
        {"topic": "Children in need", "merged": ["Children in Need"], "indicators": 2}
    ]
    pd.testing.assert_frame_equal(frame, before)


def test_nothing_to_merge_gives_no_record():
    frame = pd.DataFrame({"topic": ["Adoption", "Care leavers"], "source_id": ["lait", "ees"]})
    merged, records = merge_topics(frame)
    assert records == [] and list(merged["topic"]) == ["Adoption", "Care leavers"]
