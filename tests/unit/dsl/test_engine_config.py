"""config(): engine settings visible only to classes of package io.murano."""

from __future__ import annotations

import pytest

from fornace.dsl.packages import StaticPackageSource, load_class_folder
from fornace.dsl.testing import Object, Runner
from fornace.dsl.yaql_context import parser_for

READER = """
Namespaces:
  =: io.murano
Name: ConfigReader
Methods:
  testRead:
    Body:
      - Return: list(config(engine, agent_timeout), config(engine).keys())
"""


def test_config_visible_to_core_package(tmp_path):
    (tmp_path / "ConfigReader.yaml").write_text(READER)
    package = load_class_folder(tmp_path, name="io.murano")
    source = StaticPackageSource([package], parser_for((1, 0)))
    runner = Runner(Object("io.murano.ConfigReader"), source,
                    config={"engine": {"agent_timeout": 3600}})
    assert runner.testRead() == [3600, ["agent_timeout"]]


def test_config_invisible_to_other_packages(tmp_path):
    (tmp_path / "ConfigReader.yaml").write_text(READER.replace("io.murano", "com.example"))
    package = load_class_folder(tmp_path, name="com.example")
    source = StaticPackageSource([package], parser_for((1, 0)))
    runner = Runner(Object("com.example.ConfigReader"), source,
                    config={"engine": {"agent_timeout": 3600}})
    with pytest.raises(Exception, match='function "config"'):
        runner.testRead()
