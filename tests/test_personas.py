"""Tests of cxlib.analytics.personas: RFM, feature table, segmentation, stability, persona cards."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_blobs

from cxlib import features
from cxlib.analytics import personas as P
from cxlib.errors import CxError, ValidationError
from cxlib.teaching import plots


# ------------------------------------------------------------------ fixtures
@pytest.fixture
def tx():
    """Five customers; recency, frequency and monetary all computed by hand below."""
    return pd.DataFrame(
        {
            "customer_id": list("AABBBCDDDDE"),
            "date": pd.to_datetime(
                [
                    "2024-01-01",
                    "2024-03-01",
                    "2024-02-01",
                    "2024-02-15",
                    "2024-03-20",
                    "2024-01-10",
                    "2024-03-01",
                    "2024-03-05",
                    "2024-03-10",
                    "2024-03-30",
                    "2023-12-01",
                ]
            ),
            "amount": [10, 10, 5, 5, 5, 100, 20, 20, 20, 20, 1],
        }
    )


def blobs(k, n=400, dim=2, seed=0):
    centers = np.eye(max(k, dim))[:k, :dim] * 12 if k <= dim else None
    if centers is None:
        angles = np.linspace(0, 2 * np.pi, k, endpoint=False)
        centers = np.c_[12 * np.cos(angles), 12 * np.sin(angles)]
    X, y = make_blobs(n_samples=n, centers=centers, cluster_std=1.0, random_state=seed)
    return pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])]), y


def small_tables():
    cust = pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3"],
            "age": [30, 50, 41],
            "signup_date": pd.to_datetime(["2023-01-01", "2022-01-01", "2023-06-01"]),
            "plan": ["Basic", "Plus", "Basic"],
            "monthly_fee": [15.0, 30.0, 15.0],
            "city": ["Tehran", "Shiraz", "Karaj"],
        }
    )
    act = pd.DataFrame(
        {
            "customer_id": ["C1", "C1", "C2", "C3"],
            "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01", "2024-01-01"]),
            "usage_gb": [4.0, 6.0, 1.0, 2.0],
            "spend": [10.0, 12.0, 20.0, 15.0],
            "products_held": [1, 1, 2, 1],
            "care_contacts": [0, 2, 1, 0],
            "complaints": [0, 0, 1, 0],
            "help_video_views": [3, 3, 0, 0],
            "help_article_views": [0, 0, 2, 0],
        }
    )
    inter = pd.DataFrame(
        {
            "customer_id": ["C1", "C1", "C2"],
            "channel": ["chat", "chat", "phone"],
            "timestamp": pd.to_datetime(["2024-02-03", "2024-02-10", "2024-01-05"]),
        }
    )
    surv = pd.DataFrame(
        {
            "customer_id": ["C1", "C1", "C2"],
            "ltr": [9, 7, 3],
            "survey_date": pd.to_datetime(["2024-01-15", "2024-02-15", "2024-01-20"]),
        }
    )
    return cust, act, inter, surv


# ------------------------------------------------------------------ RFM
def test_rfm_hand_computed(tx):
    r = P.rfm(tx, asof="2024-04-01")
    assert r["recency_days"].to_dict() == {"A": 31, "B": 12, "C": 82, "D": 2, "E": 122}
    assert r["frequency"].to_dict() == {"A": 2, "B": 3, "C": 1, "D": 4, "E": 1}
    assert r["monetary"].to_dict() == {"A": 20, "B": 15, "C": 100, "D": 80, "E": 1}
    # R: most recent = 5; F ties (C, E both 1) broken by row order: C first -> 1, E -> 2
    assert r["R"].to_dict() == {"A": 3, "B": 4, "C": 2, "D": 5, "E": 1}
    assert r["F"].to_dict() == {"A": 3, "B": 4, "C": 1, "D": 5, "E": 2}
    assert r["M"].to_dict() == {"A": 3, "B": 2, "C": 5, "D": 4, "E": 1}
    assert r.loc["D", "rfm_code"] == "554" and r.loc["D", "rfm_score"] == 14


def test_rfm_default_asof_is_day_after_last_date(tx):
    r = P.rfm(tx)
    assert r.loc["D", "recency_days"] == 1  # last date 2024-03-30, asof 2024-03-31


def test_rfm_fewer_bins(tx):
    r = P.rfm(tx, asof="2024-04-01", bins=2)
    assert set(r["R"]) == {1, 2}
    assert r["R"].value_counts().sort_index().tolist() == [3, 2]


def test_rfm_segment_rules():
    got = P.rfm_segment(pd.DataFrame({"R": [5, 3, 5, 1, 1, 3], "F": [5, 3, 1, 4, 1, 1]}))
    assert got.tolist() == ["champions", "loyal", "new", "at risk", "lost", "needs attention"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=5, max_size=60))
def test_rfm_scores_balanced_and_monotone(days):
    n = len(days)
    df = pd.DataFrame(
        {
            "id": range(n),
            "d": pd.Timestamp("2024-12-31") - pd.to_timedelta(days, unit="D"),
            "amt": np.arange(n, dtype=float),
        }
    )
    r = P.rfm(df, id_column="id", date_column="d", amount_column="amt", asof="2025-01-01")
    counts = r["R"].value_counts()
    assert counts.max() - counts.min() <= 1 and set(counts.index) == {1, 2, 3, 4, 5}
    # a strictly more recent customer never gets a lower R score (ties may split)
    g = r.groupby("recency_days")["R"]
    lo, hi = g.min().to_numpy(), g.max().to_numpy()
    assert (lo[:-1] >= hi[1:]).all()


def test_rfm_bad_input_lists_every_problem(tx):
    with pytest.raises(ValidationError) as e:
        P.rfm(tx.drop(columns=["amount", "date"]))
    assert {p.column for p in e.value.problems} == {"amount", "date"}
    bad = tx.assign(amount=tx["amount"].astype(object), date=tx["date"].astype(object))
    bad.loc[1, "amount"] = "ten"
    bad.loc[2, "date"] = "yesterday"
    with pytest.raises(ValidationError) as e:
        P.rfm(bad)
    kinds = {(p.column, p.kind) for p in e.value.problems}
    assert ("amount", "not a number column") in kinds and ("date", "not a date") in kinds
    assert any(p.rows == (4,) for p in e.value.problems if p.column == "date")  # spreadsheet row
    with pytest.raises(CxError, match="cannot be split"):
        P.rfm(tx[tx.customer_id.isin(["A", "B"])])
    with pytest.raises(CxError, match="after `asof`"):
        P.rfm(tx, asof="2024-02-01")


# ------------------------------------------------------------------ feature table
def test_customer_features_hand_computed():
    cust, act, inter, surv = small_tables()
    f = features.customer_features(cust, act, inter, surv)
    assert f.loc["C1", "usage_gb_mean"] == 5.0 and f.loc["C1", "care_contacts_mean"] == 1.0
    assert f.loc["C1", "months_active"] == 2
    assert f.loc["C1", "video_share"] == pytest.approx((6 + 1) / (6 + 0 + 2))
    assert f.loc["C3", "video_share"] == 0.5  # never opened help: smoothed to 0.5, not dropped
    assert f.loc["C1", "digital_contact_share"] == pytest.approx((2 + 1) / (2 + 2))
    assert f.loc["C3", "digital_contact_share"] == 0.5
    assert f["preferred_channel"].to_dict() == {"C1": "chat", "C2": "phone", "C3": "none"}
    assert f.loc["C1", "contacts_chat_mean"] == 1.0  # 2 chats over 2 active months
    assert f.loc["C1", "ltr_mean"] == 8.0 and f.loc["C3", "surveys_total"] == 0
    assert np.isnan(f.loc["C3", "ltr_mean"])
    assert f.attrs["n_excluded"] == 0


def test_customer_features_until_is_point_in_time():
    cust, act, inter, surv = small_tables()
    f = features.customer_features(cust, act, inter, surv, cutoff="2024-02-01")
    # only January data; all three were active in January
    assert f.loc["C1", "usage_gb_mean"] == 4.0
    assert f.loc["C1", "preferred_channel"] == "none"  # its chats were in February
    assert f.loc["C1", "surveys_total"] == 1
    assert f.loc["C1", "tenure_months"] == round(396 / 30.44)  # months since signup, as in every feature table
    f2 = features.customer_features(cust, act, cutoff="2024-03-01")
    assert list(f2.index) == ["C1"]  # C2, C3 were not active in February


def test_customer_features_until_leaves_out_customers_who_cancelled_before_it():
    cust, act, _, _ = small_tables()
    act = act.assign(churned=0)
    jan = (act.customer_id == "C2") & (act.month == pd.Timestamp("2024-01-01"))
    act.loc[jan, "churned"] = 1  # C2 cancelled in January, its last month
    f = features.customer_features(cust, act, cutoff="2024-02-01")
    assert "C2" not in f.index and {"C1", "C3"} <= set(f.index)
    # without a cutoff the cancelled customer is still described (full-window table)
    assert "C2" in features.customer_features(cust, act).index


def test_customer_features_counts_customers_without_activity():
    cust, act, _, _ = small_tables()
    f = features.customer_features(cust, act[act.customer_id != "C3"])
    assert f.attrs["n_excluded"] == 1 and "C3" not in f.index


def test_customer_features_bad_input():
    cust, act, inter, _ = small_tables()
    with pytest.raises(ValidationError) as e:
        features.customer_features(cust, act.drop(columns=["usage_gb", "help_video_views"]))
    assert {p.column for p in e.value.problems} == {"usage_gb", "help_video_views"}
    bad = act.assign(spend=["1", "x", "3", "4"])
    with pytest.raises(ValidationError, match="spend"):
        features.customer_features(cust, bad)
    with pytest.raises(ValidationError, match="channel"):
        features.customer_features(cust, act, inter.drop(columns=["channel"]))
    with pytest.raises(CxError, match="DataFrame"):
        features.customer_features([1, 2], act)


# ------------------------------------------------------------------ choosing k, stability
@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_choose_k_finds_separated_blobs(k):
    X, _ = blobs(k, n=80 * k, seed=k)
    t = P.choose_k(X.to_numpy(), range(2, 8))
    assert int(t.loc[t["chosen"], "k"].iloc[0]) == k
    assert t["chosen"].sum() == 1


def test_choose_k_respects_minimum_size():
    # three big blobs and a tiny fourth one (2% of rows): silhouette may like k = 4,
    # but min_size = 5% forbids a segment that small
    X, _ = make_blobs(n_samples=[150, 150, 150, 9], centers=[[0, 0], [12, 0], [0, 12], [12, 12]], random_state=0)
    free = P.choose_k(X, range(2, 6), min_size=0.0)
    assert int(free.loc[free["chosen"], "k"].iloc[0]) == 4
    t = P.choose_k(X, range(2, 6), min_size=0.05)
    assert int(t.loc[t["chosen"], "k"].iloc[0]) == 3
    assert not t.loc[t["k"] == 4, "eligible"].iloc[0]


def test_stability_high_on_blobs_low_on_noise():
    X, y = blobs(4, n=400, seed=1)
    Z = (X - X.mean()) / X.std()
    good = P.stability(Z, P.Segmenter(k=4).fit(X).labels_, n_boot=10)
    assert good.ari_mean > 0.95
    assert (good.jaccard["verdict"] == "stable").all()
    noise = np.random.default_rng(0).normal(size=(400, 6))
    seg = P.Segmenter(k=6, log=None).fit(pd.DataFrame(noise))
    bad = seg.stability(n_boot=10)
    assert bad.ari_mean < 0.7
    assert (bad.jaccard["verdict"] != "stable").any()
    assert "mean ARI" in repr(bad)


def test_stability_bad_input():
    with pytest.raises(CxError, match="must match"):
        P.stability(np.zeros((10, 2)), [0, 1], 2)
    with pytest.raises(CxError, match="k"):
        P.stability(np.zeros((3, 2)), [0, 1, 2], 3)


# ------------------------------------------------------------------ Segmenter
def test_segmenter_recovers_blobs_and_orders_by_size():
    X, y = make_blobs(n_samples=[50, 200, 120], centers=[[0, 0], [10, 0], [0, 10]], random_state=0)
    X = pd.DataFrame(X, columns=["a", "b"])
    seg = P.Segmenter(random_state=0).fit(X)
    assert seg.k_ == 3
    assert seg.summary["size"].tolist() == [200, 120, 50]
    assert P.compare_segments(seg.labels_, pd.Series(y)).ari == pytest.approx(1.0)
    assert (seg.predict(X) == seg.labels_).all()
    assert seg.summary["share"].sum() == pytest.approx(1.0)
    assert "k=3 (chosen by silhouette)" in repr(seg)


def test_segmenter_logs_skewed_columns_only():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"money": rng.lognormal(3, 1, 300), "age": rng.normal(40, 10, 300)})
    seg = P.Segmenter(k=2).fit(X)
    assert seg.log_features_ == ["money"]
    Z = seg.transform(X)
    assert np.allclose(Z.mean(axis=0), 0) and np.allclose(Z.std(axis=0), 1)


def test_segmenter_is_deterministic():
    X, _ = blobs(3, n=300, seed=4)
    a = P.Segmenter(random_state=7).fit(X).labels_
    b = P.Segmenter(random_state=7).fit(X).labels_
    assert (a == b).all()


def test_segmenter_bad_input_lists_every_problem():
    X = pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0], "b": ["x", "y", "z", "w"], "c": [1, 2, 3, 4]})
    with pytest.raises(ValidationError) as e:
        P.Segmenter(k=2, feature_columns=["a", "b", "c"]).fit(X)
    kinds = {p.column: p.kind for p in e.value.problems}
    assert kinds == {"a": "missing values", "b": "not a number column"}
    with pytest.raises(ValidationError) as e:
        P.Segmenter(k=2, feature_columns=["a", "zz", "yy"]).fit(X)
    assert {p.column for p in e.value.problems} == {"zz", "yy"}
    with pytest.raises(CxError, match="too few"):
        P.Segmenter(k=4, feature_columns=["c"]).fit(X)
    with pytest.raises(CxError, match="too few"):
        P.Segmenter(feature_columns=["c"]).fit(X)  # k_range goes to 8
    with pytest.raises(CxError, match="at least 2"):
        P.Segmenter(k=1, feature_columns=["c"]).fit(X)
    with pytest.raises(CxError, match="not fitted"):
        P.Segmenter(k=2).predict(X)
    with pytest.raises(CxError, match="negative"):
        P.Segmenter(k=2, log=["c"]).fit(X.assign(c=[-1, 2, 3, 4])[["c"]])
    with pytest.raises(CxError, match="DataFrame"):
        P.Segmenter(k=2).fit(np.zeros((10, 2)))


def test_segmenter_plots():
    X, _ = blobs(3, n=150)
    seg = P.Segmenter(k_range=range(2, 5)).fit(X)
    assert "k = 3" in plots.personas.silhouette(seg).get_title(loc="left")
    import matplotlib.pyplot as plt

    plt.close("all")
    ax = plots.personas.profile(seg)
    assert len(ax.get_yticklabels()) == 3
    plt.close("all")


# ------------------------------------------------------------------ persona cards
@pytest.fixture
def two_groups():
    f = pd.DataFrame(
        {
            "age": [25, 27, 29, 31, 55, 60, 58, 52],
            "video_share": [0.8, 0.9, 0.85, 0.75, 0.2, 0.1, 0.15, 0.25],
            "help_views_mean": [3, 4, 5, 4, 3, 4, 2, 3],
            "spend_mean": [30, 31, 29, 30, 30, 29, 31, 30],
            "preferred_channel": ["chat", "chat", "chat", "none", "phone", "phone", "store", "phone"],
        }
    )
    return f, pd.Series([0, 0, 0, 0, 1, 1, 1, 1])


def test_persona_card_traits_match_numbers(two_groups):
    f, lab = two_groups
    cards = P.persona_cards(f, lab, aliases={0: "Anne", 1: "John"})
    anne, john = cards.by_segment(0), cards.by_segment(1)
    assert anne.median_age == 28.0 and john.median_age == 56.5
    assert anne.size == 4 and anne.share == 0.5
    assert anne.content_kind == "video" and john.content_kind == "web page"
    assert "82%" in anne.content  # mean video share (.8+.9+.85+.75)/4 = 0.825
    assert anne.channel.startswith("chat (75% of members")
    assert john.channel.startswith("phone (75%")
    age_trait = next(t for t in anne.traits if t.feature == "age")
    assert age_trait.value == 28.0 and age_trait.overall == f["age"].median()
    sd = f["age"].std(ddof=0)
    assert age_trait.z == pytest.approx((f["age"][:4].mean() - f["age"].mean()) / sd)
    assert "younger" in anne.name and "older" in john.name
    # spend is identical on average: the card warns it is not a trait of the segment
    assert any("spend" in w for w in anne.warnings)
    assert any("motives" in w for w in anne.warnings)
    assert "(fictional name)" in anne.title
    assert "Anne" in cards._repr_html_() and "Not supported by the data" in cards._repr_html_()
    assert "NOT supported by the data" in str(anne)
    assert cards.table().loc[1, "content"] == "web page"


def test_persona_cards_with_segmenter_and_stability():
    X, _ = blobs(3, n=300, seed=2)
    X["age"] = np.r_[np.full(100, 30), np.full(100, 40), np.full(100, 50)]
    seg = P.Segmenter(k=3, feature_columns=["x0", "x1"]).fit(X)
    st_res = seg.stability(n_boot=5)
    cards = P.persona_cards(X, seg.labels_, z=seg.centers_z_, stability=st_res)
    assert [c.segment for c in cards] == [0, 1, 2]
    for c in cards:
        assert c.stability == pytest.approx(st_res.jaccard.loc[c.segment, "jaccard"])
        assert c.z.keys() == {"x0", "x1"} or not c.z  # only segmentation features carry centroid z
        assert c.content_kind == "unknown" and "unknown" in c.channel


def test_persona_cards_flag_unstable_segments(two_groups):
    f, lab = two_groups
    fake = P.StabilityResult(
        ari=np.array([0.3]), n_boot=1, jaccard=pd.DataFrame({"jaccard": [0.9, 0.4], "verdict": ["stable", "dissolved"]})
    )
    cards = P.persona_cards(f, lab, stability=fake)
    assert "dissolved" in cards[1].warnings[0]
    assert not any("real group" in w for w in cards[0].warnings)


def test_persona_cards_bad_input(two_groups):
    f, lab = two_groups
    with pytest.raises(CxError, match="segment label"):
        P.persona_cards(f, pd.Series([0, 1]))
    with pytest.raises(CxError, match="DataFrame"):
        P.persona_cards([1, 2], [0, 1])


def test_best_match():
    z = pd.DataFrame({"age": [-1.0, 0.9, 0.1], "video_share": [0.8, -0.7, 0.0]})
    assert P.best_match(z, {"age": -1, "video_share": 1}) == 0
    assert P.best_match(z, {"age": 1, "video_share": -1}) == 1
    with pytest.raises(ValidationError):
        P.best_match(z, {"income": 1})


# ------------------------------------------------------------------ comparison and outcomes
def test_compare_segments_relabelled_and_independent():
    a = pd.Series([0, 0, 1, 1, 2, 2])
    assert P.compare_segments(a, a.map({0: "x", 1: "y", 2: "z"})).ari == pytest.approx(1.0)
    rng = np.random.default_rng(0)
    r = P.compare_segments(pd.Series(rng.integers(0, 3, 3000)), pd.Series(rng.integers(0, 3, 3000)))
    assert abs(r.ari) < 0.02 and r.crosstab.to_numpy().sum() == 3000
    with pytest.raises(CxError, match="share no"):
        P.compare_segments(pd.Series([1], index=["a"]), pd.Series([1], index=["b"]))


def test_rate_by_segment_wilson_hand_computed():
    lab = pd.Series([0] * 10 + [1] * 10)
    out = pd.Series([1] * 2 + [0] * 8 + [1] * 6 + [0] * 4, dtype=float)
    out.iloc[19] = np.nan
    r = P.rate_by_segment(lab, out)
    # Wilson 2/10: centre (2 + 1.92)/(10 + 3.84), half-width 1.96*sqrt(.2*.8*10 + .96)/13.84
    z = 1.959963984540054
    centre = (2 + z * z / 2) / (10 + z * z)
    half = z * np.sqrt(10 * 0.2 * 0.8 + z * z / 4) / (10 + z * z)
    assert r.loc[0, "ci_low"] == pytest.approx(centre - half)
    assert r.loc[0, "ci_high"] == pytest.approx(centre + half)
    assert r.loc[1, "n"] == 9 and r.loc[1, "n_missing"] == 1 and r.loc[1, "events"] == 6
    with pytest.raises(ValidationError, match="0/1"):
        P.rate_by_segment(lab, pd.Series([2] * 20, name="nps"))


# ------------------------------------------------------------------ simulator truth
@pytest.fixture(scope="module")
def sim_features():
    datasets = pytest.importorskip("cxlib.data.datasets")
    try:
        truth = datasets.load_truth()
        f = features.customer_features(
            datasets.load_customers(), datasets.load_activity(), datasets.load_interactions()
        )
    except (FileNotFoundError, OSError):  # pragma: no cover - data not generated yet
        pytest.skip("bundled data not available")
    return f, truth.customers.set_index("customer_id")["persona"]


def test_recovers_true_personas_on_bundled_data(sim_features):
    f, persona = sim_features
    seg = P.Segmenter(k=4, feature_columns=features.DEFAULT_FEATURES, random_state=0).fit(f)
    cmp = P.compare_segments(seg.labels_, persona)
    assert cmp.ari > 0.6
    st_res = seg.stability(n_boot=5)
    assert st_res.ari_mean > 0.9
    cards = P.persona_cards(f, seg.labels_, z=seg.centers_z_)
    anne = cards.by_segment(P.best_match(seg.centers_z_, {"age": -1, "help_video_views_mean": 1}))
    john = cards.by_segment(P.best_match(seg.centers_z_, {"age": 1, "help_article_views_mean": 1}))
    assert anne.content_kind == "video" and john.content_kind == "web page"
    assert anne.median_age < john.median_age
    # the "Anne" segment is mostly the simulator's digital self-starters, "John" its guided learners
    ct = cmp.crosstab
    assert ct.loc[anne.segment].idxmax() == "digital_self_starter"
    assert ct.loc[john.segment].idxmax() == "guided_learner"


def test_segments_without_a_clear_feature_get_distinct_honest_names():
    """No "average customers" twice: a segment with no named feature gets its number and the reason."""
    rng = np.random.default_rng(0)
    unnamed = pd.DataFrame({"frequency": np.r_[rng.normal(1, 0.1, 50), rng.normal(9, 0.1, 50)]})
    cards = P.persona_cards(unnamed, [0] * 50 + [1] * 50)
    names = [c.name for c in cards]
    assert len(set(names)) == 2 and all("no plain-language words" in n for n in names)
    same = pd.DataFrame({"spend_mean": rng.normal(30, 1, 100)})
    cards = P.persona_cards(same, [0, 1] * 50)
    assert [c.name.split(":")[0] for c in cards] == ["segment 0", "segment 1"]
    assert all("close to the average customer" in c.name for c in cards)
