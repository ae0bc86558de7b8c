"""09_02's texts: the tutorial's cleaning on examples, the vocabulary and padding as
Keras' Tokenizer and pad_sequences make them, the generated corpus, the split, and one
sentence for every file it cannot use."""

import numpy as np
import pytest

from graphrnn import complaints
from graphrnn.complaints import LABEL, TEXT
from graphrnn.data_common import DataError


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


def test_ids_drop_unknown_words_keep_the_first_words_and_pad_the_front():
    vocabulary = {"a": 1, "b": 2, "c": 3}
    ids = complaints.texts_to_ids(["a zz b", "a b c a b c", "", "zz"], vocabulary, length=4)
    np.testing.assert_array_equal(ids, [[0, 0, 1, 2], [1, 2, 3, 1], [0, 0, 0, 0],
                                        [0, 0, 0, 0]])
    assert ids.dtype == np.int32


def test_labels_are_numbered_in_sorted_order():
    classes, labels = complaints.encode_labels(["Mortgage", "Bank account", "Mortgage"])
    assert classes == ["Bank account", "Mortgage"]
    np.testing.assert_array_equal(labels, [1, 0, 1])


def pointed_elsewhere(frame):
    """The share of texts whose product words are mostly another product's than their label."""
    topical = {product: set(words.split()) for product, (_, words) in
               complaints.PRODUCTS.items()}

    def pointed(text):
        words = text.lower().split()
        return max(topical, key=lambda p: sum(word in topical[p] for word in words))
    return np.mean([pointed(text) != label for label, text in zip(frame[LABEL], frame[TEXT])])


def test_the_generated_corpus_is_deterministic_and_shaped_like_a_real_export():
    frame = complaints.load_complaints(seed=0)
    assert list(frame.columns) == [LABEL, TEXT] and len(frame) == 1500
    assert frame.equals(complaints.load_complaints(seed=0))
    assert not frame.equals(complaints.load_complaints(seed=1))
    shares = frame[LABEL].value_counts(normalize=True)
    assert sorted(shares.index) == sorted(complaints.PRODUCTS)
    assert shares.max() > 0.35 and shares.min() < 0.1  # products of very different sizes
    lengths = np.array([len(complaints.clean_text(text).split()) for text in frame[TEXT]])
    assert 90 <= np.median(lengths) <= 150 and lengths.min() >= 10 and lengths.max() <= 401
    assert 0.15 < np.mean(lengths > complaints.TEXT_LENGTH) < 0.45  # some get cut
    assert frame[TEXT].str.contains("XXXX").mean() > 0.2  # masks for the cleaning to remove


def test_about_8_percent_of_the_generated_labels_are_another_products():
    noisy = pointed_elsewhere(complaints.generate_complaints(seed=0))
    clean = pointed_elsewhere(complaints.generate_complaints(seed=0, label_noise=0.0))
    assert 0.03 < noisy - clean < 0.12  # 8 % drawn anew, a sixth of them the same product


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
