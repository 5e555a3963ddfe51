from atelier.http.caching import etag_for, matches


def test_etag_depends_on_content_not_key_order():
    assert etag_for({"a": 1, "b": [1, 2]}) == etag_for({"b": [1, 2], "a": 1})
    assert etag_for({"a": 1}) != etag_for({"a": 2})
    assert etag_for({"a": 1}).startswith('"') and etag_for({"a": 1}).endswith('"')


def test_if_none_match_forms():
    tag = etag_for({"x": 1})
    assert matches(tag, tag)
    assert matches(f'"other", {tag}', tag)
    assert matches(f"W/{tag}", tag)
    assert matches("*", tag)
    assert not matches('"other"', tag)
    assert not matches(None, tag) and not matches("", tag)
