from __future__ import annotations

import jsonschema

from fornace.dsl import class_schema
from fornace.dsl.testing import Object


def test_class_schema(make_runner):
    runner = make_runner(Object("sch.Form", name="n", flavor="small", email="a@b", tags=["t"]))
    schema = class_schema(runner.executor.load_class("sch.Form"))
    props = schema["properties"]
    assert schema["title"] == "A form"
    assert props["name"] == {"type": "string", "title": "Name"}
    assert props["count"] == {"type": ["integer", "null"], "minimum": 1, "exclusiveMaximum": 10,
                              "default": 2}
    assert props["flavor"] == {"type": ["string", "null"], "enum": ["small", "large"]}
    assert props["email"] == {"type": ["string", "null"], "pattern": "^[a-z]+@[a-z]+$"}
    assert props["target"] == {"type": ["muranoObject", "null"], "muranoType": "sch.Form"}
    assert props["tags"] == {"type": "array", "items": {"type": ["string", "null"]},
                             "minItems": 1, "maxItems": 3}
    assert props["labels"] == {"type": "object", "properties": {},
                               "additionalProperties": {"type": ["integer", "null"]}}
    assert props["fixed"] == {"type": "object", "properties": {"a": {"type": ["boolean", "null"]}},
                              "additionalProperties": False}
    assert "hidden" not in props
    assert schema["required"] == ["name"]


def test_schema_is_valid_json_schema(make_runner):
    runner = make_runner(Object("sch.Form", name="n", flavor="small", email="a@b", tags=["t"]))
    schema = class_schema(runner.executor.load_class("sch.Form"))
    checkable = {k: v for k, v in schema.items() if k != "properties"}
    jsonschema.Draft4Validator.check_schema(checkable)
