from __future__ import annotations

from fornace.dsl.testing import Object


def test_config_property_from_class_config_with_contract(make_runner):
    runner = make_runner(Object("cfg.Configured", port=555, other="model"),
                         class_config={"cfg.Configured": {"port": "987", "mode": "custom",
                                                          "other": "ignored"}})
    # Config usage ignores the model; class config overrides a default, never a model value
    assert runner.testValues() == [987, "custom", "model"]


def test_config_property_default_without_class_config(make_runner):
    runner = make_runner(Object("cfg.Configured", port=555))
    assert runner.testValues() == [123, "standard", "plain"]


def test_config_property_is_writable(make_runner):
    assert make_runner(Object("cfg.Configured")).testWriteConfig() == 9


def test_config_properties_not_serialised(make_runner):
    runner = make_runner(Object("cfg.Configured"))
    assert "port" not in runner.serialized_model["Objects"]
