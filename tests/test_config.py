import pytest

from graphrnn.config import Config, ConfigError


def test_defaults_are_the_tutorial_sized_model():
    config = Config()
    assert [layer["units"] for layer in config.RNN_LAYERS] == [32, 16]
    assert config.INPUT_SEQUENCE_LENGTH == 24 and config.BATCH_SIZE == 64


def test_config_is_frozen_and_replace_checks_again():
    config = Config()
    with pytest.raises(AttributeError):
        config.EPOCHS = 3
    with pytest.raises(TypeError):
        config.RNN_LAYERS[0]["units"] = 3
    assert config.replace(EPOCHS=3).EPOCHS == 3
    with pytest.raises(ConfigError, match="EPOCHS"):
        config.replace(EPOCHS=0)


def test_auto_unrolling_is_static_for_short_windows_only():
    assert Config(INPUT_SEQUENCE_LENGTH=24).UNROLLING == "static"
    assert Config(INPUT_SEQUENCE_LENGTH=97).UNROLLING == "dynamic"
    assert Config(INPUT_SEQUENCE_LENGTH=500, UNROLL="static").UNROLLING == "static"
    with pytest.raises(ConfigError, match="UNROLL must be .*got 'fast'"):
        Config(UNROLL="fast")


def test_grappler_takes_auto_on_or_off():
    assert Config().GRAPPLER == "auto" and Config(GRAPPLER="off").GRAPPLER == "off"
    with pytest.raises(ConfigError, match="GRAPPLER must be .*got True"):
        Config(GRAPPLER=True)


def test_layers_keep_prob_defaults_to_one():
    assert Config(RNN_LAYERS=[{"units": 4}]).RNN_LAYERS[0]["keep_prob"] == 1.0


@pytest.mark.parametrize("changes, field, shown", [
    ({"RNN_LAYERS": [{"units": 0}]}, 'RNN_LAYERS[0]["units"]', "0"),
    ({"RNN_LAYERS": [{"units": 4}, {"units": 2.5}]}, 'RNN_LAYERS[1]["units"]', "2.5"),
    ({"RNN_LAYERS": [{"units": 4, "keep_prob": 0.0}]}, 'RNN_LAYERS[0]["keep_prob"]', "0.0"),
    ({"RNN_LAYERS": [{"units": 4, "keep_prob": 1.5}]}, 'RNN_LAYERS[0]["keep_prob"]', "1.5"),
    ({"RNN_LAYERS": [{"units": 4, "keeprob": 0.5}]}, "RNN_LAYERS[0]", "keeprob"),
    ({"RNN_LAYERS": []}, "RNN_LAYERS", "[]"),
    ({"LEARNING_RATE_DECAY_RATE": 0.0}, "LEARNING_RATE_DECAY_RATE", "0.0"),
    ({"LEARNING_RATE_DECAY_RATE": -0.5}, "LEARNING_RATE_DECAY_RATE", "-0.5"),
    ({"LEARNING_RATE_DECAY_STEPS": 0}, "LEARNING_RATE_DECAY_STEPS", "0"),
    ({"INITIAL_LEARNING_RATE": float("nan")}, "INITIAL_LEARNING_RATE", "nan"),
    ({"INITIAL_LEARNING_RATE": -1.0}, "INITIAL_LEARNING_RATE", "-1.0"),
    ({"INPUT_SEQUENCE_LENGTH": 0}, "INPUT_SEQUENCE_LENGTH", "0"),
    ({"OUTPUT_SEQUENCE_STEPS_AHEAD": -1}, "OUTPUT_SEQUENCE_STEPS_AHEAD", "-1"),
    ({"BATCH_SIZE": True}, "BATCH_SIZE", "True"),
    ({"EPOCHS": "ten"}, "EPOCHS", "'ten'"),
    ({"DROPOUT_RATE": 1.0}, "DROPOUT_RATE", "1.0"),
    ({"DROPOUT_RATE": -0.1}, "DROPOUT_RATE", "-0.1"),
    ({"VALIDATION_FRACTION": 0.5, "TEST_FRACTION": 0.5}, "VALIDATION_FRACTION + TEST_FRACTION",
     "0.5"),
    ({"SEED": -3}, "SEED", "-3"),
    ({"REGULARISATION_SCALE": -0.1}, "REGULARISATION_SCALE", "-0.1"),
    ({"REGULARISATION_SCALE": float("inf")}, "REGULARISATION_SCALE", "inf"),
    ({"CALENDAR_FEATURES": "yes"}, "CALENDAR_FEATURES", "'yes'"),
    ({"CALENDAR_FEATURES": 1}, "CALENDAR_FEATURES", "1"),
    ({"OPTIMIZER": "rmsprop"}, "OPTIMIZER", "'rmsprop'"),
    ({"INPUT_COLUMNS": "Appliances"}, "INPUT_COLUMNS", "'Appliances'"),
    ({"INPUT_COLUMNS": ["Appliances", 3]}, "INPUT_COLUMNS", "3"),
])
def test_nonsense_is_rejected_naming_field_and_value(changes, field, shown):
    with pytest.raises(ConfigError) as caught:
        Config(**changes)
    message = str(caught.value)
    assert field in message and shown in message
    assert isinstance(caught.value, ValueError)


def test_input_columns_are_kept_as_a_tuple_and_written_as_a_list():
    config = Config(INPUT_COLUMNS=["Appliances", "lights"])
    assert config.INPUT_COLUMNS == ("Appliances", "lights")
    assert config.to_dict()["INPUT_COLUMNS"] == ["Appliances", "lights"]
    assert Config(**config.to_dict()) == config  # --resume reads it back
    assert Config().INPUT_COLUMNS == ()  # every numeric column, as the tutorial
