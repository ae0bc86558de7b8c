"""tf.contrib.learn.preprocessing as graphrnn-tf1 rebuilds it: VocabularyProcessor and
CategoricalVocabulary with TF 1.15's rules, and files TF 1.x wrote (pickles naming TF1's
module paths, made here by pickling under those paths) loading."""

import pickle
import sys
import types

import numpy as np
import pytest

from graphrnn.tf1.api.contrib.learn import preprocessing
from graphrnn.tf1.runner import view
from graphrnn.tf1.api.contrib.learn.preprocessing import CategoricalVocabulary, VocabularyProcessor

TEXTS = ["the cat sat on the mat", "the dog sat", "a cat, a dog and the HTTPServer",
         "dog's day"]


def test_the_tokenizer_is_tf1s_regex():
    assert list(preprocessing.tokenizer(["HTTPServer isn't well-known, OK?"])) == [
        ["HTTP", "Server", "isn't", "well-known", "OK"]]


def test_fit_transform_numbers_words_in_order_of_first_sight_and_pads_with_zeros():
    processor = VocabularyProcessor(max_document_length=4)
    ids = np.array(list(processor.fit_transform(TEXTS)))
    assert ids.dtype == np.int64 and ids.shape == (4, 4)
    np.testing.assert_array_equal(ids[0], [1, 2, 3, 4])  # the cat sat on (cut at 4)
    np.testing.assert_array_equal(ids[1], [1, 6, 3, 0])  # the dog sat, padded
    assert len(processor.vocabulary_) == 13  # <UNK> and 12 words ("HTTPServer" is two)
    unknown = np.array(list(processor.transform(["the zebra"])))  # frozen by fit
    np.testing.assert_array_equal(unknown[0], [1, 0, 0, 0])
    assert list(processor.reverse([[1, 6, 3, 0]])) == ["the dog sat <UNK>"]


def test_min_frequency_keeps_words_seen_more_often_renumbered_by_frequency():
    processor = VocabularyProcessor(max_document_length=3, min_frequency=1)
    processor.fit(TEXTS)
    vocabulary = processor.vocabulary_
    # the: 4, then dog, cat, sat and a twice each (ties alphabetically); once: dropped
    assert [vocabulary.reverse(i) for i in range(len(vocabulary))] == [
        "<UNK>", "the", "a", "cat", "dog", "sat"]
    assert vocabulary.get("mat") == 0
    trimmed = CategoricalVocabulary()
    for word, count in (("x", 5), ("y", 3), ("z", 1)):
        trimmed.add(word, count)
    trimmed.trim(min_frequency=0, max_frequency=5)  # max_frequency drops the frequent
    assert [trimmed.reverse(i) for i in range(len(trimmed))] == ["<UNK>", "y", "z"]
    with pytest.raises(ValueError, match="support_reverse"):
        CategoricalVocabulary(support_reverse=False).reverse(0)


def write_as_tf1(processor, path, protocol):
    """Pickle `processor` as TF 1.x did: its classes and tokenizer under TF1's module
    paths (stand-in modules, removed again)."""
    text = types.ModuleType(preprocessing.TF1_MODULES[0])
    vocabulary = types.ModuleType(preprocessing.TF1_MODULES[1])
    classes = {}
    for module, name in ((text, "VocabularyProcessor"), (vocabulary, "CategoricalVocabulary")):
        classes[name] = type(name, (), {"__module__": module.__name__})
        setattr(module, name, classes[name])

    def tokenizer(iterator):
        pass
    tokenizer.__module__, tokenizer.__qualname__ = text.__name__, "tokenizer"
    text.tokenizer = tokenizer
    twin_vocabulary = classes["CategoricalVocabulary"].__new__(classes["CategoricalVocabulary"])
    twin_vocabulary.__dict__.update(processor.vocabulary_.__dict__)
    twin = classes["VocabularyProcessor"].__new__(classes["VocabularyProcessor"])
    twin.__dict__.update(processor.__dict__, vocabulary_=twin_vocabulary, _tokenizer=tokenizer)
    sys.modules.update({text.__name__: text, vocabulary.__name__: vocabulary})
    try:
        path.write_bytes(pickle.dumps(twin, protocol=protocol))
    finally:
        del sys.modules[text.__name__], sys.modules[vocabulary.__name__]


@pytest.mark.parametrize("protocol", [0, 2, 4])
def test_files_tf1_wrote_and_files_written_here_restore(tmp_path, protocol):
    processor = VocabularyProcessor(max_document_length=5, min_frequency=1).fit(TEXTS)
    write_as_tf1(processor, tmp_path / "vocab", protocol)
    module = b"tensorflow.contrib.learn.python.learn.preprocessing"
    assert module in (tmp_path / "vocab").read_bytes()
    restored = VocabularyProcessor.restore(tmp_path / "vocab")
    assert isinstance(restored, VocabularyProcessor)
    assert restored._tokenizer is preprocessing.tokenizer
    want = np.array(list(processor.transform(TEXTS)))
    np.testing.assert_array_equal(np.array(list(restored.transform(TEXTS))), want)
    processor.save(tmp_path / "here")
    again = VocabularyProcessor.restore(tmp_path / "here")
    np.testing.assert_array_equal(np.array(list(again.transform(TEXTS))), want)


def test_it_is_there_as_tf_contrib_learn_preprocessing():
    root = view.tf1_namespace()
    assert root.contrib.learn.preprocessing.VocabularyProcessor is VocabularyProcessor
    with pytest.raises(view.RemovedSymbol):
        root.contrib.learn.Estimator


def test_a_file_saved_when_the_module_was_graphrnn_tf1_preprocessing_restores(tmp_path):
    """graphrnn-tf1 kept the processor in graphrnn.tf1.preprocessing until the TF1 wing
    moved into its three packages; a vocabulary saved then names that module."""
    processor = VocabularyProcessor(4)
    processor.fit(["a b c", "b c d"])
    saved = pickle.dumps(processor, protocol=2)
    old = saved.replace(b"graphrnn.tf1.api.contrib.learn.preprocessing",
                        b"graphrnn.tf1.preprocessing")
    assert old != saved
    (tmp_path / "vocab").write_bytes(old)
    restored = VocabularyProcessor.restore(str(tmp_path / "vocab"))
    assert isinstance(restored, VocabularyProcessor)
    assert list(restored.transform(["b d x"]))[0].tolist() == [2, 4, 0, 0]
