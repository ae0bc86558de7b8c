"""09_02's texts: the tutorial's cleaning on examples, the vocabulary and padding as
Keras' Tokenizer and pad_sequences make them, the generated corpus, the split, and one
sentence for every file it cannot use."""

import numpy as np
import pytest

from graphrnn import complaints
from graphrnn.complaints import LABEL, TEXT
from graphrnn.datasets import DataError


@pytest.mark.parametrize("raw, cleaned_words", [
    ("My XXXX account (see XX/XX/XXXX) was charged {$200.00}; Tax!",
     ["my", "account", "see", "was", "charged", "20000", "ta"]),  # every x goes, as written
    ("Called   C++ support|twice@home,#1 [again]",
     ["called", "c++", "support", "twice", "home", "#1", "again"]),
    ("Ünïcode – and_underscores 3.5%", ["ncode", "and_underscores", "35"]),
])
def test_the_tutorials_cleaning(raw, cleaned_words):
    assert complaints.clean_text(raw).split() == cleaned_words


def test_vocabulary_ranks_by_count_then_first_appearance_and_keeps_zero_for_padding():
    texts = ["b a c", "a d b", "a e"]  # a 3, b 2, then c d e once each, in that order
    assert complaints.fit_vocabulary(texts) == {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}
    assert complaints.fit_vocabulary(texts, max_words=3) == {"a": 1, "b": 2}


def test_ids_drop_unknown_words_cut_the_front_and_pad_the_front():
    vocabulary = {"a": 1, "b": 2, "c": 3}
    ids = complaints.texts_to_ids(["a zz b", "a b c a b c", "", "zz"], vocabulary, length=4)
    np.testing.assert_array_equal(ids, [[0, 0, 1, 2], [3, 1, 2, 3], [0, 0, 0, 0],
                                        [0, 0, 0, 0]])
    assert ids.dtype == np.int32


def test_labels_are_numbered_in_sorted_order():
    classes, labels = complaints.encode_labels(["Mortgage", "Bank account", "Mortgage"])
    assert classes == ["Bank account", "Mortgage"]
    np.testing.assert_array_equal(labels, [1, 0, 1])


def test_the_generated_corpus_is_deterministic_noisy_and_fits_the_text_length():
    frame = complaints.load_complaints(seed=0)
    assert list(frame.columns) == [LABEL, TEXT] and len(frame) == 3000
    assert frame.equals(complaints.load_complaints(seed=0))
    assert not frame.equals(complaints.load_complaints(seed=1))
    assert sorted(frame[LABEL].unique()) == sorted(complaints.PRODUCT_WORDS)
    lengths = [len(complaints.clean_text(text).split()) for text in frame[TEXT]]
    assert min(lengths) >= 18 and max(lengths) <= complaints.TEXT_LENGTH
    assert frame[TEXT].str.contains("XXXX").mean() > 0.2  # masks for the cleaning to remove
    # about 8 % of the labels belong to another product than the words point to
    topical = {product: set(words.split()) for product, words in
               complaints.PRODUCT_WORDS.items()}
    pointed = [max(topical, key=lambda p: len(topical[p].intersection(text.lower().split())))
               for text in frame[TEXT]]
    assert 0.05 < np.mean(np.array(pointed) != frame[LABEL].to_numpy()) < 0.25


def test_the_split_is_70_30_with_a_tenth_of_training_for_validation():
    train, validation, test = complaints.split(3000)
    assert (len(train), len(validation), len(test)) == (1890, 210, 900)
    assert len(set(train) | set(validation) | set(test)) == 3000
    np.testing.assert_array_equal(complaints.split(3000)[2], test)  # seed 42, always


def write(path, text):
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("content, message", [
    (f"Date,{TEXT}\n1,text\n", f"has no '{LABEL}' column; a CFPB export has both"),
    (f"{LABEL},{TEXT}\nMortgage,\nBank account,\n", f"has no row with a '{TEXT}'"),
    (f"{LABEL},{TEXT}\nMortgage,XXXX\nBank account,XX/XX/XXXX !!\n", "empty after cleaning"),
    (f"{LABEL},{TEXT}\nMortgage,late fee\nMortgage,escrow\n",
     "every complaint is about one product ('Mortgage')"),
    ("", "is not a readable CSV file"),
])
def test_a_file_it_cannot_use_gets_one_sentence(tmp_path, content, message):
    with pytest.raises(DataError) as caught:
        complaints.load_complaints(write(tmp_path / "complaints.csv", content))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_real_export_keeps_the_rows_with_a_narrative(tmp_path):
    path = write(tmp_path / "complaints.csv",
                 f"Date received,{LABEL},Sub-product,{TEXT},State\n"
                 "2019-01-01,Mortgage,FHA,\"My escrow, XXXX, was wrong\",CA\n"
                 "2019-01-02,Credit card,,,NY\n"
                 "2019-01-03,Credit card,,Late fee charged twice,TX\n")
    frame = complaints.load_complaints(path)
    assert frame.to_dict("list") == {LABEL: ["Mortgage", "Credit card"],
                                     TEXT: ["My escrow, XXXX, was wrong",
                                            "Late fee charged twice"]}
    with pytest.raises(DataError, match="no such data file: gone.csv"):
        complaints.load_complaints("gone.csv")
