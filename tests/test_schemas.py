"""Tests of cxlib.data.schemas: the column contract of every table kind."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest
from conftest import run_python

from cxlib.data import schemas
from cxlib.errors import CxError

# Column names exactly as in data/README.md (the data contract).
CONTRACT = {
    "customers": [
        "customer_id",
        "signup_date",
        "age",
        "city",
        "acquisition_channel",
        "acquisition_cost",
        "plan",
        "monthly_fee",
        "status",
        "churn_date",
    ],
    "activity": [
        "customer_id",
        "month",
        "usage_gb",
        "spend",
        "products_held",
        "care_contacts",
        "complaints",
        "complaints_resolved",
        "positive_feedback",
        "payment_issue",
        "help_video_views",
        "help_article_views",
        "churned",
    ],
    "interactions": [
        "interaction_id",
        "customer_id",
        "agent_id",
        "team",
        "channel",
        "timestamp",
        "issue_type",
        "proactive",
        "wait_minutes",
        "handle_minutes",
        "resolved_first_contact",
        "agent_reply",
    ],
    "agent_feedback": [
        "response_id",
        "interaction_id",
        "customer_id",
        "agent_id",
        "team",
        "channel",
        "date",
        "csat",
        "effort",
        "comment",
    ],
    "nps_surveys": [
        "response_id",
        "customer_id",
        "survey_date",
        "ltr",
        "friendly_polite",
        "value_for_money",
        "network_quality",
        "ease_of_support",
        "shop_around",
        "switch_discount_pct",
        "comment",
        "plan",
        "city",
        "tenure_months",
    ],
    "churn_table": ["customer_id", "churned"],
    "churn_snapshots": ["customer_id", "cutoff", "churned"],
    "orders": ["customer_id", "order_date", "order_value"],
}


def test_kinds_and_columns_match_the_data_contract():
    assert schemas.KINDS == tuple(CONTRACT)
    for kind, cols in CONTRACT.items():
        assert list(schemas.get_schema(kind).columns) == cols, kind


def test_every_column_is_documented():
    for kind in schemas.KINDS:
        d = schemas.describe(kind)
        assert list(d.columns) == [
            "column",
            "type",
            "unit",
            "required",
            "blanks_allowed",
            "unique",
            "rule",
            "description",
        ]
        assert d["description"].str.len().gt(3).all(), kind
        assert d["type"].isin(schemas.CX_TYPES.values()).all()


def test_required_and_optional():
    assert schemas.required_columns("nps_surveys") == ["response_id", "survey_date", "ltr"]
    assert schemas.required_columns("agent_feedback") == ["response_id", "agent_id", "csat"]
    assert schemas.required_columns("churn_table") == ["customer_id", "churned"]
    assert "comment" in schemas.optional_columns("nps_surveys")
    # blank answers allowed for ltr/csat, not for ids
    assert schemas.column_info("nps_surveys", "ltr")["nullable"] is True
    assert schemas.column_info("agent_feedback", "csat")["nullable"] is True
    assert schemas.column_info("nps_surveys", "response_id")["nullable"] is False
    assert schemas.column_info("customers", "customer_id")["unique"] is True


def test_score_ranges_in_describe():
    d = schemas.describe("agent_feedback").set_index("column")
    assert d.loc["csat", "rule"] == "1 to 5"
    assert d.loc["effort", "unit"] == "1-5"
    d = schemas.describe("nps_surveys").set_index("column")
    assert d.loc["ltr", "rule"] == "0 to 10"
    assert "never, rarely, sometimes, often" in d.loc["shop_around", "rule"]


def test_unknown_kind_suggests_close_match():
    with pytest.raises(CxError, match="Did you mean 'nps_surveys'") as exc:
        schemas.get_schema("nps_survey")
    assert "Known kinds" in str(exc.value)


def _survey(**over) -> pd.DataFrame:
    df = pd.DataFrame(
        {"response_id": ["R1", "R2"], "survey_date": pd.to_datetime(["2024-01-01", "2024-02-01"]), "ltr": [9, 3]}
    )
    return df.assign(**over)


def test_pandera_schema_usable_on_its_own():
    schema = schemas.get_schema("nps_surveys")
    schema.validate(_survey())
    with pytest.raises(pa.errors.SchemaErrors) as exc:
        schema.validate(_survey(ltr=[11, 7.5], response_id=["R1", "R1"]), lazy=True)
    checks = set(exc.value.failure_cases["check"].astype(str))
    assert "in_range(0, 10)" in checks and "whole_number" in checks and "field_uniqueness" in checks


def test_future_date_check_uses_today_at_validation_time():
    schema = schemas.get_schema("nps_surveys")
    future = pd.Timestamp.now().normalize() + pd.Timedelta(days=3)
    with pytest.raises(pa.errors.SchemaErrors):
        schema.validate(_survey(survey_date=[pd.Timestamp("2024-01-01"), future]), lazy=True)
    schema.validate(_survey(survey_date=[pd.Timestamp("2024-01-01"), pd.Timestamp.now().normalize()]))


def test_activity_resolved_not_more_than_complaints():
    schema = schemas.get_schema("activity")
    df = pd.DataFrame(
        {
            "customer_id": ["C1", "C1"],
            "month": pd.to_datetime(["2024-01-01", "2024-02-01"]),
            "complaints": [1, 2],
            "complaints_resolved": [1, 3],
        }
    )
    with pytest.raises(pa.errors.SchemaErrors) as exc:
        schema.validate(df, lazy=True)
    fc = exc.value.failure_cases
    assert set(fc.loc[fc["check"] == "resolved_le_complaints", "index"]) == {1}
    schema.validate(df.drop(columns="complaints"))  # check skipped when a column is absent


def test_describing_a_kind_does_not_import_pandera():
    """pandera takes about a second to import; lessons that only show a schema must not pay for it."""

    code = (
        "import sys\n"
        "from cxlib.data import schemas\n"
        "schemas.describe('churn_table'); schemas.column_info('agent_feedback', 'csat')\n"
        "schemas.required_columns('customers'); schemas.optional_columns('activity')\n"
        "assert 'pandera' not in sys.modules, 'pandera imported'\n"
        "assert schemas.get_schema('nps_surveys').columns['ltr'].metadata['unit'] == '0-10'\n"
        "assert 'pandera' in sys.modules and set(schemas.SCHEMAS) == set(schemas.KINDS)\n"
    )
    run_python(code)


def test_column_info_of_an_unknown_column_names_the_known_ones():
    with pytest.raises(CxError, match="no column 'nope'.*customer_id"):
        schemas.column_info("customers", "nope")
