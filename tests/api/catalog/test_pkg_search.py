"""GET /v1/catalog/packages: visibility modes, every filter, relevance, sorting, paging."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .catalog_helpers import ADMIN, ALICE, BOB, auth

URL = "/v1/catalog/packages"


@pytest.fixture
def catalog(make_package, upload) -> dict[str, str]:
    """Alice owns three packages (one disabled), the admin one public, Bob one private."""
    ids = {}
    ids["apache"] = upload(make_package(
        "com.example.alpha.Apache", name="Apache Server", tags=["http", "web"],
        manifest={"Description": "Serves pages"}), {"categories": ["Web"]},
        token=ALICE).json()["id"]
    ids["mysql"] = upload(make_package(
        "com.example.beta.Mysql", name="MySQL", tags=["db"],
        classes=["com.example.beta.Mysql", "com.example.beta.Replica"],
        manifest={"Type": "Library", "Description": "Keeps apache logs"}),
        {"categories": ["Databases", "Web"]}, token=ALICE).json()["id"]
    ids["cache"] = upload(make_package(
        "org.other.Cache", name="Cache", tags=["kv", "a,b"], manifest={"Author": "Acme"}),
        {"categories": ["Key-Value Storage"], "enabled": False}, token=ALICE).json()["id"]
    ids["shared"] = upload(make_package("io.pub.Shared", name="Shared", tags=["web"]),
                           {"is_public": True}, token="root:pub:admin").json()["id"]
    ids["bob"] = upload(make_package("com.bob.Private", name="Bob's"), token=BOB).json()["id"]
    return ids


def names(api: httpx.Client, token: str = ALICE, **params: Any) -> list[str]:
    resp = api.get(URL, headers=auth(token), params=params)
    assert resp.status_code == 200, resp.text
    return [p["name"] for p in resp.json()["packages"]]


def test_default_listing_is_own_and_public_enabled_sorted_by_name(api, catalog) -> None:
    assert names(api) == ["Apache Server", "MySQL", "Shared"]
    assert names(api, BOB) == ["Bob's", "Shared"]


def test_admin_sees_everything_except_in_catalog_mode(api, catalog) -> None:
    assert names(api, ADMIN) == ["Apache Server", "Bob's", "MySQL", "Shared"]
    assert names(api, ADMIN, catalog="true") == ["Shared"]
    assert names(api, ALICE, catalog="True") == ["Apache Server", "MySQL", "Shared"]


def test_include_disabled_and_owned(api, catalog) -> None:
    assert names(api, include_disabled="true") == ["Apache Server", "Cache", "MySQL", "Shared"]
    assert names(api, owned="True") == ["Apache Server", "MySQL"]
    assert names(api, owned="true", include_disabled="TRUE") == ["Apache Server", "Cache",
                                                                   "MySQL"]


def test_type_is_title_cased(api, catalog) -> None:
    assert names(api, type="library") == ["MySQL"]
    assert names(api, type="APPLICATION") == ["Apache Server", "Shared"]


def test_id_filter_repeats_and_in_operator(api, catalog) -> None:
    ids = catalog
    assert names(api, id=[ids["apache"], ids["shared"]]) == ["Apache Server", "Shared"]
    assert names(api, id=f"in:{ids['mysql']},{ids['shared']}") == ["MySQL", "Shared"]
    # Another project's private package stays invisible even by id.
    assert names(api, id=ids["bob"]) == []


def test_category_and_tag_filters(api, catalog) -> None:
    assert names(api, category="Web") == ["Apache Server", "MySQL"]
    assert names(api, category="in:Databases,Key-Value Storage",
                 include_disabled="true") == ["Cache", "MySQL"]
    assert names(api, category=["Databases", "Web"]) == ["Apache Server", "MySQL"]
    assert names(api, tag="web") == ["Apache Server", "Shared"]
    # Quotes protect a comma inside one value.
    assert names(api, tag='in:"a,b",db', include_disabled="true") == ["Cache", "MySQL"]


def test_malformed_in_operator_is_ignored(api, catalog) -> None:
    assert names(api, tag='in:"a,b') == ["Apache Server", "MySQL", "Shared"]


def test_exact_filters(api, catalog) -> None:
    assert names(api, class_name="com.example.beta.Replica") == ["MySQL"]
    assert names(api, class_name="com.example.beta") == []
    assert names(api, fqn="io.pub.Shared") == ["Shared"]
    assert names(api, name="MySQL") == ["MySQL"]
    assert names(api, name="mysql") == []


def test_search_ranks_name_before_description(api, catalog) -> None:
    assert names(api, search="apache") == ["Apache Server", "MySQL"]


def test_search_words_split_on_comma_and_semicolon(api, catalog) -> None:
    assert names(api, search="mysql;cache", include_disabled="true") == ["Cache", "MySQL"]
    assert names(api, search="shared, replica") == ["Shared", "MySQL"]  # name, then class


@pytest.mark.parametrize("word, expected", [
    ("example.alpha", ["Apache Server"]),        # fully qualified name
    ("pages", ["Apache Server"]),                # description
    ("databases", ["MySQL"]),                    # category
    ("db", ["MySQL"]),                           # tag
    ("Replica", ["MySQL"]),                      # class
    ("acme", ["Cache"]),                         # author
    ("%", []),                                   # LIKE wildcards are literal
])
def test_search_covers_each_field(api, catalog, word: str, expected: list[str]) -> None:
    assert names(api, search=word, include_disabled="true") == expected


def test_unknown_parameters_and_order_values_are_ignored(api, catalog) -> None:
    assert names(api, color="blue", order_by="size") == ["Apache Server", "MySQL", "Shared"]


def test_order_by_and_sort_dir(api, catalog) -> None:
    assert names(api, ADMIN, order_by="fqn") == ["Bob's", "Apache Server", "MySQL", "Shared"]
    assert names(api, ADMIN, order_by="fqn", sort_dir="desc") == ["Shared", "MySQL",
                                                                  "Apache Server", "Bob's"]
    assert names(api, ADMIN, sort_dir="desc") == ["Shared", "MySQL", "Bob's", "Apache Server"]
    created = names(api, ADMIN, order_by=["created", "name"])
    assert sorted(created) == sorted(names(api, ADMIN))


@pytest.mark.parametrize("limit", ["abc", "0", "-3", "1.5"])
def test_bad_limit_is_400(api, catalog, limit: str) -> None:
    resp = api.get(URL, params={"limit": limit})
    assert resp.status_code == 400 and "Limit param must be" in resp.json()["error"]["message"]


def test_bad_sort_dir_is_400(api, catalog) -> None:
    resp = api.get(URL, params={"sort_dir": "up"})
    assert resp.status_code == 400 and "sort direction" in resp.json()["error"]["message"]


def test_unknown_or_invisible_marker_is_404(api, catalog) -> None:
    assert api.get(URL, params={"marker": "f" * 32}).status_code == 404
    resp = api.get(URL, headers=auth(ALICE), params={"marker": catalog["bob"]})
    assert resp.status_code == 404
    assert "Bob" not in resp.text


def test_next_marker_only_when_the_page_is_full(api, catalog) -> None:
    page = api.get(URL, headers=auth(ALICE), params={"limit": 3}).json()
    assert len(page["packages"]) == 3 and page["next_marker"] == page["packages"][-1]["id"]
    last = api.get(URL, headers=auth(ALICE),
                   params={"limit": 3, "marker": page["next_marker"]}).json()
    assert last == {"packages": []}
    short = api.get(URL, headers=auth(ALICE), params={"limit": 4}).json()
    assert len(short["packages"]) == 3 and "next_marker" not in short


def _walk(api: httpx.Client, params: dict[str, Any]) -> list[str]:
    seen: list[str] = []
    marker = None
    for _ in range(100):
        query = dict(params, **({"marker": marker} if marker else {}))
        body = api.get(URL, params=query).json()
        seen += [p["id"] for p in body["packages"]]
        marker = body.get("next_marker")
        if marker is None:
            return seen
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize("params, count", [
    ({}, 23),
    ({"sort_dir": "desc"}, 23),
    ({"order_by": "fqn"}, 23),
    ({"order_by": ["created", "fqn"], "sort_dir": "desc"}, 23),
    ({"search": "App 1;even"}, 15),  # relevance first: name matches, then tag matches
    ({"tag": "in:even,odd", "type": "application"}, 23),
])
def test_following_next_marker_reaches_every_package_once(api, make_package, upload,
                                                          params: dict[str, Any],
                                                          count: int) -> None:
    for i in range(23):
        # Names repeat, so the id tiebreaker decides the order within a name.
        upload(make_package(f"com.example.page.App{i:02d}", name=f"App {i % 5}",
                            tags=["even" if i % 2 == 0 else "odd"]))
    everything = api.get(URL, params=dict(params, limit=100)).json()["packages"]
    assert len(everything) == count
    if "search" in params:
        ranked = [p["name"] == "App 1" for p in everything]
        assert ranked == sorted(ranked, reverse=True) and ranked.count(True) == 5
    for limit in (1, 4, 7, 20):
        assert _walk(api, dict(params, limit=limit)) == [p["id"] for p in everything]


def test_default_limit_is_20(api, make_package, upload) -> None:
    for i in range(21):
        upload(make_package(f"com.example.many.App{i:02d}"))
    page = api.get(URL).json()
    assert len(page["packages"]) == 20 and "next_marker" in page
    assert len(api.get(URL, params={"limit": 100}).json()["packages"]) == 21
